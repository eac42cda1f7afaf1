"""Two providers in one copilot (issue #13): pick one per call, each call on its own pack.

Played on the fixture packs ``tests/packs/fixture`` (Fibra Teste, Mato Grosso)
and ``tests/packs/amazonas`` (Rio Negro Net, Manaus) configured together.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mutum_copilot.call import LiveCall
from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import Settings
from mutum_copilot.history import HistoryStore
from mutum_copilot.services import build_services
from mutum_copilot.tui.app import CopilotApp
from mutum_copilot.tui.factory import build_app
from mutum_copilot.tui.screens.note import NoteScreen
from mutum_copilot.tui.screens.pack_diff import PackDiffScreen
from mutum_copilot.tui.widgets.triage_pane import TriagePane

from .helpers import FIXTURE_PACK, OPENING, TUESDAY_NIGHT, play, screen_text, type_text

AMAZONAS_PACK = FIXTURE_PACK.parent / "amazonas"
BAD_SIGNAL = [1, 4, 1, "-27", 1, "-27,5", 2, "(65) 99988-7766"]
RIVER_CALL = ["Ana Lima", "R-100", "20261124-0002", 1, "-30", "(92) 99111-2222"]


def two_provider_app(
    tmp_path: Path,
    clock: FrozenClock | None = None,
    packs: tuple[Path, ...] = (FIXTURE_PACK, AMAZONAS_PACK),
    **settings: object,
) -> CopilotApp:
    services = build_services(
        Settings(knowledge=tuple(str(p) for p in packs), **settings),  # type: ignore[arg-type]
        clock=clock or FrozenClock(TUESDAY_NIGHT),
        history_path=tmp_path / "history.sqlite3",
        vault_path=tmp_path / "secrets.yaml",
    )
    return build_app(services, cursor_blink=False, catch_errors=False)


def say_of(app: CopilotApp) -> str:
    """What the step on screen tells the agent to say, as one line."""
    view = app.screen.query_one(TriagePane).view
    assert view is not None
    return " ".join(view.say.split())


def lines_with(app: CopilotApp, word: str) -> list[str]:
    return [line for line in screen_text(app).splitlines() if word in line]


async def finish(pilot, app: CopilotApp) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("o")
    assert isinstance(app.screen, NoteScreen)
    await pilot.press("f")
    await pilot.pause()
    assert not isinstance(app.screen, NoteScreen)


async def test_one_call_for_each_provider_each_on_its_own_pack(tmp_path: Path) -> None:
    app = two_provider_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Qual provedor atende esta chamada?" in screen_text(app)
        # the first call: Rio Negro Net (key 2), its own flows, its own N1 hours
        await pilot.press("2")
        await pilot.pause()
        assert "Rio Negro Net: Qual o motivo do contato?" in screen_text(app)
        assert "Financeiro" in screen_text(app) and "Cancelamento" not in screen_text(app)
        await pilot.press("1")
        await play(pilot, *RIVER_CALL)
        assert "A equipe técnica retorna amanhã às 08:00" in say_of(app)
        assert "Rio Negro Net" in lines_with(app, "N1 ●")[0]  # the call's provider's N1
        await play(pilot, None)
        await finish(pilot, app)
        river_note = app.clipboard
        # the next call starts on the provider list again: Fibra Teste (key 1)
        assert "Qual provedor atende esta chamada?" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert "Fibra Teste: Qual o motivo do contato?" in screen_text(app)
        assert "Cancelamento" in screen_text(app)
        await pilot.press("1")
        await play(pilot, *OPENING, *BAD_SIGNAL)
        assert "retorna amanhã às 07:30" in say_of(app)
        assert "Fibra Teste" in lines_with(app, "N1 ●")[0]
        await play(pilot, None)
        await finish(pilot, app)
        fibra_note = app.clipboard
    assert "Ana Lima" in river_note and "Maria Souza" in fibra_note
    store = HistoryStore(tmp_path / "history.sqlite3")
    calls = {r.pack_id: r for r in store.recent()}
    assert set(calls) == {"rio-negro-net", "fixture-fibra"}
    assert calls["rio-negro-net"].pack_version == "2026.11.30"
    assert "Ana Lima" in calls["rio-negro-net"].note_text
    assert "Maria Souza" in calls["fixture-fibra"].note_text
    assert all(r.finished and r.outcome == "os_n1" for r in calls.values())


async def test_without_a_call_the_status_bar_has_a_line_per_provider(tmp_path: Path) -> None:
    app = two_provider_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (fibra,) = lines_with(app, "Fibra Teste  ")[:1]
        (river,) = lines_with(app, "Rio Negro Net  ")[:1]
        assert "22:10 GMT-4" in fibra and "N1 ● fechado, volta amanhã às 07:30" in fibra
        assert "22:10 GMT-4" in river and "N1 ● fechado, volta amanhã às 08:00" in river
        await pilot.press("2")
        await pilot.pause()
        assert lines_with(app, "Fibra Teste  ")  # no call open yet: still every provider
        await pilot.press("escape")  # nothing started: back to the provider list
        await pilot.pause()
        assert "Qual provedor" in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert not lines_with(app, "Fibra Teste  ")  # within a call: the call's provider only
        assert "Rio Negro Net" in lines_with(app, "N1 ●")[0]
        await pilot.press("ctrl+r")
        await pilot.press("2")  # a new call
        await pilot.pause()
        assert lines_with(app, "Fibra Teste  ") and "Qual provedor" in screen_text(app)


async def test_a_seat_preset_needs_no_pick(tmp_path: Path) -> None:
    app = two_provider_app(tmp_path, provider="rio-negro-net")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Rio Negro Net: Qual o motivo do contato?" in screen_text(app)
        assert app.screen.call_pack.id == "rio-negro-net"  # type: ignore[attr-defined]


async def test_one_pack_has_no_provider_list(tmp_path: Path) -> None:
    app = two_provider_app(tmp_path, packs=(FIXTURE_PACK,))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Qual o motivo do contato? Tecle o número." in text
        assert "provedor atende" not in text and "Fibra Teste:" not in text


async def search(pilot, query: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await type_text(pilot, query)
    await pilot.pause()


async def test_faq_without_a_call_searches_every_pack_labelled(tmp_path: Path) -> None:
    app = two_provider_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await search(pilot, "visita improdutiva")
        text = screen_text(app)
        assert "improdutiva?  · Fibra Teste" in text
        # verified 01/09/2026, 60-day interval: overdue on 24/11/2026
        assert "· Rio Negro Net  · revisão atrasada" in text
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.press("2")  # a Rio Negro Net call: its pack only, no labels
        await pilot.pause()
        await search(pilot, "visita improdutiva")
        text = screen_text(app)
        assert "Quanto custa a visita técnica improdutiva?" in text
        assert "improdutiva?  · Rio Negro Net" not in text  # no label within a call
        assert "Qual o custo da visita técnica" not in text  # nor Fibra Teste's entry
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "verificado em 01/09/2026" in text and "revisão atrasada" in text
        assert "R$ 60,00" in text


async def test_reload_shows_what_changed_and_a_broken_pack_keeps_the_old(tmp_path: Path) -> None:
    river = tmp_path / "amazonas"
    shutil.copytree(AMAZONAS_PACK, river)
    app = two_provider_app(tmp_path, packs=(FIXTURE_PACK, river))
    provider = river / "provider.yaml"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        provider.write_text(
            provider.read_text(encoding="utf-8").replace("amount: 60.00", "amount: 75.00")
        )
        await pilot.press("ctrl+l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        changed = [m for m in messages if "Rio Negro Net" in m]
        assert changed and "Mudam: 1 fato" in changed[0] and "f7: ver as mudanças" in changed[0]
        assert any("Fibra Teste" in m and "Nenhuma mudança" in m for m in messages)
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, PackDiffScreen)
        assert "R$ 75,00" in screen_text(app) and "R$ 60,00" in screen_text(app)
        await pilot.press("escape")
        provider.write_text(
            provider.read_text(encoding="utf-8").replace("amount: 75.00", "amount: muito")
        )
        await pilot.press("ctrl+l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Pacote recusado" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("2")
        await pilot.pause()
        await search(pilot, "visita improdutiva")
        await pilot.press("enter")
        await pilot.pause()
        assert "R$ 75,00" in screen_text(app)  # the last good pack stays


async def test_a_crashed_call_is_resumed_with_its_own_pack(tmp_path: Path) -> None:
    app = two_provider_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.press("1")
        await play(pilot, *RIVER_CALL[:3])
    # the next copilot starts on the provider list, and offers the call back
    app = two_provider_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "não finalizada" in text and "Provedor: Rio Negro Net" in text
        await pilot.press("1")
        await pilot.pause()
        main = app.screen
        call: LiveCall = main.call  # type: ignore[attr-defined]
        assert main.call_pack.id == "rio-negro-net"  # type: ignore[attr-defined]
        assert call.pack_id == "rio-negro-net"
        assert "Onde o cliente mora?" in screen_text(app)  # Rio Negro Net's own step
        assert "Rio Negro Net" in lines_with(app, "N1 ●")[0]


async def test_a_call_of_a_pack_no_longer_configured_is_left_alone(tmp_path: Path) -> None:
    app = two_provider_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.press("1")
        await play(pilot, *RIVER_CALL[:3])
    app = two_provider_app(tmp_path, packs=(FIXTURE_PACK,))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "não finalizada" not in screen_text(app)
    (record,) = HistoryStore(tmp_path / "history.sqlite3").recent()
    assert record.pack_id == "rio-negro-net" and not record.finished and not record.discarded
    app = two_provider_app(tmp_path)  # configured again: offered again
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "não finalizada" in screen_text(app)
