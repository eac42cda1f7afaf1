"""The trust unlock through IXC: only when the rule and IXC allow it, one send, a re-read."""

from __future__ import annotations

import pytest
from fakes.ixc_server import FAKE_WORDS, FakeIxc
from fakes.scenarios import CPF, add_customer, service_for

from mutum_copilot.integrations.errors import WriteRefusedError, WriteUncertainError
from mutum_copilot.integrations.unlock import classify

UNLOCK = "/webservice/v1/desbloqueio_confianca"


def test_a_blocked_contract_is_unlocked_and_re_read(ixc: FakeIxc) -> None:
    customer = add_customer(ixc, internet_status="CA", last_unlock="2026-09-01")
    service = service_for(ixc)
    plan = service.plan_unlock(service.lookup(CPF), customer.contract_id)
    assert plan.allowed and plan.request == {"id": customer.contract_id}
    assert "pode ser feito" in plan.preview()[1] and ixc.requests_to("POST", UNLOCK) == []
    receipt = service.trust_unlock(plan)
    (sent,) = ixc.requests_to("POST", UNLOCK)
    assert sent.body == {"id": customer.contract_id}
    assert receipt.confirmed and receipt.internet_status == "A"
    assert receipt.message.startswith("desbloqueio de confiança feito")
    assert FAKE_WORDS["unlock_done"] in receipt.message  # IXC's own words, shown as they came


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"last_unlock": "2026-11-05"}, "rule"),
        ({"trust_active": "S"}, "unlock_used_unpaid"),
        ({"internet_status": "A"}, "already_unlocked"),
        ({"status": "I"}, "contract_inactive"),
        ({"internet_status": "CM"}, "not_blocked"),
    ],
)
def test_what_the_rule_or_ixc_forbids_is_never_sent(
    ixc: FakeIxc, changes: dict[str, str], reason: str
) -> None:
    customer = add_customer(ixc, **changes)  # type: ignore[arg-type]
    service = service_for(ixc)
    plan = service.plan_unlock(service.lookup(CPF), customer.contract_id)
    assert not plan.allowed and "NÃO pode ser feito" in plan.preview()[1]
    with pytest.raises(WriteRefusedError) as refused:
        service.trust_unlock(plan)
    assert refused.value.reason == reason and "não enviado" in str(refused.value)
    assert ixc.requests_to("POST", UNLOCK) == []


def test_a_change_in_ixc_since_the_lookup_is_caught_before_sending(ixc: FakeIxc) -> None:
    customer = add_customer(ixc)
    service = service_for(ixc)
    plan = service.plan_unlock(service.lookup(CPF), customer.contract_id)
    contract = ixc.find("cliente_contrato", customer.contract_id)
    assert contract is not None
    contract["status_internet"] = "A"  # the customer unlocked it in the Central meanwhile
    contract["desbloqueio_confianca_ativo"] = "S"
    with pytest.raises(WriteRefusedError) as refused:
        service.trust_unlock(plan)
    assert refused.value.reason == "already_unlocked" and "relido agora" in str(refused.value)
    assert ixc.requests_to("POST", UNLOCK) == []


@pytest.mark.parametrize(
    ("words", "reason"),
    [
        (FAKE_WORDS["unlock_used"], "unlock_used_unpaid"),
        (FAKE_WORDS["unlock_inactive"], "contract_inactive"),
        (FAKE_WORDS["unlock_not_blocked"], "already_unlocked"),
        (FAKE_WORDS["unlock_disabled"], "unlock_disabled"),
        ("Algo inesperado<br />", "other"),
    ],
)
def test_ixcs_refusals_are_explained_and_quoted(ixc: FakeIxc, words: str, reason: str) -> None:
    customer = add_customer(ixc)
    service = service_for(ixc)
    plan = service.plan_unlock(service.lookup(CPF), customer.contract_id)
    ixc.refuse_unlock = words
    with pytest.raises(WriteRefusedError) as refused:
        service.trust_unlock(plan)
    assert refused.value.reason == reason
    assert f'O IXC disse: "{words.replace("<br />", "").strip()}"' in str(refused.value)
    assert len(ixc.requests_to("POST", UNLOCK)) == 1


def test_a_500_on_the_unlock_is_uncertain(ixc: FakeIxc) -> None:
    customer = add_customer(ixc)
    service = service_for(ixc)
    plan = service.plan_unlock(service.lookup(CPF), customer.contract_id)
    ixc.insert_500 = "desbloqueio_confianca"  # done in IXC, then a 500: the worst case
    with pytest.raises(WriteUncertainError, match="confira no IXC"):
        service.trust_unlock(plan)
    assert len(ixc.requests_to("POST", UNLOCK)) == 1  # never sent twice


def test_classify_reads_the_words() -> None:
    assert classify("Cliente INATIVO") == "contract_inactive"
    assert classify("Contrato já está liberado") == "already_unlocked"
    assert classify("") == "other"
