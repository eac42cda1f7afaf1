"""The call in progress: one customer, one or more subjects, saved after every change.

The TUI calls these methods and shows what they return; it never touches the
engine or the database itself. A call exists (in the history) from the first
thing worth keeping: a subject chosen, a note typed (even before any subject)
or a value half-typed (the draft). Every change is saved at once, so closing
the terminal or a crash loses nothing. When the disk refuses a write, or
another program holds the history's lock, the call goes on in memory,
:attr:`LiveCall.warning` says so, and :meth:`LiveCall.retry_save` (or the next
change) writes the whole call again.

"Same customer, another subject" adds a subject to the call: the earlier ones
stay in the history and in the OS note (one section each, or one note per
subject), and the new one starts from what the call already knows.

The business rules of finishing live here, not in the TUI: an OS is never
finished without the customer's updated phones (:class:`FinishRefused`), and
finishing a call whose current subject has not reached an end needs the
agent's explicit confirmation (:class:`FinishNeedsConfirmation`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from mutum_copilot.call_records import PERSONAL_PLACEHOLDER, step_records, subject_records
from mutum_copilot.callstate import call_dict, notes_of, subjects_of
from mutum_copilot.errors import InputError, MutumError
from mutum_copilot.history import (
    CallRecord,
    CallSnapshot,
    CallTakenError,
    HistoryBusyError,
    HistoryError,
    HistoryStore,
    StepRecord,
    SubjectRecord,
)
from mutum_copilot.note import build_call_note
from mutum_copilot.resuming import call_to_resume, discard_call, restore_problem
from mutum_copilot.shift import ShiftClock
from mutum_copilot.triage.engine import Triage, clean_notes, new_uid
from mutum_copilot.triage.session import Session
from mutum_copilot.triage.views import Preview, StepView

__all__ = [
    "PERSONAL_PLACEHOLDER",
    "FinishNeedsConfirmation",
    "FinishRefused",
    "LiveCall",
    "call_to_resume",
    "discard_call",
    "restore_problem",
]
PHONES_MISSING = "Falta o telefone atualizado do cliente: é obrigatório ao abrir a OS."
NOT_ENDED = "A chamada não chegou ao fim do fluxo. Finalizar mesmo assim?"
BUSY = (
    "Histórico ocupado por outro programa; a chamada segue na memória e será gravada "
    "assim que ele liberar."
)


class FinishRefused(InputError):
    """The call cannot be finished as it is (an OS without the customer's phones)."""


class FinishNeedsConfirmation(MutumError):
    """The current subject has not reached an end: finishing needs the agent's yes."""


class LiveCall:
    """One call, from the first thing worth keeping to the finished OS note."""

    def __init__(
        self,
        triage: Triage,
        history: HistoryStore | None,
        clock: Callable[[], dt.datetime],
        *,
        agent: str = "",
        pack_id: str = "",
        pack_version: str = "",
        shift_clock: ShiftClock | None = None,
    ) -> None:
        self.triage = triage
        self.history = history
        self.clock = clock
        self.agent = agent
        self.pack_id = pack_id
        self.pack_version = pack_version
        self.shift_clock = shift_clock
        self.uid = new_uid()
        self.subjects: list[Session] = []
        self.call_id: int | None = None
        self.started_at: dt.datetime | None = None
        self.finished = False
        self.warning = ""
        #: The last change did not reach the disk: :meth:`retry_save` will write it.
        self.pending = False
        self._notes = ""
        self._states: dict[dt.datetime, tuple[str, str]] = {}

    # --- reading --------------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        """The current subject's triage session (None before the first subject)."""
        return self.subjects[-1] if self.subjects else None

    @property
    def active(self) -> bool:
        return self.session is not None and not self.finished

    @property
    def worth_keeping(self) -> bool:
        """A subject chosen, a note typed or a value half-typed: the call must exist."""
        draft = self.session.draft if self.session is not None else None
        return bool(self.subjects) or bool(self._notes.strip()) or bool(draft and draft.text)

    def view(self) -> StepView | None:
        return None if self.session is None else self.triage.view(self.session)

    def values(self) -> dict[str, str]:
        """The call's values now (the current subject carries the earlier ones')."""
        return {} if self.session is None else dict(self.triage.values(self.session))

    def preview(self, text: str) -> Preview:
        assert self.session is not None
        return self.triage.preview(self.session, text)

    @property
    def notes(self) -> str:
        return self._notes

    def to_dict(self) -> dict[str, Any]:
        """The call's state as the history keeps it (see :mod:`mutum_copilot.callstate`)."""
        return call_dict([s.to_dict() for s in self.subjects], self._notes)

    def note_text(self) -> str:
        """The OS note of the whole call: one section per subject."""
        return self.note_texts(per_subject=False)[0]

    def note_texts(self, *, per_subject: bool = True) -> list[str]:
        """One OS note per subject (or one for the call), for an agent who opens one OS each."""
        return build_call_note(
            self.triage.pack,
            self.subjects,
            self._notes,
            self.clock(),
            n1=self.triage.n1,
            agent=self.agent,
            per_subject=per_subject,
            started_at=self.started_at,
        )

    # --- changing -------------------------------------------------------------------
    def start_flow(self, flow_id: str) -> StepView:
        """Start a subject: the first, or another of the same customer (values carried).

        A subject nothing was answered in yet (picked by mistake) is replaced.
        """
        carry = self.values() if self.session is not None else None
        session = self.triage.start(flow_id, carry=carry)
        current = self.session
        if current is not None and all(a.auto or a.carried for a in current.answers):
            self.subjects[-1] = session
        else:
            self.subjects.append(session)
        self._save()
        return self.triage.view(session)

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

    def set_draft(self, text: str) -> None:
        """What the agent is typing in the step's box: kept, so nothing typed is lost."""
        if self.session is None or self.finished:
            return
        drafted = self.triage.with_draft(self.session, text)
        if drafted != self.session:
            self.subjects[-1] = drafted
            self._save(light=True)

    def set_notes(self, notes: str) -> None:
        """The free notes (also before any subject): saved as they are typed."""
        cleaned = clean_notes(notes)
        if cleaned != self._notes:
            self._notes = cleaned
            self._save(light=True)

    def refresh(self) -> StepView | None:
        """The step again, following the live N1 clock; None when nothing changed."""
        if not self.active or self.session is None:
            return None
        moved = self.triage.refresh(self.session)
        if moved == self.session:
            return None
        self.subjects[-1] = moved
        self._save()
        return self.triage.view(moved)

    # --- ending ---------------------------------------------------------------------
    def finish_problem(self) -> str:
        """Why the call cannot be finished now ("" when it can): an OS needs the phones."""
        phones = self.values().get("phones")
        for session in self.subjects:
            outcome = self.triage.view(session).outcome
            if outcome is not None and outcome.opens_os and not phones:
                return PHONES_MISSING
        return ""

    def needs_confirmation(self) -> bool:
        """The current subject has not reached an end (finishing it now is a choice)."""
        view = self.view()
        return view is None or not view.ended

    def finish(self, *, confirmed: bool = False) -> str:
        """End the call and return its OS note; phones and notes then live only inside it.

        FinishRefused: an OS without phones. FinishNeedsConfirmation: the current
        subject has not ended and ``confirmed`` is False.
        """
        problem = self.finish_problem()
        if problem:
            raise FinishRefused(problem)
        if self.needs_confirmation() and not confirmed:
            raise FinishNeedsConfirmation(NOT_ENDED)
        view = self.view()
        outcome = view.outcome.outcome if view is not None and view.outcome else "open"
        text = self.note_text()
        self._close(outcome, text)
        return text

    def abandon(self) -> None:
        """Leave the call for a new one: recorded as it is ("interrupted"), note built."""
        if self.finished:
            return
        if not self.worth_keeping:
            self.finished = True
            return
        self._close("interrupted", self.note_text())

    def _close(self, outcome: str, text: str) -> None:
        self.finished = True
        if self.history is None:
            return
        if self.started_at is None:
            self.started_at = self.clock()
        scrubbed = [s.without_personal().with_notes("") for s in self.subjects]
        snapshot = self._snapshot(scrubbed, "")
        snapshot = replace(
            snapshot,
            finished_at=self.clock(),
            outcome=outcome,
            urgency=self._urgency(),
            note_text=text,
        )
        try:
            self.call_id = self.history.store_call(snapshot)
        except HistoryError as exc:
            self.warning = f"Nota não foi salva no histórico ({exc}); copie-a agora."
        else:
            self.warning = self.history.take_notice()

    def _urgency(self) -> str:
        found = [self.triage.view(s).outcome for s in self.subjects]
        urgencies = [o.urgency for o in found if o is not None and o.urgency]
        return "alta" if "alta" in urgencies else (urgencies[-1] if urgencies else "")

    # --- the history ----------------------------------------------------------------
    def resume(self, record: CallRecord) -> StepView | None:
        """Continue an unfinished call exactly where it was (subjects, notes, draft).

        SessionError if a subject no longer fits the loaded pack: nothing changes,
        and the call stays in the history as it was.
        """
        sessions = [_with_uids(self.triage.restore(data)) for data in subjects_of(record.session)]
        self.subjects = sessions
        self._notes = clean_notes(notes_of(record.session, record.notes))
        self.uid = record.uid or self.uid
        self.call_id = record.id
        self.started_at = record.started_at
        self._save()
        return self.view()

    def rebased(self, triage: Triage) -> LiveCall:
        """This call on a reloaded pack's triage (SessionError if a subject no longer fits)."""
        other = LiveCall(
            triage,
            self.history,
            self.clock,
            agent=self.agent,
            pack_id=self.pack_id,
            pack_version=self.pack_version,
            shift_clock=self.shift_clock,
        )
        other.subjects = [triage.restore(s.to_dict()) for s in self.subjects]
        other.uid, other.call_id, other.started_at = self.uid, self.call_id, self.started_at
        other._notes, other.finished = self._notes, self.finished
        other.warning, other.pending = self.warning, self.pending
        return other

    def retry_save(self) -> bool:
        """Write the call again after a refused save; True once it is on disk."""
        if self.pending and not self.finished:
            self._save()
        return not self.pending

    def _apply(self, change: Callable[[Session], Session]) -> StepView:
        assert self.session is not None, "no flow started"
        self.subjects[-1] = change(self.session)
        self._save()
        return self.triage.view(self.subjects[-1])

    def _save(self, *, light: bool = False) -> None:
        if self.history is None or self.finished or not self.worth_keeping:
            return
        if self.started_at is None:
            self.started_at = self.clock()
        snapshot = self._snapshot(self.subjects, self._notes, light=light)
        try:
            if not (light and self.call_id is not None and self.history.update_state(snapshot)):
                self.call_id = self.history.store_call(self._snapshot(self.subjects, self._notes))
        except CallTakenError as exc:
            self.warning, self.pending = f"{exc}; a chamada segue só nesta tela.", False
        except HistoryBusyError:
            self.warning, self.pending = BUSY, True
        except HistoryError as exc:
            self.warning = f"Não foi possível salvar no disco ({exc}); a chamada segue na memória."
            self.pending = True
        else:
            self.warning, self.pending = self.history.take_notice(), False

    def _snapshot(self, sessions: list[Session], notes: str, light: bool = False) -> CallSnapshot:
        assert self.started_at is not None
        current = sessions[-1] if sessions else None
        flow = self.triage.flow(current.flow_id) if current is not None else None
        return CallSnapshot(
            uid=self.uid,
            started_at=self.started_at,
            updated_at=self.clock(),
            session=call_dict([s.to_dict() for s in sessions], notes),
            notes=notes,
            agent=self.agent,
            pack_id=self.pack_id,
            pack_version=self.pack_version,
            flow_id=flow.id if flow else "",
            flow_title=flow.title if flow else "",
            subjects=() if light else self._subject_records(sessions),
            steps=() if light else self._step_records(sessions),
        )

    def _subject_records(self, sessions: list[Session]) -> list[SubjectRecord]:
        return subject_records(self.triage, sessions)

    def _step_records(self, sessions: list[Session]) -> list[StepRecord]:
        return step_records(self.triage, sessions, self._states_at)

    def _states_at(self, moment: dt.datetime) -> tuple[str, str]:
        """N1's and the call center's states (ShiftStatus.state) at ``moment``, computed once."""
        if moment not in self._states:
            if self.shift_clock is None:
                self.shift_clock = ShiftClock.from_facts(self.triage.pack.facts, self.clock)
            self._states[moment] = (
                self.shift_clock.n1_status(moment).state,
                self.shift_clock.call_center_status(moment).state,
            )
        return self._states[moment]


def _with_uids(session: Session) -> Session:
    """A session saved before uids existed, given them now (then stable across saves)."""
    if session.uid and all(a.uid for a in session.answers):
        return session
    answers = tuple(a if a.uid else replace(a, uid=new_uid()) for a in session.answers)
    return replace(session, uid=session.uid or new_uid(), answers=answers)
