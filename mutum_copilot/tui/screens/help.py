"""F1: every key of the copilot, with the id to remap it in the config."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from mutum_copilot.tui.keys import ALL_GROUPS, HELP_TEXT, label_of
from mutum_copilot.tui.screens.dialog import Dialog


def keys_table(keymap: dict[str, str]) -> Table:
    table = Table(box=None, expand=True, show_header=True, header_style="bold")
    table.add_column("Tecla", no_wrap=True)
    table.add_column("Ação")
    table.add_column("id (config keymap)", style="dim", no_wrap=True)
    for title, bindings in ALL_GROUPS:
        table.add_row(Text(title, "bold underline"), "", "")
        for binding in bindings:
            shown = "1 … 9" if binding.id == "choose-1" else label_of(binding.id or "", keymap)
            if binding.id == "choose-1":
                action = "Escolher a opção (ou o atendimento) pelo número"
            else:
                action = HELP_TEXT.get(binding.id or "", binding.description)
            table.add_row(shown, action, binding.id or "")
    return table


class HelpScreen(Dialog[None]):
    """A modal list of keys; any of Escape, F1 or q closes it."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Fechar", id="help-close")]

    def compose(self) -> ComposeResult:
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        with VerticalScroll(classes="dialog-box"):
            yield Static(Text("Teclas do mutum-copilot", "bold"))
            yield Static(keys_table(keymap))
            yield Static(
                Text(
                    "Letras não funcionam enquanto você digita numa caixa: use a alternativa "
                    "com ctrl. Troque teclas em config.yaml (keymap: {id: tecla}).",
                    "dim",
                )
            )
