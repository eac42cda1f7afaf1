"""Ctrl+R: start over with the same customer (another subject) or a whole new call."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from mutum_copilot.tui.screens.dialog import Dialog


class RestartScreen(Dialog[str | None]):
    """1: same customer, another subject (this one stays in the call); 2: a new call."""

    BINDINGS = [
        Binding("1", "pick('same_customer')", "Mesmo cliente", id="restart-same"),
        Binding("2", "pick('new_call')", "Nova chamada", id="restart-new"),
        Binding("escape", "pick('')", "Cancelar", id="restart-cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("[b]Reiniciar[/b]")
            yield Static("[b reverse] 1 [/]  Mesmo cliente, outro assunto (este fica na chamada)")
            yield Static("[b reverse] 2 [/]  Nova chamada (esta é registrada como está)")
            yield Static("[dim]Esc cancela[/dim]")

    def action_pick(self, choice: str) -> None:
        self.dismiss(choice or None)
