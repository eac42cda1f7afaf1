"""The frame every dialog shares: a centred box over the main screen.

Subclasses give their box the class ``dialog-box`` and set only its size.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

Result = TypeVar("Result")


class Dialog(ModalScreen[Result]):
    """A modal screen whose content sits in one bordered, centred box."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > .dialog-box { border: round $accent; background: $surface; }
    """
