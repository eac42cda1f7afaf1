"""The history's schema (version 4) and the migrations that bring older files up to it.

The version lives in ``PRAGMA user_version``; :func:`migrate` runs, in one
transaction, every step from the file's version to :data:`SCHEMA_VERSION`,
in place, so an agent's history survives every upgrade of the copilot.

Schema 3 (one call = one customer, one or more subjects)::

    calls     one row per call
      id            INTEGER  local row id (not stable across machines: use uid)
      uid           TEXT     globally unique (uuid4 hex); a team store syncs by it
      started_at, updated_at, finished_at   TEXT, ISO 8601 UTC (finished_at NULL: open)
      flow_id, flow_title   the current (last) subject's flow, for listings
      outcome, urgency      how the call ended ("open" if finished before an end,
                            "interrupted" if left for a new call)
      agent, pack_id, pack_version   who took it, on which pack (Pack.id / Pack.version)
      session_json  TEXT     the whole call state (see mutum_copilot.callstate): what
                             resuming reads back; personal values scrubbed once finished
      notes         TEXT     the free notes while the call is open ('' once finished:
                             they live on inside the note)
      note_text     TEXT     the finished OS note (the only place phones remain)
      owner_pid, owner_host, owner_token   the copilot that holds the call
      discarded     INTEGER  1: the agent chose not to resume it
      revision      INTEGER  +1 on every save: a sync pushes rows whose revision changed

    subjects  one row per subject of a call, PRIMARY KEY (call_id, seq)
      seq, uid, flow_id, flow_title, outcome, urgency,
      exit_node     the end node reached (or the node the subject was left at)
      started_at, ended_at, session_json (that subject's triage session)

    steps     one row per recorded step, PRIMARY KEY (call_id, seq), seq across subjects
      subject_seq, uid (the answer's uid: stable across saves), at, node_id, title,
      answer, value, verdict,
      n1_state, call_center_state   ShiftStatus.state of N1 and of the call center
                                    at the step's instant

Schema 4 adds what the team sync needs (``calls.synced_revision``, the
``faq_searches`` and ``meta`` tables): see :mod:`mutum_copilot.history_sync`.

A call's subjects and steps are rewritten whole on every save (undo removes
steps): a sync replaces them by uid when the call's revision changed.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

from mutum_copilot.callstate import call_dict, masked_tree, subjects_of
from mutum_copilot.history_sync import to_4
from mutum_copilot.safetext import clean
from mutum_copilot.triage.formats import mask_documents

SCHEMA_VERSION = 4  # 4: the team sync's columns and tables (mutum_copilot.history_sync)

CALLS = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    flow_id TEXT NOT NULL DEFAULT '',
    flow_title TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL DEFAULT '',
    agent TEXT NOT NULL DEFAULT '',
    pack_id TEXT NOT NULL DEFAULT '',
    pack_version TEXT NOT NULL DEFAULT '',
    session_json TEXT NOT NULL DEFAULT '{}',
    notes TEXT NOT NULL DEFAULT '',
    note_text TEXT NOT NULL DEFAULT '',
    owner_pid INTEGER NOT NULL DEFAULT 0,
    owner_host TEXT NOT NULL DEFAULT '',
    owner_token TEXT NOT NULL DEFAULT '',
    discarded INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 0
)"""
SUBJECTS = """
CREATE TABLE IF NOT EXISTS subjects (
    call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    uid TEXT NOT NULL,
    flow_id TEXT NOT NULL DEFAULT '',
    flow_title TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL DEFAULT '',
    exit_node TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL DEFAULT '',
    ended_at TEXT NOT NULL DEFAULT '',
    session_json TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (call_id, seq)
)"""
STEPS = """
CREATE TABLE IF NOT EXISTS steps (
    call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    subject_seq INTEGER NOT NULL DEFAULT 0,
    uid TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL DEFAULT '',
    node_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL DEFAULT '',
    n1_state TEXT NOT NULL DEFAULT '',
    call_center_state TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (call_id, seq)
)"""
INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS calls_uid ON calls (uid)",
    "CREATE INDEX IF NOT EXISTS calls_started ON calls (started_at)",
    "CREATE INDEX IF NOT EXISTS calls_open ON calls (finished_at, discarded)",
    "CREATE UNIQUE INDEX IF NOT EXISTS subjects_uid ON subjects (uid)",
)


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def migrate(db: sqlite3.Connection) -> None:
    """Create the schema, or bring an older one up to :data:`SCHEMA_VERSION` (in a transaction)."""
    version = user_version(db)
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(
            f"history written by a newer copilot (schema {version}); update mutum-copilot"
        )
    if "calls" not in _tables(db):
        for statement in (CALLS, SUBJECTS, STEPS, *INDEXES):
            db.execute(statement)
    else:
        if "owner_token" not in _columns(db, "calls"):  # schema 1 -> 2
            db.execute("ALTER TABLE calls ADD COLUMN owner_token TEXT NOT NULL DEFAULT ''")
        if version < 3 or "uid" not in _columns(db, "calls"):
            _to_3(db)
    to_4(db)  # schema 3 -> 4 (team sync); idempotent, also completes a fresh file
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _to_3(db: sqlite3.Connection) -> None:
    """Schema 2 -> 3: uids, pack versions, revisions, subjects, step states; CPFs masked."""
    calls = _columns(db, "calls")
    for name, kind in (
        ("uid", "TEXT NOT NULL DEFAULT ''"),
        ("pack_version", "TEXT NOT NULL DEFAULT ''"),
        ("revision", "INTEGER NOT NULL DEFAULT 0"),
    ):
        if name not in calls:
            db.execute(f"ALTER TABLE calls ADD COLUMN {name} {kind}")
    db.execute(SUBJECTS)
    db.execute(STEPS)  # a schema-1 file may lack it
    steps = _columns(db, "steps")
    for name, kind in (
        ("subject_seq", "INTEGER NOT NULL DEFAULT 0"),
        ("uid", "TEXT NOT NULL DEFAULT ''"),
        ("n1_state", "TEXT NOT NULL DEFAULT ''"),
        ("call_center_state", "TEXT NOT NULL DEFAULT ''"),
    ):
        if name not in steps:
            db.execute(f"ALTER TABLE steps ADD COLUMN {name} {kind}")
    rows = db.execute(
        "SELECT id, uid, session_json, notes, note_text, flow_id, flow_title, outcome,"
        " urgency, started_at, updated_at, finished_at FROM calls"
    ).fetchall()
    for row in rows:
        _call_to_3(db, row)
    for call_id, seq, answer, value in db.execute(
        "SELECT call_id, seq, answer, value FROM steps"
    ).fetchall():
        db.execute(
            "UPDATE steps SET uid = ?, answer = ?, value = ? WHERE call_id = ? AND seq = ?",
            (uuid.uuid4().hex, _masked(answer), _masked(value), call_id, seq),
        )
    for statement in INDEXES:
        db.execute(statement)


def _masked(text: str | None) -> str:
    return mask_documents(clean(text or ""))


def _call_to_3(db: sqlite3.Connection, row: tuple[object, ...]) -> None:
    """One call of an older schema: its session wrapped as a call, one subject row, masked."""
    call_id, uid, raw, notes, note_text, flow_id, flow_title, outcome, urgency = row[:9]
    started, updated, finished = row[9:12]
    try:
        data = json.loads(str(raw or "{}"))
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    sessions = [dict(s) for s in subjects_of(data)]
    for session in sessions:
        session.setdefault("uid", uuid.uuid4().hex)
    state = masked_tree(call_dict(sessions, _masked(str(notes or ""))))
    db.execute(
        "UPDATE calls SET uid = ?, session_json = ?, notes = ?, note_text = ? WHERE id = ?",
        (
            str(uid) if uid else uuid.uuid4().hex,
            json.dumps(state, ensure_ascii=False, sort_keys=True),
            _masked(str(notes or "")),
            _masked(str(note_text or "")),
            call_id,
        ),
    )
    for seq, session in enumerate(state["subjects"]):
        db.execute(
            "INSERT OR IGNORE INTO subjects (call_id, seq, uid, flow_id, flow_title, outcome,"
            " urgency, started_at, ended_at, session_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                call_id,
                seq,
                session["uid"],
                session.get("flow_id", flow_id),
                flow_title if session.get("flow_id") == flow_id else "",
                outcome if finished else "",
                urgency if finished else "",
                session.get("started_at", started),
                finished or updated or "",
                json.dumps(session, ensure_ascii=False, sort_keys=True),
            ),
        )
