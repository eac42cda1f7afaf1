"""The OS note: read it, add the customer's phones when the OS needs them, copy, finish."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static, TextArea

from mutum_copilot.call import LiveCall
from mutum_copilot.errors import InputError
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.screens.dialog import Dialog


class NoteScreen(Dialog[bool]):
    """Dismisses with True when the call was finished (the note is then copied and saved)."""

    BINDINGS = [
        Binding("escape", "dismiss(False)", "Voltar à chamada", id="note-back"),
        Binding("c,ctrl+y", "copy", "Copiar nota", id="note-copy", key_display="c"),
        Binding("f,ctrl+s", "finish", "Finalizar chamada", id="note-finish", key_display="f"),
    ]

    DEFAULT_CSS = """
    NoteScreen > .dialog-box { width: 98%; max-width: 90; height: 96%; }
    NoteScreen #note-text { height: 1fr; }
    NoteScreen #phones-error { color: $error; }
    """

    def __init__(self, call: LiveCall) -> None:
        super().__init__()
        self.call = call

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(id="note-title")
            yield Input(
                placeholder="Telefones atualizados do cliente, ex.: (65) 99999-1234",
                id="phones",
            )
            yield Static(id="phones-error")
            yield TextArea("", id="note-text", read_only=True, soft_wrap=True)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_note()
        if self.needs_phones():
            self.query_one("#phones").focus()
        else:
            self.query_one("#note-text").focus()

    def needs_phones(self) -> bool:
        view = self.call.view()
        opens_os = view is not None and view.outcome is not None and view.outcome.opens_os
        return opens_os and not self.call.values().get("phones")

    @guarded
    def refresh_note(self) -> None:
        view = self.call.view()
        title = Text("Nota da OS", "bold")
        if view is not None:
            state = view.outcome.label if view.outcome else "chamada em andamento"
            title.append(f"  ·  {view.flow_title} · {state}", "dim")
        self.query_one("#note-title", Static).update(title)
        phones = self.query_one("#phones", Input)
        phones.display = self.needs_phones()
        self.query_one("#phones-error").display = phones.display
        if phones.display:
            self.query_one("#phones-error", Static).update(
                "Para abrir a OS, pegue os telefones atualizados e tecle Enter."
            )
        self.query_one("#note-text", TextArea).text = self.call.note_text()

    @on(Input.Submitted, "#phones")
    @guarded
    def phones_entered(self, event: Input.Submitted) -> None:
        try:
            self.call.set_context("phones", event.value)
        except InputError as exc:
            self.query_one("#phones-error", Static).update(str(exc))
            return
        self.refresh_note()
        self.query_one("#note-text").focus()

    @guarded
    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.call.note_text())
        self.notify("Nota copiada para a área de transferência.", timeout=3)

    @guarded
    def action_finish(self) -> None:
        if self.needs_phones():
            self.query_one("#phones-error", Static).update(
                "Falta o telefone atualizado do cliente: é obrigatório ao abrir a OS."
            )
            self.query_one("#phones").focus()
            return
        text = self.call.finish()
        self.app.copy_to_clipboard(text)
        message = self.call.warning or "Chamada finalizada; nota copiada para colar no IXC."
        self.notify(message, severity="warning" if self.call.warning else "information")
        self.dismiss(True)
