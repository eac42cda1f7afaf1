"""A customer's snapshot from CPF, CNPJ or contract, read from the fakes over real HTTP."""

from __future__ import annotations

import json

import pytest
from fakes.flashman_server import NEVER_KEPT, FakeFlashman
from fakes.httpbase import closed_port_url
from fakes.ixc_server import FakeIxc
from fakes.scenarios import (
    CNPJ,
    CPF,
    CPF_DIGITS,
    CPF_MASKED,
    NOW,
    add_customer,
    fixture_pack,
    service_for,
    settings_for,
    vault_for,
)

from mutum_copilot.clock import FrozenClock
from mutum_copilot.errors import InputError
from mutum_copilot.integrations.errors import (
    AmbiguousError,
    IpNotAllowedError,
    NotConfiguredError,
    NotFoundError,
    UnreachableError,
)
from mutum_copilot.integrations.service import Integrations, integrations_config


def everything_shown(snapshot: object) -> str:
    return repr(snapshot) + json.dumps(snapshot.to_json(), ensure_ascii=False)  # type: ignore[attr-defined]


def test_a_cpf_brings_name_contract_status_trust_unlock_login_and_signal(
    ixc: FakeIxc, flashman: FakeFlashman
) -> None:
    customer = add_customer(ixc, flashman)
    snapshot = service_for(ixc, flashman).lookup("529.982.247-25")
    assert (snapshot.name, snapshot.document, snapshot.customer_id) == (
        "Maria Aparecida Souza",
        CPF_MASKED,
        customer.customer_id,
    )
    (contract,) = snapshot.contracts
    assert contract.id == customer.contract_id and contract.plan == "FIBRA 300 MEGA"
    assert (contract.internet_status, contract.internet_status_label) == (
        "CA",
        "bloqueio automático",
    )
    assert contract.blocked and contract.trust_unlock.available
    assert contract.trust_unlock.reason == "disponível (nunca usado)"
    (login,) = contract.logins
    assert (login.login, login.online, login.online_status) == ("maria.souza", False, "N")
    signal = contract.signal
    assert signal is not None and signal.source == "Flashman"  # newer than IXC's reading
    assert (signal.rx_dbm, signal.tx_dbm, signal.verdict) == (-19.5, 2.3, "inside")
    asked = ixc.requests_to("GET", "/webservice/v1/cliente")[0].body
    assert (
        asked["qtype"] == "cliente.cnpj_cpf" and asked["query"] == CPF
    )  # formatted, as IXC keeps it
    shown = everything_shown(snapshot)
    assert CPF not in shown and CPF_DIGITS not in shown and NEVER_KEPT not in shown
    assert '"senha"' not in shown and "123" not in snapshot.name  # cliente.senha is never read


def test_the_json_holds_the_documented_keys(ixc: FakeIxc, flashman: FakeFlashman) -> None:
    add_customer(ixc, flashman)
    data = service_for(ixc, flashman).lookup(CPF_DIGITS).to_json()
    assert data["customer"]["name"] == "Maria Aparecida Souza"
    assert data["customer"]["document"] == CPF_MASKED
    (contract,) = data["contracts"]
    assert contract["internet_status"] == "CA"
    assert contract["internet_status_label"] == "bloqueio automático"
    assert contract["trust_unlock_available"] is True
    (login,) = contract["logins"]
    assert (login["login"], login["online"], login["online_status"], login["mac"]) == (
        "maria.souza",
        False,
        "N",
        "A4:33:D7:10:C2:5F",
    )
    signal = contract["signal"]
    assert set(signal) >= {"rx_dbm", "tx_dbm", "read_at", "verdict"}
    assert signal["read_at"] == "2026-11-20T23:10:00+00:00"


def test_without_flashman_the_signal_is_ixcs_and_judged_out_of_range(ixc: FakeIxc) -> None:
    add_customer(ixc)
    snapshot = service_for(ixc).lookup(CPF)
    signal = snapshot.contracts[0].signal
    assert signal is not None and signal.source == "IXC"
    assert (signal.rx_dbm, signal.rx_verdict, signal.verdict) == (-24.1, "outside", "outside")
    assert "fora da faixa ideal (-15 a -22 dBm)" in signal.rx_judgement
    assert signal.read_at is not None and signal.read_at.isoformat() == "2026-11-18T14:02:11-04:00"
    assert any("sem login do Flashman" in w for w in snapshot.warnings)


def test_flashman_down_costs_only_the_live_signal(ixc: FakeIxc, flashman: FakeFlashman) -> None:
    add_customer(ixc, flashman)
    service = service_for(ixc, flashman, timeout=0.5)
    flashman.stop()
    snapshot = service.lookup(CPF)
    assert snapshot.contracts[0].signal.source == "IXC"  # type: ignore[union-attr]
    (warning,) = snapshot.warnings
    assert warning.startswith("Flashman: inacessível") and "sinal mostrado é o do IXC" in warning


def test_the_newest_signal_wins(ixc: FakeIxc, flashman: FakeFlashman) -> None:
    add_customer(ixc, flashman, ixc_read="2026-11-20 20:12:00", ixc_rx="-20.00")
    signal = service_for(ixc, flashman).lookup(CPF).contracts[0].signal
    assert signal is not None and (signal.source, signal.rx_dbm) == ("IXC", -20.0)


def test_a_cnpj_and_a_contract_number_find_the_customer_too(ixc: FakeIxc) -> None:
    company = add_customer(ixc, cpf=CNPJ, name="Agro Boa Vista Ltda", pppoe="agro")
    person = add_customer(ixc, pppoe="maria")
    service = service_for(ixc)
    by_cnpj = service.lookup("11222333000181")
    assert by_cnpj.customer_id == company.customer_id
    assert by_cnpj.document == "**.222.333/0001-**" and by_cnpj.query_kind == "cnpj"
    by_contract = service.lookup(person.contract_id)
    assert by_contract.customer_id == person.customer_id
    assert by_contract.preselected == person.contract_id
    assert by_contract.default_contract is not None
    assert by_contract.default_contract.id == person.contract_id


def test_nobody_and_several_customers_are_said_so(ixc: FakeIxc) -> None:
    service = service_for(ixc)
    with pytest.raises(NotFoundError) as nobody:
        service.lookup(CPF)
    assert CPF_MASKED in str(nobody.value) and CPF not in str(nobody.value)
    with pytest.raises(NotFoundError, match="contrato"):
        service.lookup("4242")
    add_customer(ixc)
    add_customer(ixc, pppoe="outro")
    with pytest.raises(AmbiguousError) as several:
        service.lookup(CPF)
    assert "2 clientes" in str(several.value) and "número do contrato" in str(several.value)
    for record in ixc.tables["cliente"][1:]:
        record["ativo"] = "N"  # an inactive duplicate does not count
    assert service.lookup(CPF).customer_id == ixc.tables["cliente"][0]["id"]


def test_a_mistyped_document_is_refused_before_any_request(ixc: FakeIxc) -> None:
    with pytest.raises(InputError) as typo:
        service_for(ixc).lookup("529.982.247-26")
    assert "dígitos verificadores" in str(typo.value) and "529" not in str(typo.value)
    with pytest.raises(InputError):
        service_for(ixc).lookup("maria")
    assert ixc.seen == []


def test_ixc_down_or_refusing_raises_in_words(ixc: FakeIxc) -> None:
    ixc.ip_refused = True
    with pytest.raises(IpNotAllowedError):
        service_for(ixc).lookup(CPF)
    facts = fixture_pack().facts
    config = integrations_config(facts, settings_for(closed_port_url()), vault_for(ixc))
    assert config is not None
    with pytest.raises(UnreachableError) as down:
        Integrations(config, facts, clock=FrozenClock(NOW)).lookup(CPF)
    assert ixc.secret not in str(down.value) and CPF not in str(down.value)


@pytest.mark.parametrize(
    ("changes", "available", "refusal"),
    [
        ({}, True, None),
        ({"internet_status": "FA"}, True, None),
        ({"last_unlock": "2026-10-10"}, True, None),  # 41 days before 20/11 (GMT-4)
        ({"last_unlock": "2026-11-01"}, False, "rule"),  # 19 days: the 30-day rule
        ({"trust_active": "S"}, False, "unlock_used_unpaid"),
        ({"internet_status": "A"}, False, "already_unlocked"),
        ({"internet_status": "CM"}, False, "not_blocked"),
        ({"status": "I"}, False, "contract_inactive"),
        ({"trust_setting": "N"}, False, "unlock_disabled"),
    ],
)
def test_the_trust_unlock_state(
    ixc: FakeIxc, changes: dict[str, str], available: bool, refusal: str | None
) -> None:
    add_customer(ixc, **changes)  # type: ignore[arg-type]
    trust = service_for(ixc).lookup(CPF).contracts[0].trust_unlock
    assert (trust.available, trust.refusal) == (available, refusal)
    assert trust.reason


def test_texts_from_ixc_are_cleaned(ixc: FakeIxc) -> None:
    add_customer(ixc, name="Maria\x1b]52;c;ZXZpbA==\x07 Souza\u202e", pppoe="ma\x1b[31mria")
    snapshot = service_for(ixc).lookup(CPF)
    assert snapshot.name == "Maria]52;c;ZXZpbA== Souza"
    assert snapshot.contracts[0].logins[0].login == "ma[31mria"


def test_no_credential_means_off_and_a_credential_without_address_is_said(ixc: FakeIxc) -> None:
    facts = fixture_pack().facts
    assert integrations_config(facts, settings_for(ixc.url), vault_for(None)) is None
    no_url = facts.__class__(**{**facts.__dict__, "integrations": None})
    with pytest.raises(NotConfiguredError, match=r"integrations\.ixc\.url"):
        integrations_config(no_url, settings_for(), vault_for(ixc))
    config = integrations_config(facts, settings_for(), vault_for(ixc))
    assert (
        config is not None
        and config.ixc.base_url == "https://ixc.fibra-teste.example/webservice/v1"
    )


def test_no_log_line_carries_the_cpf_or_a_secret(
    ixc: FakeIxc, flashman: FakeFlashman, caplog: pytest.LogCaptureFixture
) -> None:
    add_customer(ixc, flashman)
    service = service_for(ixc, flashman)
    with caplog.at_level("DEBUG"):
        service.lookup(CPF)
        ixc.ip_refused = True
        with pytest.raises(IpNotAllowedError):
            service.lookup(CPF)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "webservice/v1/cliente" in logged  # httpx's own lines were captured
    for secret in (CPF, CPF_DIGITS, ixc.secret, flashman.secret):
        assert secret not in logged
