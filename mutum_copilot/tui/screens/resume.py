"""At start: an unfinished call was found (the app was closed or crashed). Resume it?"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from mutum_copilot.history import CallRecord
from mutum_copilot.tui.screens.dialog import Dialog


class ResumeScreen(Dialog[bool]):
    """1 resumes exactly where the call was; 2 leaves it in the history, unfinished."""

    BINDINGS = [
        Binding("1,enter", "answer(True)", "Retomar", id="resume-yes"),
        Binding("2,escape", "answer(False)", "Descartar", id="resume-no"),
    ]

    DEFAULT_CSS = """
    ResumeScreen > .dialog-box { width: 70; height: auto; padding: 1 2; }
    """

    def __init__(self, record: CallRecord, zone: ZoneInfo) -> None:
        super().__init__()
        self.record = record
        self.zone = zone

    def compose(self) -> ComposeResult:
        started = self.record.started_at.astimezone(self.zone)
        steps = len(self.record.session.get("answers", []))
        with Vertical(classes="dialog-box"):
            yield Static("[b]Chamada não finalizada encontrada[/b]")
            yield Static(
                f"Início {started:%d/%m %H:%M} · {self.record.flow_title or self.record.flow_id}"
                f" · {steps} passos"
            )
            yield Static("[b reverse] 1 [/]  Retomar de onde parou")
            yield Static("[b reverse] 2 [/]  Descartar (fica no histórico)")

    def action_answer(self, resume: bool) -> None:
        self.dismiss(resume)
