"""A whole "sem conexão" call on the core: IXC fills it, IXC stores its OS (no TUI yet).

The TUI phase plays the same call by keys; here the core's pieces are chained
as the TUI will chain them: lookup, prefill, the triage engine, the OS note,
the OS draft, the send and the re-read.
"""

from __future__ import annotations

from typing import Any

import pytest
from fakes.flashman_server import FakeFlashman
from fakes.ixc_server import FakeIxc
from fakes.scenarios import CPF, NOW, add_customer, fixture_pack, service_for

from mutum_copilot.clock import FrozenClock
from mutum_copilot.integrations.errors import UnreachableError
from mutum_copilot.note import build_note
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.session import Session


class Call:
    """The engine over the fixture pack, and the session of one call."""

    def __init__(self) -> None:
        self.pack = fixture_pack()
        self.triage = Triage(self.pack, FrozenClock(NOW))
        self.session: Session = self.triage.start("sem-conexao")

    @property
    def node(self) -> Any:
        return self.pack.flows["sem-conexao"].node(self.triage.view(self.session).node_id)

    def enter(self, text: str) -> None:
        self.session = self.triage.enter(self.session, text)

    def choose(self, number: int) -> None:
        self.session = self.triage.choose(self.session, number)

    def proceed(self) -> None:
        self.session = self.triage.proceed(self.session)


def test_a_call_filled_from_the_systems_ends_with_its_os_in_ixc(
    ixc: FakeIxc, flashman: FakeFlashman
) -> None:
    customer = add_customer(ixc, flashman, internet_status="A", flashman_rx=-27.0)
    service = service_for(ixc, flashman)
    snapshot = service.lookup(CPF)
    filled = service.prefill(snapshot, snapshot.default_contract.id)  # type: ignore[union-attr]
    call = Call()
    typed = 0  # values the agent did not type

    def from_systems() -> None:
        nonlocal typed
        found = filled.value_for(call.node)
        assert found is not None, call.node.id
        call.enter(found.text)
        typed += 1

    from_systems()  # customer_name
    call.enter("")  # cpf: IXC's is masked; the agent confirms it with the customer
    from_systems()  # contract
    call.enter("20261120-0001")
    call.choose(1)  # área urbana
    call.enter("Sem internet desde a tarde")
    assert call.node.id == "bloqueio" and filled.facts["blocked"].text == "nao"
    call.choose(1)  # "Não, contrato ativo", as IXC says
    call.choose(4)  # luzes normais
    call.choose(1)  # found online in Flashman
    from_systems()  # rx: -27, out of range
    assert call.node.id == "rx_fora"
    call.choose(2)  # still out of range
    call.enter("(65) 99988-7766")
    while call.triage.view(call.session).kind == "info":
        call.proceed()
    view = call.triage.view(call.session)
    assert view.kind == "end" and view.outcome is not None and view.outcome.opens_os
    note = build_note(call.pack, call.session, NOW, agent="Ana Souza")
    assert "Maria Aparecida Souza" in note and "-27 dBm" in note
    draft = service.draft_os(
        snapshot,
        customer.contract_id,
        outcome=view.outcome.outcome,
        urgency=view.outcome.urgency,
        subject=view.outcome.os_subject,
        note=note,
    )
    assert draft.ticket["titulo"] == "Sem conexão - sinal fora da faixa ideal (RX -27 dBm)"
    receipt = service.open_os(draft)
    (order,) = ixc.tables["su_oss_chamado"]
    assert receipt.os_id == order["id"] and receipt.verified and not receipt.mismatches
    assert order["mensagem"] == note.strip() and order["id_contrato_kit"] == customer.contract_id
    assert typed == 3


def test_the_same_call_with_ixc_down_goes_on_by_hand(ixc: FakeIxc) -> None:
    service = service_for(ixc, timeout=0.5)
    ixc.stop()
    with pytest.raises(UnreachableError) as down:
        service.lookup(CPF)
    assert str(down.value).startswith("IXC: inacessível")  # the one warning the agent sees
    call = Call()
    for text in ("Maria Souza", CPF, "4821", "20261120-0001"):
        call.enter(text)
    call.choose(1)
    call.enter("")
    assert call.node.id == "bloqueio"  # the manual path, exactly as without the integration
