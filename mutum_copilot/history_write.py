"""Writing one call's rows: the call, its subjects and its steps, masked on the way in.

The SQL half of :meth:`mutum_copilot.history.HistoryStore.store_call`, run
inside the store's transaction. A call is found by its ``uid`` (a row id is
only local): missing (the file was replaced), it is inserted whole again;
held by another running copilot, it is refused (:class:`CallTakenError`).
Every text is cleaned of control characters and has its CPFs/CNPJs masked
once more before it is written, whatever the engine already did.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mutum_copilot.callstate import masked_tree
from mutum_copilot.errors import MutumError
from mutum_copilot.history_read import iso
from mutum_copilot.history_records import CallSnapshot, StepRecord, SubjectRecord
from mutum_copilot.safetext import clean
from mutum_copilot.triage.formats import mask_documents


class HistoryError(MutumError):
    """The history database cannot be read or written (read-only disk, full disk...)."""


class HistoryBusyError(HistoryError):
    """Another program holds the history's write lock: the write can be retried later."""


class CallTakenError(HistoryError):
    """Another running copilot holds this call now: this one must not overwrite it."""


@dataclass(frozen=True)
class Owner:
    """The copilot writing: its process, machine and lock token."""

    pid: int
    host: str
    token: str


_COLUMNS = (
    "started_at",
    "updated_at",
    "finished_at",
    "flow_id",
    "flow_title",
    "outcome",
    "urgency",
    "agent",
    "pack_id",
    "pack_version",
    "session_json",
    "notes",
    "note_text",
    "owner_pid",
    "owner_host",
    "owner_token",
)


def masked_json(data: Mapping[str, Any]) -> str:
    return json.dumps(masked_tree(data), ensure_ascii=False, sort_keys=True)


def masked_text(text: str) -> str:
    return mask_documents(clean(text))


def write_call(
    db: sqlite3.Connection, call: CallSnapshot, owner: Owner, alive: Callable[[str], bool]
) -> int:
    """Insert or update ``call`` by uid, then its subjects and steps; its row id."""
    finished = call.finished_at is not None
    values = (
        iso(call.started_at),
        iso(call.finished_at or call.updated_at),
        iso(call.finished_at) if call.finished_at else None,
        call.flow_id,
        clean(call.flow_title),
        call.outcome,
        call.urgency,
        clean(call.agent),
        call.pack_id,
        call.pack_version,
        masked_json(call.session),
        "" if finished else masked_text(call.notes),
        masked_text(call.note_text),
        owner.pid,
        owner.host,
        owner.token,
    )
    row = db.execute("SELECT id, owner_token FROM calls WHERE uid = ?", (call.uid,)).fetchone()
    if row is None:
        cursor = db.execute(
            f"INSERT INTO calls (uid, revision, {', '.join(_COLUMNS)})"
            f" VALUES (?, 1, {', '.join('?' * len(_COLUMNS))})",
            (call.uid, *values),
        )
        call_id = int(cursor.lastrowid or 0)
    else:
        call_id, token = int(row[0]), row[1]
        if token != owner.token and alive(token):
            raise CallTakenError(
                "outro copiloto aberto assumiu esta chamada; ela não foi sobrescrita"
            )
        assignments = ", ".join(f"{c} = ?" for c in _COLUMNS)
        db.execute(
            f"UPDATE calls SET {assignments}, revision = revision + 1"
            " WHERE id = ? AND owner_token = ?",
            (*values, call_id, token),
        )
    write_subjects(db, call_id, call.subjects)
    write_steps(db, call_id, call.steps)
    return call_id


def write_subjects(db: sqlite3.Connection, call_id: int, subjects: Sequence[SubjectRecord]) -> None:
    db.execute("DELETE FROM subjects WHERE call_id = ?", (call_id,))
    db.executemany(
        "INSERT INTO subjects (call_id, seq, uid, flow_id, flow_title, outcome, urgency,"
        " exit_node, started_at, ended_at, session_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                call_id,
                s.seq,
                s.uid or uuid.uuid4().hex,
                s.flow_id,
                clean(s.flow_title),
                s.outcome,
                s.urgency,
                s.exit_node,
                s.started_at,
                s.ended_at,
                masked_json(s.session),
            )
            for s in subjects
        ],
    )


def write_steps(db: sqlite3.Connection, call_id: int, steps: Sequence[StepRecord]) -> None:
    db.execute("DELETE FROM steps WHERE call_id = ?", (call_id,))
    db.executemany(
        "INSERT INTO steps (call_id, seq, subject_seq, uid, at, node_id, title, answer,"
        " value, verdict, n1_state, call_center_state)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                call_id,
                seq,
                s.subject_seq,
                s.uid or uuid.uuid4().hex,
                s.at,
                s.node_id,
                clean(s.title),
                masked_text(s.answer),
                masked_text(s.value),
                s.verdict,
                s.n1_state,
                s.call_center_state,
            )
            for seq, s in enumerate(steps)
        ],
    )
