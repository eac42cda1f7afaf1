"""'Abrir no IXC' from the OS note: exactly what will be sent, sent on a second key, read back.

The note screen's key (``i``) opens this preview; nothing leaves the machine
until ``e`` here, a different key, is pressed. The send runs in a worker
thread (a slow IXC never holds a key up) and is never retried: a failure
closes this dialog with one notification in the agent's words, and the note
is still on the note screen to paste by hand. On success the OS number IXC
stored (read back and compared by the core) goes into the call's notes, so
it is in the OS note and in the history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.notifications import SeverityLevel as Severity
from textual.widgets import Footer, Static

from mutum_copilot.call import LiveCall
from mutum_copilot.errors import MutumError
from mutum_copilot.integrations.os_ixc import OsDraft, OsReceipt
from mutum_copilot.integrations.prefill import said_at
from mutum_copilot.integrations.service import Integrations
from mutum_copilot.integrations.snapshot import CustomerSnapshot
from mutum_copilot.logs import get_logger
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.ixc_keys import OS_BINDINGS
from mutum_copilot.tui.screens.dialog import Dialog

log = get_logger("tui")
UNEXPECTED = "erro inesperado ao falar com o IXC (detalhes no log)"


def receipt_line(receipt: OsReceipt, when: str) -> str:
    """The line the call's notes get: the OS number, the ticket and IXC's protocol."""
    line = f"OS nº {receipt.os_id} aberta no IXC (atendimento {receipt.ticket_id}"
    if receipt.protocol:
        line += f", protocolo {receipt.protocol}"
    return line + f"), {when}."


@dataclass
class OsOffer:
    """What the note screen needs to offer "abrir no IXC" for the call's current subject."""

    service: Integrations
    snapshot: CustomerSnapshot
    contract_id: str
    call: LiveCall
    #: Told of every OS opened (the lookup panel keeps the receipts).
    on_opened: Callable[[OsReceipt], None]

    def draft(self, note: str) -> OsDraft | str:
        """The OS to send with ``note`` as its message, or why it cannot be sent (pt-BR)."""
        problem = self.call.finish_problem()
        if problem:
            return problem
        view = self.call.view()
        outcome = view.outcome if view is not None else None
        if outcome is None or not outcome.opens_os:
            return "o atendimento ainda não chegou a um fim que abre OS."
        if not self.service.can_open_os(outcome.outcome):
            return f'o pacote não tem os ids do IXC para o desfecho "{outcome.label}".'
        try:
            return self.service.draft_os(
                self.snapshot,
                self.contract_id,
                outcome=outcome.outcome,
                urgency=outcome.urgency,
                subject=outcome.os_subject,
                note=note,
            )
        except MutumError as exc:
            return str(exc)

    def record(self, receipt: OsReceipt) -> str:
        """Put the OS number into the call's notes (so the note and the history have it)."""
        zone = self.call.triage.pack.facts.call_center.time_zone
        now = self.call.clock()
        line = receipt_line(receipt, said_at(now, zone, "às", now))
        notes = self.call.notes.rstrip()
        self.call.set_notes(f"{notes}\n{line}" if notes else line)
        self.on_opened(receipt)
        return line

    def open_from(self, note_screen: Dialog[bool], note: str, done: Callable[[], None]) -> None:
        """The preview over the note screen (or one notification saying why not)."""
        draft = self.draft(note)
        if isinstance(draft, str):
            note_screen.notify(f"Não dá para abrir no IXC: {draft}", severity="warning")
            return

        def closed(receipt: OsReceipt | None) -> None:
            if receipt is not None:
                self.record(receipt)
                done()
                for text in note_screen.query("#note-text").results():
                    text.scroll_end(animate=False)  # the OS number, at the note's end, in view

        note_screen.app.push_screen(IxcOsScreen(draft, self.service), closed)


class IxcOsScreen(Dialog[OsReceipt | None]):
    """The preview of the ticket and OS; ``e`` sends once, Esc goes back with nothing sent."""

    BINDINGS = [*OS_BINDINGS]

    def __init__(self, draft: OsDraft, service: Integrations) -> None:
        super().__init__()
        self.draft = draft
        self.service = service
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text("Abrir no IXC: isto será enviado", "bold"))
            with VerticalScroll(id="ixc-os-fields"):
                yield Static(Text("\n".join(self.draft.preview())), id="ixc-os-preview")
            yield Static(
                Text.assemble(
                    (" e ", "bold reverse"),
                    " enviar ao IXC (atendimento e OS)   ",
                    ("Esc volta sem enviar nada", "dim"),
                ),
                id="ixc-os-state",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ixc-os-fields").focus()

    @guarded
    def action_cancel(self) -> None:
        if self.sending:
            self.notify("Enviando ao IXC: aguarde a resposta.", timeout=3)
            return
        self.dismiss(None)

    @guarded
    def action_send(self) -> None:
        if self.sending:
            return  # a write is sent once, never again by a repeated key
        self.sending = True
        self.query_one("#ixc-os-state", Static).update(Text("Enviando ao IXC…", "italic"))
        self.run_worker(self.send, thread=True, group="ixc-write", exit_on_error=False)

    def send(self) -> None:
        """In a worker thread: the write and the re-read (blocking)."""
        try:
            receipt = self.service.open_os(self.draft)
        except MutumError as exc:
            self.back_on_loop(self.failed, str(exc))
            return
        except Exception as exc:
            log.error("opening the OS in IXC failed", exc_info=exc)
            self.back_on_loop(self.failed, UNEXPECTED)
            return
        self.back_on_loop(self.sent, receipt)

    def back_on_loop(self, callback: Callable[..., None], *args: object) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed meanwhile
            log.warning("a reply from IXC came after the app closed")

    @guarded
    def failed(self, message: str) -> None:
        self.notify(
            f"OS não aberta no IXC: {message}. A nota continua aqui para colar no IXC.",
            severity="error",
            timeout=12,
        )
        self.dismiss(None)

    @guarded
    def sent(self, receipt: OsReceipt) -> None:
        text = f"OS nº {receipt.os_id} aberta no IXC (atendimento {receipt.ticket_id})."
        if receipt.mismatches:
            text += " O IXC guardou diferente: " + "; ".join(receipt.mismatches)
        if receipt.warning:
            text += f" {receipt.warning}"
        severity: Severity = "warning" if receipt.mismatches or receipt.warning else "information"
        self.notify(text, severity=severity, timeout=10)
        self.dismiss(receipt)
