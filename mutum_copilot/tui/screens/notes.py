"""Free call notes: a text box the agent types into; saved on every close."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static, TextArea

from mutum_copilot.tui.screens.dialog import Dialog


class NotesScreen(Dialog[str]):
    """Returns the notes when closed (Escape or ctrl+s): nothing typed is ever lost."""

    BINDINGS = [
        Binding("escape,ctrl+s", "close", "Salvar e voltar", id="notes-close"),
    ]

    def __init__(self, notes: str, on_change: Callable[[str], None]) -> None:
        super().__init__()
        self.notes = notes
        self.on_change = on_change

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("Notas da chamada (vão para a nota da OS). Esc salva e volta.")
            yield TextArea(self.notes, id="notes-text", soft_wrap=True, show_line_numbers=False)
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Save as the agent types, so a crash mid-sentence loses nothing."""
        self.on_change(event.text_area.text)

    def action_close(self) -> None:
        self.dismiss(self.query_one(TextArea).text)
