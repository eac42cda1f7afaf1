"""The call in progress: the triage session plus its history row, saved after every change.

The TUI calls these methods and shows what they return; it never touches the
engine or the database itself. Every change (a choice, a value, going back, a
context edit, a notes edit) is saved at once, so closing the terminal or a
crash loses nothing. When the disk refuses a write, the call goes on in memory
and :attr:`LiveCall.warning` says so; the next change tries the disk again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from mutum_copilot.history import CallRecord, HistoryError, HistoryStore, StepRecord
from mutum_copilot.note import build_note
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.session import Session
from mutum_copilot.triage.views import Preview, StepView

PERSONAL_PLACEHOLDER = "(dado pessoal: só na nota da OS)"


class LiveCall:
    """One call, from the first flow chosen to the finished OS note."""

    def __init__(
        self,
        triage: Triage,
        history: HistoryStore | None,
        clock: Callable[[], dt.datetime],
        *,
        agent: str = "",
        pack_id: str = "",
    ) -> None:
        self.triage = triage
        self.history = history
        self.clock = clock
        self.agent = agent
        self.pack_id = pack_id
        self.session: Session | None = None
        self.call_id: int | None = None
        self.started_at: dt.datetime | None = None
        self.finished = False
        self.warning = ""
        self._pending_notes = ""  # typed before any flow was chosen

    # --- reading --------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.session is not None and not self.finished

    def view(self) -> StepView | None:
        return None if self.session is None else self.triage.view(self.session)

    def values(self) -> dict[str, str]:
        return {} if self.session is None else dict(self.triage.values(self.session))

    def preview(self, text: str) -> Preview:
        assert self.session is not None
        return self.triage.preview(self.session, text)

    def note_text(self) -> str:
        if self.session is None:
            return ""
        return build_note(self.triage.pack, self.session, self.clock(), agent=self.agent)

    @property
    def notes(self) -> str:
        return self.session.notes if self.session is not None else self._pending_notes

    # --- changing -------------------------------------------------------------------
    def start_flow(self, flow_id: str) -> StepView:
        """Start ``flow_id``; a flow chosen again mid-call keeps the call's values and notes."""
        self.session = self.triage.start(flow_id, carry=self.session)
        if self._pending_notes and not self.session.notes:
            self.session = self.triage.with_notes(self.session, self._pending_notes)
        if self.started_at is None:
            self.started_at = self.clock()
        self._save()
        return self.triage.view(self.session)

    def choose(self, number: int) -> StepView:
        return self._apply(lambda s: self.triage.choose(s, number))

    def proceed(self) -> StepView:
        return self._apply(self.triage.proceed)

    def enter(self, text: str) -> StepView:
        """Record a typed value; raises InputError (nothing changes) if it is not usable."""
        return self._apply(lambda s: self.triage.enter(s, text))

    def back(self, steps: int = 1) -> StepView:
        return self._apply(lambda s: self.triage.back(s, steps))

    def set_context(self, name: str, text: str) -> StepView:
        return self._apply(lambda s: self.triage.set_context(s, name, text))

    def set_notes(self, notes: str) -> None:
        if self.session is None:
            self._pending_notes = notes
            return
        self.session = self.triage.with_notes(self.session, notes)
        self._save()

    def finish(self) -> str:
        """End the call: the note is saved with the outcome; phones leave the stored session."""
        assert self.session is not None
        text = self.note_text()
        view = self.triage.view(self.session)
        outcome = view.outcome.outcome if view.outcome else "open"
        urgency = view.outcome.urgency if view.outcome else ""
        self.finished = True
        if self.history is not None and self.call_id is not None:
            try:
                self.history.finish_call(
                    self.call_id,
                    finished_at=self.clock(),
                    outcome=outcome,
                    urgency=urgency,
                    note_text=text,
                    session=self.session.without_personal().with_notes("").to_dict(),
                )
            except HistoryError as exc:
                self.warning = f"Nota não foi salva no histórico ({exc}); copie-a agora."
        return text

    def resume(self, record: CallRecord) -> StepView:
        """Continue an unfinished call from the history exactly where it was."""
        self.session = self.triage.restore(record.session)
        self.call_id = record.id
        self.started_at = record.started_at
        self._save()
        return self.triage.view(self.session)

    # --- internals ------------------------------------------------------------------
    def _apply(self, change: Callable[[Session], Session]) -> StepView:
        assert self.session is not None, "no flow started"
        self.session = change(self.session)
        self._save()
        return self.triage.view(self.session)

    def _save(self) -> None:
        if self.history is None or self.session is None:
            return
        try:
            if self.call_id is None:
                self.call_id = self.history.start_call(
                    self.started_at or self.clock(), agent=self.agent, pack_id=self.pack_id
                )
            flow = self.triage.flow(self.session.flow_id)
            self.history.save_call(
                self.call_id,
                updated_at=self.clock(),
                session=self.session.to_dict(),
                steps=self._step_records(),
                notes=self.session.notes,
                flow_id=flow.id,
                flow_title=flow.title,
            )
        except HistoryError as exc:
            self.warning = f"Não foi possível salvar no disco ({exc}); a chamada segue na memória."
        else:
            self.warning = ""

    def _step_records(self) -> list[StepRecord]:
        assert self.session is not None
        return [
            StepRecord(
                node_id=step.node_id,
                title=step.title,
                answer=PERSONAL_PLACEHOLDER if step.personal else step.answer,
                value="" if step.personal else step.value,
                verdict=step.verdict,
                at=step.at.isoformat(),
            )
            for step in self.triage.path(self.session)
        ]


def call_to_resume(history: HistoryStore | None) -> CallRecord | None:
    """The unfinished call to offer at start; empty ones (nothing answered) are dropped."""
    if history is None:
        return None
    try:
        while (record := history.resumable_call()) is not None:
            if record.session.get("answers") or record.notes:
                return record
            history.discard_call(record.id)
    except HistoryError:
        return None
    return None
