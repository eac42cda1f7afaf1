"""At start: an unfinished call was found (the app was closed or crashed). Resume it?

The call was already claimed for this copilot (no other copilot offers it at
the same time). If it no longer fits the pack (a flow was edited since), the
dialog says why and offers to discard it or leave it for later: it is never
discarded behind the agent's back.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from mutum_copilot.callstate import notes_of, subjects_of
from mutum_copilot.history import CallRecord
from mutum_copilot.safetext import clean_line
from mutum_copilot.tui.screens.dialog import Dialog


class ResumeScreen(Dialog[bool | None]):
    """1 resumes exactly where the call was; 2 discards it (kept in the history); Esc: later."""

    BINDINGS = [
        Binding("1,enter", "answer(True)", "Retomar", id="resume-yes"),
        Binding("2", "answer(False)", "Descartar", id="resume-no"),
        Binding("escape", "later", "Deixar para depois", id="resume-later"),
    ]

    def __init__(
        self, record: CallRecord, zone: ZoneInfo, problem: str = "", *, provider: str = ""
    ) -> None:
        super().__init__()
        self.record = record
        self.zone = zone
        self.problem = problem
        #: The call's provider, named when the seat serves several.
        self.provider = provider

    def compose(self) -> ComposeResult:
        started = self.record.started_at.astimezone(self.zone)
        subjects = subjects_of(self.record.session)
        steps = sum(len(s.get("answers") or ()) for s in subjects if isinstance(s, dict))
        titles = self.record.flow_title or self.record.flow_id or "nenhum assunto ainda"
        what = f"{len(subjects)} assuntos, o último: {titles}" if len(subjects) > 1 else titles
        offset = started.strftime("%z")
        zone = f"GMT{int(offset[:3]):+d}" if offset else ""
        with Vertical(classes="dialog-box"):
            yield Static("[b]Chamada não finalizada encontrada[/b]")
            if self.provider:
                yield Static(f"Provedor: [b]{escape(clean_line(self.provider))}[/b]")
            yield Static(f"Início {started:%d/%m %H:%M} {zone} · {what} · {steps} passos")
            if notes_of(self.record.session, self.record.notes).strip():
                yield Static("[dim]Com notas da chamada.[/dim]")
            if self.problem:
                yield Static(f"[b red]Não dá para retomar:[/] {self.problem}")
            else:
                yield Static("[b reverse] 1 [/]  Retomar de onde parou")
            yield Static("[b reverse] 2 [/]  Descartar (fica no histórico, com a nota)")
            yield Static("[dim]Esc: deixar para depois (será oferecida de novo)[/dim]")

    def action_answer(self, resume: bool) -> None:
        if resume and self.problem:
            return  # nothing to resume on this pack
        self.dismiss(resume)

    def action_later(self) -> None:
        self.dismiss(None)
