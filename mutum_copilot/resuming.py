"""Offering a crashed or closed copilot's call back: claimed, per pack, never lost.

:func:`call_to_resume` claims the call atomically for this copilot (see
:meth:`mutum_copilot.history.HistoryStore.resumable_call`), only among the
calls of the packs loaded. A call that no longer fits the pack
(:func:`restore_problem`) is said so and kept; only the agent discards a call
(:func:`discard_call`), and then, like a finished one, it keeps its phones and
notes only inside its note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from mutum_copilot.callstate import notes_of, subjects_of, worth_keeping
from mutum_copilot.history import CallRecord, HistoryError, HistoryStore
from mutum_copilot.note import build_call_note
from mutum_copilot.triage.engine import Triage, clean_notes
from mutum_copilot.triage.session import SessionError


def call_to_resume(
    history: HistoryStore | None, pack_ids: Collection[str] | None = None
) -> CallRecord | None:
    """The unfinished call to offer at start, claimed for this copilot (None: none)."""
    if history is None:
        return None
    try:
        return history.resumable_call(pack_ids)
    except HistoryError:
        return None


def restore_problem(triage: Triage, record: CallRecord) -> str:
    """Why ``record`` cannot be resumed on this pack ("" when it can)."""
    try:
        for data in subjects_of(record.session):
            triage.restore(data)
    except SessionError as exc:
        return str(exc)
    return ""


def discard_call(
    history: HistoryStore,
    triage: Triage,
    record: CallRecord,
    clock: Callable[[], dt.datetime],
    *,
    agent: str = "",
) -> None:
    """The agent chose not to resume ``record``: kept with its note, phones only inside it."""
    note: str | None = None
    if worth_keeping(record.session) and not restore_problem(triage, record):
        sessions = [triage.restore(data) for data in subjects_of(record.session)]
        note = build_call_note(
            triage.pack,
            sessions,
            clean_notes(notes_of(record.session, record.notes)),
            clock(),
            n1=triage.n1,
            agent=agent,
            started_at=record.started_at,
        )[0]
    history.discard_call(record.id, note)
