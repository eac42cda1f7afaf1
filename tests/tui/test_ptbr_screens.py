"""Every screen and dialog the agent can open shows pt-BR only (issue #10).

One walk over the fixture pack opens them all: the start list, the FAQ (an
answer and the no-answer state), the notes, the call's data, the command
palette (with a query and with "nothing found"), the help, the OS note and its
"finish anyway?" dialog, the restart dialog, the history, the ctrl+c hint, and
on the next start the resume dialog. The text of each, and every notification
the app posted (recorded with ``run_test(message_hook=...)``), is checked
against :data:`english.ENGLISH`.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from english import english_words
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import Notify

from mutum_copilot.tui.app import binding_ids
from mutum_copilot.tui.screens.help import HelpScreen
from mutum_copilot.tui.screens.history import HistoryScreen
from mutum_copilot.tui.screens.note import ConfirmFinishScreen, NoteScreen
from mutum_copilot.tui.screens.restart import RestartScreen
from mutum_copilot.tui.screens.resume import ResumeScreen

from .helpers import OPENING, app_for, play, screen_text, type_text


class Seen:
    """What the agent saw: each screen's text by name, and every notification."""

    def __init__(self) -> None:
        self.screens: dict[str, str] = {}
        self.notes: list[str] = []

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.notes.append(f"{message.notification.title} {message.notification.message}")

    def english(self) -> list[str]:
        found = [f"{name}: {w}" for name, text in self.screens.items() for w in english_words(text)]
        return found + [f"notificação: {w}" for n in self.notes for w in english_words(n)]


async def wait_until(pilot, ready, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Pause until ``ready()`` holds (a deadline, not a fixed sleep)."""
    deadline = time.monotonic() + seconds
    while not ready() and time.monotonic() < deadline:
        await pilot.pause(0.05)


async def test_every_screen_and_dialog_is_portuguese(tmp_path: Path) -> None:
    seen = Seen()
    app = app_for(tmp_path)
    async with app.run_test(size=(110, 34), message_hook=seen.hook) as pilot:
        await pilot.pause()
        seen.screens["início"] = screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = re.compile(r"\b(" + "|".join(sorted(binding_ids(), key=len, reverse=True)) + r")\b")
        seen.screens["ajuda"] = ids.sub(" ", screen_text(app))  # the keymap's ids are names
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: CommandPalette.is_open(app))
        seen.screens["paleta"] = screen_text(app)
        await type_text(pilot, "visita")
        await pilot.pause(0.3)
        seen.screens["paleta com busca"] = screen_text(app)
        await type_text(pilot, "zzqqxx")
        await wait_until(pilot, lambda: "Nada encontrado" in screen_text(app))
        seen.screens["paleta sem resultado"] = screen_text(app)
        assert "Nada encontrado" in seen.screens["paleta sem resultado"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "visita")
        await pilot.press("enter")
        await pilot.pause()
        seen.screens["FAQ aberto"] = screen_text(app)
        await pilot.press("escape")
        await pilot.press("slash", "home", "ctrl+k")
        await type_text(pilot, "plano de tv a cabo por satelite")
        await pilot.pause()
        seen.screens["FAQ sem resposta"] = screen_text(app)
        assert "Nada no documento" in seen.screens["FAQ sem resposta"]
        await pilot.press("escape")
        await pilot.press("ctrl+n")
        await type_text(pilot, "cliente ligou duas vezes")
        await pilot.pause()
        seen.screens["notas"] = screen_text(app)
        await pilot.press("escape")
        await pilot.press("1")
        await play(pilot, *OPENING)
        seen.screens["fluxo"] = screen_text(app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        seen.screens["dados da chamada"] = screen_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        seen.screens["nota da OS"] = screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmFinishScreen)
        seen.screens["finalizar mesmo assim"] = screen_text(app)
        await pilot.press("escape", "escape")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, RestartScreen)
        seen.screens["reiniciar"] = screen_text(app)
        await pilot.press("escape")
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        seen.screens["histórico"] = screen_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+c")  # Textual's "how do I quit" hint
        await pilot.pause()
        seen.screens["ctrl+c"] = screen_text(app)
    assert any("ctrl+q" in note for note in seen.notes)
    app = app_for(tmp_path)
    async with app.run_test(size=(110, 34), message_hook=seen.hook) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        seen.screens["retomar"] = screen_text(app)
    assert seen.english() == [], "\n".join(seen.english())
