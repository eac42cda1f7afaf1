"""The IXC integration in the screen, against the fake IXC and Flashman on 127.0.0.1.

Every test plays keys and reads what the agent sees (the screen, the
clipboard), what the fakes received, and what the history file holds.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fakes.flashman_server import FakeFlashman
from fakes.httpbase import closed_port_url
from fakes.ixc_server import FakeIxc
from fakes.scenarios import CPF, add_customer
from textual.pilot import Pilot

from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import IntegrationSettings, ServiceAddress
from mutum_copilot.history import HistoryStore
from mutum_copilot.tui.app import CopilotApp
from mutum_copilot.tui.screens.ixc_os import IxcOsScreen
from mutum_copilot.tui.screens.note import NoteScreen

from .helpers import TUESDAY_NIGHT, app_for, screen_text, type_text

TICKET = "/webservice/v1/su_ticket"
ORDER = "/webservice/v1/su_oss_chamado"
PHONES = "(65) 99988-7766"


def notifications(app: CopilotApp) -> list[str]:
    """The toasts the agent was shown (as tests/tui/test_hardening.py reads them)."""
    return [str(n.message) for n in app._notifications]


def write_vault(tmp_path: Path, ixc: FakeIxc, flashman: FakeFlashman | None) -> None:
    lines = ["ixc_api:", f"  user: '{ixc.user}'", f"  token: '{ixc.secret}'"]
    if flashman is not None:
        lines += ["flashman:", f"  login: '{flashman.user}'", f"  password: '{flashman.secret}'"]
    path = tmp_path / "secrets.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)


def ixc_app(
    tmp_path: Path, ixc: FakeIxc, flashman: FakeFlashman | None, *, ixc_url: str = ""
) -> CopilotApp:
    write_vault(tmp_path, ixc, flashman)
    addresses = IntegrationSettings(
        ixc=ServiceAddress(ixc_url or ixc.url),
        flashman=ServiceAddress(flashman.url if flashman is not None else ""),
    )
    return app_for(tmp_path, FrozenClock(TUESDAY_NIGHT), integrations=addresses)


class Keys:
    """The agent's keyboard: every key pressed is counted."""

    def __init__(self, pilot: Pilot[None]) -> None:
        self.pilot = pilot
        self.count = 0

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def type(self, text: str) -> None:
        self.count += len(text) + 1
        await type_text(self.pilot, text)
        await self.pilot.press("enter")
        await self.pilot.pause()

    async def wait_for_ixc(self) -> None:
        """Let the worker threads finish and their results reach the screen (no key pressed)."""
        await self.pilot.app.workers.wait_for_complete()
        await self.pilot.pause()
        await self.pilot.pause()


async def manual_call(keys: Keys) -> None:
    """The "sem conexão" call of a customer whose RX is out of range, typed by hand."""
    await keys.press("1")  # Sem conexão
    await keys.type("Maria Souza")
    await keys.type(CPF)
    await keys.type("1")  # the contract, read in IXC by hand
    await keys.type("20261124-0001")
    await keys.press("1")  # urban
    await keys.type("Sem internet desde as 20h.")
    await keys.press("1")  # not blocked, read in IXC by hand
    await keys.press("4", "1")  # normal lights; found online in Flashman
    await keys.type("-27")  # RX, read in Flashman by hand
    await keys.press("2")  # still out of range
    await keys.type(PHONES)
    await keys.press("enter")  # N1 closed: what to say about the return


async def integrated_call(keys: Keys, app: CopilotApp) -> None:
    """The same call with the lookup: IXC's values are confirmed, not typed."""
    await keys.press("1")
    await keys.type("Maria Souza")
    await keys.type(CPF)
    await keys.wait_for_ixc()
    text = screen_text(app)
    assert "Maria Aparecida Souza" in text and "***.982.247-**" in text
    assert "ativo (A)" in text and "maria.souza · online" in text
    assert "RX -27 dBm" in text and "fora da faixa" in text and "do Flashman" in text
    await keys.press("f2")  # confirm contract 1
    text = screen_text(app)
    assert "Contr. 1" in text and "PPPoE maria.souza" in text  # the context line
    assert "do IXC, lido 23:10 (GMT-3)" in text  # the contract step, offered
    await keys.press("enter")
    await keys.type("20261124-0001")
    await keys.press("1")
    await keys.type("Sem internet desde as 20h.")
    text = screen_text(app)
    assert "Não, contrato ativo  (do IXC, lido 23:10 (GMT-3))" in text
    await keys.press("enter")  # the choice IXC answered, highlighted
    await keys.press("4", "1")
    text = screen_text(app)
    assert "Sinal RX" in text and "do Flashman, medido" in text and "fora da faixa" in text
    await keys.press("enter")  # RX from Flashman
    await keys.press("2")
    await keys.type(PHONES)
    await keys.press("enter")


async def test_a_whole_call_filled_from_the_systems_ends_with_its_os_in_ixc(
    tmp_path: Path, ixc: FakeIxc, flashman: FakeFlashman
) -> None:
    customer = add_customer(ixc, flashman, internet_status="A", flashman_rx=-27.0)
    app = ixc_app(tmp_path, ixc, flashman)
    async with app.run_test(size=(110, 40)) as pilot:
        keys = Keys(pilot)
        await integrated_call(keys, app)
        assert "Maria Aparecida Souza" in screen_text(app)  # the name, from IXC
        await keys.press("o")
        assert isinstance(app.screen, NoteScreen)
        await keys.press("i")
        assert isinstance(app.screen, IxcOsScreen)
        await keys.press("e")
        await keys.wait_for_ixc()
        assert isinstance(app.screen, NoteScreen)
        (order,) = ixc.tables["su_oss_chamado"]
        assert f"OS nº {order['id']} aberta no IXC" in screen_text(app)  # in the note
        await keys.press("f")
        assert not isinstance(app.screen, NoteScreen)
        assert f"OS nº {order['id']} aberta no IXC" in app.clipboard  # the note, to paste
    assert order["id_contrato_kit"] == customer.contract_id
    assert "Sem conexão - sinal fora da faixa ideal (RX -27 dBm)" in order["mensagem"]
    assert "Maria Aparecida Souza" in order["mensagem"]
    (record,) = HistoryStore(tmp_path / "history.sqlite3").recent()
    assert record.finished and f"OS nº {order['id']} aberta no IXC" in record.note_text
    assert CPF not in str(record.session) and CPF not in record.note_text
    assert CPF not in order["mensagem"]


async def test_the_same_call_with_ixc_unreachable_goes_on_by_hand_with_one_warning(
    tmp_path: Path, ixc: FakeIxc
) -> None:
    app = ixc_app(tmp_path, ixc, None, ixc_url=closed_port_url())
    async with app.run_test(size=(110, 40)) as pilot:
        keys = Keys(pilot)
        await keys.press("1")
        await keys.type("Maria Souza")
        await keys.type(CPF)
        await keys.wait_for_ixc()
        await keys.type("1")  # the contract: no second lookup, no second warning
        await keys.wait_for_ixc()
        (warning,) = notifications(app)  # the one warning
        assert "inacessível" in warning and warning.endswith("Siga pelo caminho manual.")
        assert "inacessível" in screen_text(app)  # and the panel says so
        await keys.type("20261124-0001")
        await keys.press("1")
        await keys.type("Sem internet desde as 20h.")
        await keys.press("1", "4", "1")
        await keys.type("-27")
        await keys.press("2")
        await keys.type(PHONES)
        await keys.press("enter")
        await keys.press("o")
        assert isinstance(app.screen, NoteScreen)
        await keys.press("i")  # no IXC record confirmed: nothing to open, nothing opens
        assert isinstance(app.screen, NoteScreen)
        await keys.press("f")
    (record,) = HistoryStore(tmp_path / "history.sqlite3").recent()
    assert record.finished and record.outcome == "os_n1" and "Contrato: 1" in record.note_text


async def test_a_lookup_that_comes_back_after_the_agent_moved_on_is_shown_not_applied(
    tmp_path: Path, ixc: FakeIxc
) -> None:
    add_customer(ixc, internet_status="CA")
    ixc.faults.slow = 0.6
    app = ixc_app(tmp_path, ixc, None)
    async with app.run_test(size=(110, 40)) as pilot:
        keys = Keys(pilot)
        await keys.press("1")
        await keys.type("Maria Souza")
        await keys.type(CPF)  # the lookup is in flight...
        await keys.press("ctrl+r", "2")  # ...and the agent starts a new call
        await keys.press("1")
        await keys.type("João Lima")
        await keys.wait_for_ixc()
        text = screen_text(app)
        assert "Chegou depois, não aplicado: consulta de ***.982.247-**" in text
        await keys.press("f2")
        assert any("não é aplicada" in n for n in notifications(app))
        text = screen_text(app)
        assert "João Lima" in text and "Maria Aparecida Souza" not in text.split("Chegou")[0]
        assert "Contr." not in text


async def test_the_preview_shows_what_is_sent_and_nothing_goes_without_the_second_key(
    tmp_path: Path, ixc: FakeIxc
) -> None:
    add_customer(ixc, internet_status="A", ixc_rx="-27.00")
    app = ixc_app(tmp_path, ixc, None)
    async with app.run_test(size=(110, 45)) as pilot:
        keys = Keys(pilot)
        await keys.press("1")
        await keys.type("Maria Souza")
        await keys.type(CPF)
        await keys.wait_for_ixc()
        await keys.press("f2", "enter")
        await keys.type("20261124-0001")
        await keys.press("1")
        await keys.type("Sem internet desde as 20h.")
        await keys.press("enter", "4", "1", "enter", "2")
        await keys.type(PHONES)
        await keys.press("enter", "o", "i")
        assert isinstance(app.screen, IxcOsScreen)
        text = screen_text(app)
        assert "Assunto (id_assunto): 12 - Sem conexão - sinal fora da faixa ideal" in text
        assert "Departamento do atendimento (id_ticket_setor): 3" in text
        assert "Setor da OS (setor): 5" in text and "Prioridade: N (normal)" in text
        assert "Filial (id_filial): 1" in text and "Mensagem (a nota da OS):" in text
        assert "Atendimento UPCALL - Fibra Teste" in text  # the note itself follows
        await keys.press("i", "enter", "f")  # none of them sends
        await keys.wait_for_ixc()
        assert ixc.requests_to("POST", TICKET) == [] and ixc.requests_to("POST", ORDER) == []
        await keys.press("escape")  # back to the note, nothing sent
        assert isinstance(app.screen, NoteScreen)
        assert ixc.requests_to("POST", TICKET) == []
        await keys.press("i", "e", "e")  # sent once, however often "e" is pressed
        await keys.wait_for_ixc()
        assert len(ixc.requests_to("POST", TICKET)) == 1
        (sent,) = ixc.requests_to("POST", ORDER)
        assert "Telefones atualizados: (65) 99988-7766" in sent.body["mensagem"]


async def test_keystrokes_of_the_call_with_and_without_the_integration(
    tmp_path: Path, ixc: FakeIxc, flashman: FakeFlashman, capsys: pytest.CaptureFixture[str]
) -> None:
    add_customer(ixc, flashman, internet_status="A", flashman_rx=-27.0)
    (tmp_path / "manual").mkdir()
    manual = app_for(tmp_path / "manual")
    async with manual.run_test(size=(110, 40)) as pilot:
        by_hand = Keys(pilot)
        await manual_call(by_hand)
        await by_hand.press("o", "f")
    (tmp_path / "ixc").mkdir()
    app = ixc_app(tmp_path / "ixc", ixc, flashman)
    async with app.run_test(size=(110, 40)) as pilot:
        with_ixc = Keys(pilot)
        await integrated_call(with_ixc, app)
        await with_ixc.press("o", "i", "e")
        await with_ixc.wait_for_ixc()
        await with_ixc.press("f")
    (record,) = HistoryStore(tmp_path / "ixc" / "history.sqlite3").recent()
    assert "aberta no IXC" in record.note_text
    with capsys.disabled():
        print(
            f"\nkeystrokes of the 'sem conexão' call: {by_hand.count} by hand "
            f"(then the note retyped into IXC), {with_ixc.count} with the integration "
            "(OS opened in IXC included)"
        )
    assert with_ixc.count < by_hand.count


async def open_blocked_customer(keys: Keys, app: CopilotApp) -> None:
    await keys.press("1")
    await keys.type("Maria Souza")
    await keys.type(CPF)
    await keys.wait_for_ixc()
    assert "bloqueio automático (CA)" in screen_text(app)
    await keys.press("f2")


async def test_the_trust_unlock_is_previewed_confirmed_and_sent_once(
    tmp_path: Path, ixc: FakeIxc
) -> None:
    customer = add_customer(ixc, internet_status="CA")
    app = ixc_app(tmp_path, ixc, None)
    async with app.run_test(size=(110, 40)) as pilot:
        keys = Keys(pilot)
        await open_blocked_customer(keys, app)
        assert "F4" in screen_text(app) and "desbloqueio de confiança no IXC" in screen_text(app)
        await keys.press("f4")
        text = screen_text(app)
        assert f"Desbloqueio de confiança no contrato {customer.contract_id}" in text
        assert ixc.requests_to("POST", "/webservice/v1/desbloqueio_confianca") == []
        await keys.press("d", "d")
        await keys.wait_for_ixc()
        (sent,) = ixc.requests_to("POST", "/webservice/v1/desbloqueio_confianca")
        assert sent.body == {"id": customer.contract_id}
        assert any("desbloqueio de confiança feito" in n for n in notifications(app))


async def test_a_used_trust_unlock_is_refused_in_words_and_nothing_is_sent(
    tmp_path: Path, ixc: FakeIxc
) -> None:
    add_customer(ixc, internet_status="CA", last_unlock="2026-11-10")  # 14 days ago
    app = ixc_app(tmp_path, ixc, None)
    async with app.run_test(size=(110, 40)) as pilot:
        keys = Keys(pilot)
        await open_blocked_customer(keys, app)
        await keys.press("f4")
        (refusal,) = [n for n in notifications(app) if "não permitido" in n]
        assert "30 dias" in refusal
        assert ixc.requests_to("POST", "/webservice/v1/desbloqueio_confianca") == []


async def test_without_the_credential_nothing_of_the_integration_shows(
    tmp_path: Path, ixc: FakeIxc
) -> None:
    add_customer(ixc)
    app = app_for(tmp_path, FrozenClock(TUESDAY_NIGHT))  # no vault: off
    async with app.run_test(size=(110, 40)) as pilot:
        keys = Keys(pilot)
        await keys.press("1")
        await keys.type("Maria Souza")
        await keys.type(CPF)
        await keys.press("f2")
        text = screen_text(app)
        assert "IXC ·" not in text and "Confirmar contrato" not in text and "Contr." not in text
    assert ixc.seen == []
