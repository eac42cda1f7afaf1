"""A read-only OS note with a copy key (from the history)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static, TextArea

from mutum_copilot.tui.screens.dialog import Dialog


class NoteViewScreen(Dialog[None]):
    """Shows a finished call's note; c copies it."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Fechar", id="note-view-close"),
        Binding("c,ctrl+y", "copy", "Copiar", id="note-view-copy", key_display="c"),
    ]

    def __init__(self, text: str, title: str = "Nota da OS") -> None:
        super().__init__()
        self.text = text
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="title")
            yield TextArea(self.text, read_only=True, show_line_numbers=False, soft_wrap=True)
        yield Footer()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Nota copiada para a área de transferência.")
