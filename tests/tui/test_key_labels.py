"""One source for every key's label: after a keymap remap, help, footer and palette agree."""

from __future__ import annotations

import re
import time
from pathlib import Path

from textual.command import CommandPalette

from mutum_copilot.tui.screens.help import HelpScreen

from .helpers import app_for, screen_text, type_text


def row(text: str, words: str) -> str:
    """The screen line that holds ``words``."""
    return next(line for line in text.splitlines() if words in line)


async def test_a_remapped_key_is_shown_everywhere(tmp_path: Path) -> None:
    app = app_for(tmp_path, keymap={"copy-say": "ctrl+y"})  # "c" no longer copies
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "^y Copiar" in footer and " c Copiar" not in footer
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        line = row(screen_text(app), "Copiar a fala da etapa")
        assert re.search(r"^\W*ctrl\+y\s", line) and "c / ctrl+y" not in line
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await type_text(pilot, "Copiar a fala")
        deadline = time.monotonic() + 5
        while "Copiar a fala" not in screen_text(app) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert CommandPalette.is_open(app)
        text = screen_text(app)
        assert "ctrl+y" in text and "c / ctrl+y" not in text  # the command's hint


async def test_the_default_keys_are_labelled_from_the_bindings(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "c / ctrl+y" in row(text, "Copiar a fala da etapa")
        assert "/ / ctrl+f" in row(text, "Buscar no FAQ sem sair")
