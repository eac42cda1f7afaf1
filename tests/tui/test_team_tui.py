"""The team store in the TUI: F6's supervisor screen, the FAQ search log, the sync's lifecycle."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import threading
from pathlib import Path

from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import TeamSettings
from mutum_copilot.history import HistoryStore
from mutum_copilot.tui.screens.main import MainScreen
from mutum_copilot.tui.screens.supervisor import SupervisorScreen

from .helpers import TUESDAY_NIGHT, app_for, screen_text, type_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import pg
from team_calls import OS, RESOLVED, new_call, play


def notices(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(n.message) for n in app._notifications)


def _night(path: Path) -> None:
    store = HistoryStore(path)
    for minute, answers in ((0, RESOLVED), (20, OS)):
        clock = FrozenClock(TUESDAY_NIGHT.replace(hour=22, minute=minute))
        play(new_call(store, clock, "Ana"), answers, clock=clock)
    store.close()


async def _until(pilot: object, predicate: object, seconds: float = 10) -> bool:
    for _ in range(int(seconds / 0.05)):
        if predicate():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.05)
    return bool(predicate())  # type: ignore[operator]


async def test_f6_shows_tonights_figures_at_80x24_and_esc_closes(tmp_path: Path) -> None:
    _night(tmp_path / "history.sqlite3")
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        assert isinstance(app.screen, SupervisorScreen)
        assert await _until(pilot, lambda: "esta noite" in screen_text(app))
        await pilot.pause()
        text = screen_text(app)
        assert "histórico local" in text and "Chamadas: 2" in text
        assert "Senha" in text  # the outcomes by subject (the fixture's Wi-Fi password flow)
        await pilot.click("#--content-tab-sup-exits")
        await pilot.pause()
        assert "fim_os_nao_conecta" in screen_text(app) or "[OS]" in screen_text(app)
        await pilot.click("#--content-tab-sup-gaps")
        await pilot.pause()
        assert "Buscas sem resposta no FAQ" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_the_palette_opens_the_supervisor_screen(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "supervisão")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SupervisorScreen)
        assert await _until(pilot, lambda: "Supervisão" in screen_text(app))


async def test_a_faq_search_typed_in_the_pane_is_logged_once_with_what_was_opened(
    tmp_path: Path,
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "vizita")
        await pilot.press("enter")
        await pilot.pause()
        assert "R$ 40,00" in screen_text(app)
    db = sqlite3.connect(tmp_path / "history.sqlite3")
    rows = db.execute("SELECT query, opened, answered FROM faq_searches").fetchall()
    assert len(rows) == 1
    query, opened, answered = rows[0]
    assert query == "vizita" and opened != "[]" and answered == 1


async def test_without_team_url_no_sync_thread_is_started(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not [t for t in threading.enumerate() if t.name == "mutum-team-sync"]


async def test_a_store_down_says_so_once_and_never_holds_a_key(tmp_path: Path) -> None:
    url = f"postgresql://ana@127.0.0.1:{pg.free_port()}/mutum"
    clock = FrozenClock(TUESDAY_NIGHT)
    app = app_for(tmp_path, clock, team=TeamSettings(url=url))
    async with app.run_test(size=(100, 30)) as pilot:
        assert [t for t in threading.enumerate() if t.name == "mutum-team-sync"]
        await pilot.press("1")  # a call goes on while the store is away
        await type_text(pilot, "Maria Souza")
        await pilot.press("enter")
        await pilot.pause()
        assert "Maria Souza" in screen_text(app)
        assert await _until(pilot, lambda: "equipe: sem conexão" in notices(app), 15)
        for _ in range(3):  # more polls while the retries go on say nothing more
            app.team.poll(app)
        assert notices(app).count("equipe: sem conexão") == 1
    assert not [
        t for t in threading.enumerate() if t.name == "mutum-team-sync" and t.is_alive()
    ]  # stopped at exit
