"""The call's context form: fix or fill what the agent learned (name, contract, phones…)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Label, Static

from mutum_copilot.call import LiveCall
from mutum_copilot.errors import InputError
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.screens.dialog import Dialog


class ContextScreen(Dialog[None]):
    """Enter saves a field (checked as the flow would: CPF digits, phone format…)."""

    BINDINGS = [Binding("escape", "dismiss", "Voltar", id="context-close")]

    def __init__(
        self, call: LiveCall, *, on_saved: Callable[[str, str], None] | None = None
    ) -> None:
        super().__init__()
        self.call = call
        self.on_saved = on_saved  # hook: the IXC lookup hears a CPF/contract saved here

    def compose(self) -> ComposeResult:
        values = self.call.values()
        with VerticalScroll(classes="dialog-box"):
            yield Static("[b]Dados da chamada[/b]  (Enter salva o campo · Tab passa · Esc volta)")
            for field in self.call.triage.context_fields:
                hint = " / ".join(v for v, _ in field.options) if field.options else ""
                with Horizontal():
                    yield Label(field.label)
                    yield Input(
                        values.get(field.name, ""),
                        placeholder=hint,
                        id=f"ctx-{field.name}",
                        compact=True,
                    )
            yield Static(id="context-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    @guarded
    def save_field(self, event: Input.Submitted) -> None:
        name = (event.input.id or "").removeprefix("ctx-")
        message = self.query_one("#context-message", Static)
        try:
            self.call.set_context(name, event.value)
        except InputError as exc:
            message.update(f"[b red]{exc}[/]")
            return
        if self.on_saved is not None:
            self.on_saved(name, event.value)  # the raw text, in memory only
        event.input.value = self.call.values().get(name, "")
        label = next((f.label for f in self.call.triage.context_fields if f.name == name), name)
        message.update(f"[green]Salvo: {label}[/]")
        self.focus_next()
