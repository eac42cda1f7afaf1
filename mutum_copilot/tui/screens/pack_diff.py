"""What the last reload (ctrl+l) changed in the packs, in a supervisor's words (F7)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static, TextArea

from mutum_copilot.safetext import clean
from mutum_copilot.tui.screens.dialog import Dialog


class PackDiffScreen(Dialog[None]):
    """The detailed diff of each reloaded pack (:func:`~mutum_copilot.packs.diff_text.render_diff`),
    scrollable; Esc closes."""

    BINDINGS = [Binding("escape,q", "dismiss", "Fechar", id="pack-diff-close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = clean(text)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("[b]Mudanças do pacote recarregado[/b]", classes="title")
            yield TextArea(self.text, read_only=True, show_line_numbers=False, soft_wrap=True)
        yield Footer()
