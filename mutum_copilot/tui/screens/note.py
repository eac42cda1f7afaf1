"""The OS note: read it, add the customer's phones when the OS needs them, copy, finish.

The rules are the core's (:meth:`mutum_copilot.call.LiveCall.finish`): this
screen only shows them. ``f`` on a call that has not reached an end asks first
(a key that ends a call must mean it). A call of several subjects has one note
with a section each; ``s`` shows one note per subject instead, for an agent
who opens one OS each (``s`` again: the next one, then back to all).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static, TextArea

from mutum_copilot.call import FinishNeedsConfirmation, FinishRefused, LiveCall
from mutum_copilot.errors import InputError
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.ixc_keys import NOTE_IXC_BINDING
from mutum_copilot.tui.screens.dialog import Dialog


class ConfirmFinishScreen(Dialog[bool]):
    """``f`` again finishes a call that has not reached an end; Esc goes back."""

    BINDINGS = [
        Binding("f,ctrl+s", "answer(True)", "Finalizar mesmo assim", id="finish-confirm"),
        Binding("escape", "answer(False)", "Voltar", id="finish-cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(f"[b]{self.question}[/b]")
            yield Static("[b reverse] f [/]  Finalizar mesmo assim")
            yield Static("[dim]Esc volta à nota[/dim]")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NoteScreen(Dialog[bool]):
    """Dismisses with True when the call was finished (the note is then copied and saved)."""

    BINDINGS = [
        Binding("escape", "dismiss(False)", "Voltar à chamada", id="note-back"),
        Binding("c,ctrl+y", "copy", "Copiar nota", id="note-copy", key_display="c"),
        Binding("f,ctrl+s", "finish", "Finalizar chamada", id="note-finish", key_display="f"),
        Binding("s", "per_subject", "Uma OS por assunto", id="note-per-subject"),
        NOTE_IXC_BINDING,  # hook: "abrir no IXC" (hidden while the integration is off)
    ]

    def __init__(self, call: LiveCall, *, ixc: Any = None) -> None:
        super().__init__()
        self.call = call
        #: hook: "abrir no IXC" (tui/screens/ixc_os.py OsOffer); None hides the key.
        self.ixc = ixc
        #: None: the whole call in one note; n: the note of subject n only.
        self.subject: int | None = None

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
        return bool(self.call.finish_problem())

    def shown_note(self) -> str:
        """The note on screen: the whole call's, or one subject's."""
        if self.subject is None:
            return self.call.note_text()
        return self.call.note_texts(per_subject=True)[self.subject]

    @guarded
    def refresh_note(self) -> None:
        view = self.call.view()
        title = Text("Nota da OS", "bold")
        if view is not None:
            state = view.outcome.label if view.outcome else "chamada em andamento"
            count = len(self.call.subjects)
            if self.subject is not None:
                title.append(f"  ·  OS {self.subject + 1} de {count}", "bold cyan")
            elif count > 1:
                title.append(f"  ·  {count} assuntos (s: uma OS por assunto)", "dim")
            title.append(f"  ·  {view.flow_title} · {state}", "dim")
        self.query_one("#note-title", Static).update(title)
        phones = self.query_one("#phones", Input)
        phones.display = self.needs_phones()
        self.query_one("#phones-error").display = phones.display
        if phones.display:
            self.query_one("#phones-error", Static).update(
                "Para abrir a OS, pegue os telefones atualizados e tecle Enter."
            )
        self.query_one("#note-text", TextArea).text = self.shown_note()

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
    def action_per_subject(self) -> None:
        count = len(self.call.subjects)
        if count < 2:
            self.notify("A chamada tem um assunto só: a nota já é uma OS.", timeout=3)
            return
        if self.subject is None:
            self.subject = 0
        elif self.subject + 1 < count:
            self.subject += 1
        else:
            self.subject = None
        self.refresh_note()

    # --- hook: "abrir no IXC" (tui/screens/ixc_os.py) --------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.ixc is not None if action == "open_ixc" else True

    @guarded
    def action_open_ixc(self) -> None:
        if self.ixc is not None:
            self.ixc.open_from(self, self.shown_note(), self.refresh_note)

    @guarded
    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.shown_note())
        self.notify("Nota copiada para a área de transferência.", timeout=3)

    @guarded
    def action_finish(self) -> None:
        self.finish(confirmed=False)

    def finish(self, *, confirmed: bool) -> None:
        shown = self.shown_note()
        try:
            self.call.finish(confirmed=confirmed)
        except FinishRefused as exc:
            self.query_one("#phones-error", Static).update(str(exc))
            self.query_one("#phones-error").display = True
            phones = self.query_one("#phones", Input)
            phones.display = True
            phones.focus()
            return
        except FinishNeedsConfirmation as exc:
            self.app.push_screen(ConfirmFinishScreen(str(exc)), self.confirmed)
            return
        self.app.copy_to_clipboard(shown)
        message = self.call.warning or "Chamada finalizada; nota copiada para colar no IXC."
        self.notify(message, severity="warning" if self.call.warning else "information")
        self.dismiss(True)

    @guarded
    def confirmed(self, yes: bool | None) -> None:
        if yes:
            self.finish(confirmed=True)
