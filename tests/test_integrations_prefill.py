"""A confirmed contract fills the call: context values, step answers, choice facts, sources."""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

import pytest
from fakes.flashman_server import FakeFlashman
from fakes.ixc_server import FakeIxc
from fakes.scenarios import CNPJ, CPF, CPF_MASKED, NOW, add_customer, fixture_pack, service_for

from mutum_copilot.clock import FrozenClock
from mutum_copilot.integrations.prefill import prefill, said_at, zone_label
from mutum_copilot.integrations.snapshot import CustomerSnapshot
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.models import AskNode, Choice

BRT = ZoneInfo("America/Sao_Paulo")


def looked_up(
    ixc: FakeIxc, flashman: FakeFlashman | None = None, **changes: str
) -> CustomerSnapshot:
    add_customer(ixc, flashman, **changes)  # type: ignore[arg-type]
    return service_for(ixc, flashman).lookup(CPF)


def test_the_context_and_answers_say_where_and_when(ixc: FakeIxc, flashman: FakeFlashman) -> None:
    snapshot = looked_up(ixc, flashman, last_unlock="2026-09-30")
    filled = prefill(snapshot, snapshot.contracts[0].id, BRT)
    assert {n: p.text for n, p in filled.context.items()} == {
        "customer_name": "Maria Aparecida Souza",
        "contract": snapshot.contracts[0].id,
        "cpf": CPF_MASKED,
        "pppoe": "maria.souza",
    }
    assert all(p.source == "do IXC, lido 21:14 (GMT-3)" for p in filled.context.values())
    assert filled.answers["last_trust_unlock"].text == "30/09/2026"
    assert (filled.answers["rx"].text, filled.answers["tx"].text) == ("-19,5", "2,3")
    assert filled.answers["rx"].source == "do Flashman, medido 20:10 (GMT-3)"
    assert filled.facts["blocked"].text == "sim"


def test_an_old_ixc_reading_says_its_date(ixc: FakeIxc) -> None:
    filled = prefill(looked_up(ixc), "1", BRT)
    assert filled.answers["rx"].text == "-24,1"
    assert filled.answers["rx"].source == "do IXC, medido 18/11/2026 15:02 (GMT-3)"
    assert filled.answers["last_trust_unlock"].text == ""  # never: the optional date left empty


def test_blocked_is_only_said_for_the_financial_blocks_and_active(ixc: FakeIxc) -> None:
    snapshot = looked_up(ixc)
    for status, expected in (("CA", "sim"), ("FA", "sim"), ("A", "nao"), ("CM", None), ("D", None)):
        contract = dataclasses.replace(snapshot.contracts[0], internet_status=status)
        changed = dataclasses.replace(snapshot, contracts=(contract,))
        found = prefill(changed, contract.id, BRT).facts.get("blocked")
        assert (found.text if found else None) == expected, status


def test_a_cnpj_fills_no_cpf(ixc: FakeIxc) -> None:
    add_customer(ixc, cpf=CNPJ)
    snapshot = service_for(ixc).lookup(CNPJ)
    assert "cpf" not in prefill(snapshot, snapshot.contracts[0].id, BRT).context


def test_a_choice_is_answered_when_its_set_matches_a_fact(ixc: FakeIxc) -> None:
    filled = prefill(looked_up(ixc), "1", BRT)
    question = AskNode(
        id="bloqueio",
        type="ask",
        question="O contrato está bloqueado por falta de pagamento?",
        choices=(
            Choice("Não, contrato ativo", "a", {"blocked": "nao"}),
            Choice("Sim, bloqueado por débito", "b", {"blocked": "sim"}),
        ),
    )
    found = filled.choice_for(question)
    assert found is not None and found[0] == 2 and found[1].source.startswith("do IXC")
    plain = dataclasses.replace(question, choices=(Choice("Sim", "a"), Choice("Não", "b")))
    assert filled.choice_for(plain) is None  # no set: the agent answers


def test_the_answers_drive_the_real_flow(ixc: FakeIxc, flashman: FakeFlashman) -> None:
    """The prefilled texts are what the engine accepts, and take the branches they should."""
    snapshot = looked_up(ixc, flashman)
    filled = prefill(snapshot, snapshot.contracts[0].id, BRT)
    pack = fixture_pack()
    triage = Triage(pack, FrozenClock(NOW))
    session = triage.start("sem-conexao")

    def current() -> object:
        return pack.flows["sem-conexao"].node(triage.view(session).node_id)

    def prefilled() -> str:
        found = filled.value_for(current())
        assert found is not None, triage.view(session).node_id
        return found.text

    session = triage.enter(session, prefilled())  # customer_name
    session = triage.enter(session, "")  # cpf: optional; IXC's is masked (the agent confirms it)
    session = triage.enter(session, prefilled())  # contract
    session = triage.enter(session, "20261120-0001")  # protocol: the call center's own
    session = triage.choose(session, 1)  # área urbana
    session = triage.enter(session, "")  # relato
    assert triage.view(session).node_id == "bloqueio"
    session = triage.choose(session, 2)  # the agent reads "bloqueado" (the fixture sets no facts)
    assert filled.value_for(current()).name == "last_trust_unlock"  # type: ignore[union-attr]
    session = triage.enter(session, prefilled())
    assert triage.view(session).node_id == "desbloqueio_oferta"  # never used: offered
    session = triage.choose(session, 2)  # unlocked, still offline
    session = triage.choose(session, 4)  # normal lights
    session = triage.choose(session, 1)  # found online in Flashman
    assert triage.view(session).node_id == "sinal_rx"
    session = triage.enter(session, prefilled())
    assert triage.view(session).node_id == "sinal_tx"
    session = triage.enter(session, prefilled())
    assert triage.view(session).node_id == "reiniciar"
    values = triage.position(session).values
    assert values["customer_name"] == "Maria Aparecida Souza"
    assert values["contract"] == snapshot.contracts[0].id and values["rx"] == "-19,5 dBm"


def test_times_name_their_zone() -> None:
    assert zone_label(NOW.astimezone(BRT)) == "GMT-3"
    assert zone_label(NOW.astimezone(ZoneInfo("America/Cuiaba"))) == "GMT-4"
    assert said_at(NOW, BRT, "lido", NOW) == "lido 21:14 (GMT-3)"


def test_an_unknown_contract_is_the_callers_bug(ixc: FakeIxc) -> None:
    with pytest.raises(KeyError):
        prefill(looked_up(ixc), "999", BRT)
