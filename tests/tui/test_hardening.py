"""The app under trouble: a broken pack reloaded, an unexpected error, a disk that refuses."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from textual.widgets import TextArea

from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import Settings
from mutum_copilot.logs import setup_error_log
from mutum_copilot.services import build_services
from mutum_copilot.tui.factory import build_app
from mutum_copilot.tui.screens.note_view import NoteViewScreen
from mutum_copilot.tui.widgets.triage_pane import TriagePane

from .helpers import FIXTURE_PACK, OPENING, TUESDAY_NIGHT, Posted, app_for, play, screen_text


async def wait_for_workers(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_reload_refuses_a_broken_pack_and_keeps_the_old_one(tmp_path: Path) -> None:
    posted = Posted()
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, pack)
    services = build_services(
        Settings(),
        knowledge=pack,
        clock=FrozenClock(TUESDAY_NIGHT),
        history_path=tmp_path / "h.sqlite3",
        vault_path=tmp_path / "v.yaml",
    )
    app = build_app(services, cursor_blink=False, catch_errors=False)
    async with app.run_test(size=(100, 30), message_hook=posted.hook) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING[:2])
        before = app.screen.query_one(TriagePane).view
        provider = pack / "provider.yaml"
        text = provider.read_text(encoding="utf-8")
        line = text[: text.index("amount: 40.00")].count("\n") + 1
        provider.write_text(text.replace("amount: 40.00", "amount: quarenta"))
        await pilot.press("ctrl+l")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, NoteViewScreen)
        assert "Pacote recusado" in screen_text(app)
        # the problem line itself, read from the dialog's text (on screen a long tmp path wraps)
        problems = app.screen.query_one(TextArea).text
        assert f"provider.yaml:{line}: fees.visit_city.amount" in problems
        await pilot.press("escape")
        assert app.screen.query_one(TriagePane).view == before  # the call goes on, old pack kept

        provider.write_text(
            provider.read_text(encoding="utf-8").replace("amount: quarenta", "amount: 45.00")
        )
        await pilot.press("ctrl+l")
        await wait_for_workers(app, pilot)
        assert "Pacote recarregado" in str(posted)
        assert app.screen.query_one(TriagePane).view.node_id == before.node_id
        assert "R$ 45,00" in app.services.search.search("visita improdutiva", 1)[0].entry.say


async def test_an_unexpected_error_is_logged_and_the_call_goes_on(tmp_path: Path) -> None:
    posted = Posted()
    log = setup_error_log(tmp_path / "logs")
    services = build_services(
        Settings(),
        clock=FrozenClock(TUESDAY_NIGHT),
        history_path=tmp_path / "h.sqlite3",
        vault_path=tmp_path / "v.yaml",
    )
    app = build_app(services, cursor_blink=False, catch_errors=True)
    async with app.run_test(size=(100, 30), message_hook=posted.hook) as pilot:
        await pilot.press("1")
        await play(pilot, "Maria Souza")
        screen = app.screen
        original = screen.call.enter

        def broken(text: str):  # type: ignore[no-untyped-def]
            raise RuntimeError("boom 529.982.247-25")

        screen.call.enter = broken
        await play(pilot, "529.982.247-25")
        assert app.is_running
        assert "Erro inesperado" in str(posted)
        screen.call.enter = original
        await play(pilot, None)  # the agent presses Enter again: the text is still there
        assert screen.query_one(TriagePane).view.node_id.endswith("contrato")
    assert log is not None
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "529.982.247-25" not in text


async def test_a_disk_that_refuses_writes_warns_and_the_call_goes_on(tmp_path: Path) -> None:
    posted = Posted()
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30), message_hook=posted.hook) as pilot:
        await pilot.press("1")
        await play(pilot, "Maria Souza")
        store = app.services.history
        store._db.close()
        store._db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True, isolation_level=None)
        await play(pilot, "529.982.247-25", "4821")
        assert "Não foi possível salvar" in str(posted)
        assert app.screen.query_one(TriagePane).view.title  # still on a step
        assert "4821" in screen_text(app)


async def test_an_unknown_theme_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    posted = Posted()
    app = app_for(tmp_path, theme="tema-que-nao-existe")
    async with app.run_test(size=(100, 30), message_hook=posted.hook) as pilot:
        await pilot.pause()
        assert "Tema desconhecido" in str(posted)
        assert app.is_running


async def test_a_keymap_naming_no_binding_is_a_warning(tmp_path: Path) -> None:
    posted = Posted()
    app = app_for(tmp_path, keymap={"copy-sai": "ctrl+g"})
    async with app.run_test(size=(100, 30), message_hook=posted.hook) as pilot:
        await pilot.pause()
        assert "'copy-sai' (você quis dizer \"copy-say\"?)" in str(posted)
