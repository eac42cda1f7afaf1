"""Whole calls played with the keyboard only, read back from the screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mutum_copilot.clock import FrozenClock
from mutum_copilot.history import HistoryStore
from mutum_copilot.tui.screens.note import NoteScreen
from mutum_copilot.tui.widgets.triage_pane import TriagePane

from .helpers import OPENING, TUESDAY_NIGHT, app_for, play, screen_text, type_text

BAD_SIGNAL = [1, 4, 1, "-27", 1, "-27,5", 2, "(65) 99988-7766, 65 3308-4455", None]


def view_of(app):  # type: ignore[no-untyped-def]
    return app.screen.query_one(TriagePane).view


async def test_full_sem_conexao_call_to_an_os_with_phones(tmp_path: Path) -> None:
    clock = FrozenClock(TUESDAY_NIGHT)
    app = app_for(tmp_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")  # Sem conexão
        await play(pilot, *OPENING)
        assert "Maria Souza" in screen_text(app)  # the context bar
        await play(pilot, *BAD_SIGNAL[:3])
        await type_text(pilot, "-27")
        await pilot.pause()
        assert "fora da faixa ideal" in screen_text(app)  # live verdict while typing
        await pilot.press("enter")
        await play(pilot, *BAD_SIGNAL[4:])
        view = view_of(app)
        assert view.ended and view.outcome.outcome == "os_n1"
        clock.advance(minutes=12)
        await pilot.press("o")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("f")
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        note = app.clipboard
        assert "Telefones atualizados: (65) 99988-7766, (65) 3308-4455" in note
        assert "CPF: ***.982.247-**" in note and "529.982.247-25" not in note
    store = HistoryStore(tmp_path / "history.sqlite3")
    (record,) = store.recent()
    assert record.finished and record.outcome == "os_n1"
    assert "99988-7766" in record.note_text
    assert "99988" not in str(record.session)  # phones live only in the note
    assert "529.982.247-25" not in str(record.session)


async def test_os_cannot_finish_without_phones(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING, 1, 4, 1, "-27", 1, "-27,5", 2)
        assert view_of(app).value is not None  # the fragment asks for the phones
        await pilot.press("ctrl+o")  # jump to the note from inside the value box
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("ctrl+s")  # the finish key: the OS is not reached, so it asks
        await pilot.pause()
        assert not app.screen_stack[1].call.finished  # type: ignore[attr-defined]
        assert "não chegou ao fim" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("escape")
        await play(pilot, "12", "(65) 99988-7766")  # a bad phone is refused, then a good one
        assert "telefone" in screen_text(app).lower()


async def test_trust_unlock_refused_twelve_days_after_the_last(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    last = (TUESDAY_NIGHT - dt.timedelta(days=12)).strftime("%d/%m/%Y")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING, 2, last)
        view = view_of(app)
        assert view.node_id == "desbloqueio_negado"
        assert "não consigo liberar outro" in view.say
        assert "Desbloqueio não permitido" in screen_text(app)  # the refusal, on screen


async def test_back_three_steps_and_change_an_answer(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING, 1, 4, 1)
        assert view_of(app).value is not None  # the RX value
        await pilot.press("escape")  # RX -> localizar
        await pilot.press("escape")  # -> luzes
        await pilot.press("escape")  # -> bloqueio
        await pilot.pause()
        assert view_of(app).node_id == "bloqueio"
        await play(pilot, 2)
        assert view_of(app).node_id == "ultimo_desbloqueio"


async def test_faq_lookup_mid_flow_leaves_the_flow_untouched(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING, 1)
        before = view_of(app)
        await pilot.press("slash")
        await type_text(pilot, "vizita")
        await pilot.press("enter")
        await pilot.pause()
        assert "R$ 40,00" in screen_text(app)
        await pilot.press("c")
        assert "R$ 40,00" in app.clipboard
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert view_of(app) == before
        await pilot.press("4")  # the flow goes on with a number key
        assert view_of(app).node_id != before.node_id


async def test_copy_say_puts_the_script_on_the_clipboard(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await pilot.press("ctrl+y")
        assert app.clipboard.startswith("Olá! Você está falando com o suporte")


async def test_unfinished_call_is_resumed_after_the_app_was_closed(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING, 1, 4)
        await pilot.press("n")
        await type_text(pilot, "cliente idoso")
        await pilot.press("escape")
        where = view_of(app).node_id
    # a second copilot, after the first was closed
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "não finalizada" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert view_of(app).node_id == where
        assert "cliente idoso" in app.screen.call.notes  # type: ignore[attr-defined]


async def test_help_lists_every_key_with_its_id(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        for binding_id in ("copy-say", "back", "search", "notes", "os-note", "restart", "context"):
            assert binding_id in text


async def test_keys_can_be_remapped_from_the_config(tmp_path: Path) -> None:
    app = app_for(tmp_path, keymap={"copy-say": "ctrl+g"})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await pilot.press("ctrl+g")
        assert app.clipboard.startswith("Olá!")


async def test_narrow_terminal_shows_the_faq_as_an_overlay(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        faq = app.screen.query_one("#faq")
        triage = app.screen.query_one("#triage")
        assert not faq.display and triage.display
        await pilot.press("slash")
        await pilot.pause()
        assert faq.display and not triage.display
        await type_text(pilot, "2 via")
        await pilot.pause()
        assert (
            "fatura" in screen_text(app).lower()
            or app.screen.query_one("#faq-results").option_count
        )
        await pilot.press("escape")
        await pilot.pause()
        assert not faq.display and triage.display
