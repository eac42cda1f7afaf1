"""The call history: a SQLite database that saves after every step and loses nothing.

Every call is one row in ``calls`` with its triage session (JSON), the agent's
notes and, once finished, its outcome and OS note; ``steps`` mirrors the
session's path (one row per answer) so supervisors can query and export it.

Why this shape:
- WAL mode and a busy timeout let two copilots (two terminals) write at once.
- Each save is one short transaction, so a killed process leaves the last
  complete step on disk, and the next start can offer to resume.
- A call belongs to the copilot that opened it (``owner_token``, a lock held
  while it runs, see :mod:`mutum_copilot.liveness`); another copilot only
  offers to resume it once that one is gone.
- Nothing here sees a full CPF: the triage engine keeps only the masked form.
  Personal values (phones) are dropped from the stored session when the call
  ends; they then live only inside the finished OS note.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutum_copilot.errors import MutumError
from mutum_copilot.liveness import OwnerLock, owner_alive

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    flow_id TEXT NOT NULL DEFAULT '',
    flow_title TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    urgency TEXT NOT NULL DEFAULT '',
    agent TEXT NOT NULL DEFAULT '',
    pack_id TEXT NOT NULL DEFAULT '',
    session_json TEXT NOT NULL DEFAULT '{}',
    notes TEXT NOT NULL DEFAULT '',
    note_text TEXT NOT NULL DEFAULT '',
    owner_pid INTEGER NOT NULL DEFAULT 0,
    owner_host TEXT NOT NULL DEFAULT '',
    owner_token TEXT NOT NULL DEFAULT '',
    discarded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS calls_started ON calls (started_at);
CREATE INDEX IF NOT EXISTS calls_open ON calls (finished_at, discarded);
CREATE TABLE IF NOT EXISTS steps (
    call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL DEFAULT '',
    node_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (call_id, seq)
);
"""


class HistoryError(MutumError):
    """The history database cannot be read or written (read-only disk, full disk...)."""


@dataclass(frozen=True)
class StepRecord:
    """One answered step, as stored for supervisors."""

    node_id: str
    title: str = ""
    answer: str = ""
    value: str = ""
    verdict: str = ""
    at: str = ""


@dataclass(frozen=True)
class CallRecord:
    """One call as read back from the database."""

    id: int
    started_at: dt.datetime
    updated_at: dt.datetime
    finished_at: dt.datetime | None
    flow_id: str
    flow_title: str
    outcome: str
    urgency: str
    agent: str
    session: Mapping[str, Any]
    notes: str
    note_text: str
    owner_pid: int
    owner_host: str

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("history times must be aware datetimes")
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _parse(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


class HistoryStore:
    """The SQLite call history. Every public method is one short transaction."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            self._db.row_factory = sqlite3.Row
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            # purged calls are zeroed, not left in free pages (LGPD); not every build defaults to it
            self._db.execute("PRAGMA secure_delete = ON")
            with self._transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._migrate()
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except (sqlite3.Error, OSError, ValueError) as exc:  # ValueError: a NUL in the path
            raise HistoryError(f"cannot open the call history at {self.path}: {exc}") from exc
        self._pid = os.getpid()
        self._host = socket.gethostname()
        in_memory = str(path) == ":memory:"
        self._owners = (
            Path(tempfile.gettempdir()) / "mutum-copilot-owners"
            if in_memory
            else (self.path.parent / "owners")
        )
        self._owner = OwnerLock(self._owners)

    def _migrate(self) -> None:
        """Bring a database written by an older copilot up to the current schema."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(calls)")}
        if "owner_token" not in columns:  # schema 1
            self._db.execute("ALTER TABLE calls ADD COLUMN owner_token TEXT NOT NULL DEFAULT ''")

    def close(self) -> None:
        """Close the database and let other copilots take over this one's calls."""
        self._owner.release()
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            raise HistoryError(f"cannot write the call history at {self.path}: {exc}") from exc

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise HistoryError(f"cannot read the call history at {self.path}: {exc}") from exc

    def start_call(
        self, started_at: dt.datetime, *, agent: str = "", pack_id: str = "", flow_id: str = ""
    ) -> int:
        """Open a new call owned by this process; returns its id."""
        stamp = _iso(started_at)
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO calls (started_at, updated_at, agent, pack_id, flow_id,"
                " owner_pid, owner_host, owner_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (stamp, stamp, agent, pack_id, flow_id, self._pid, self._host, self._owner.token),
            )
            return int(cursor.lastrowid or 0)

    def save_call(
        self,
        call_id: int,
        *,
        updated_at: dt.datetime,
        session: Mapping[str, Any],
        steps: Sequence[StepRecord],
        notes: str,
        flow_id: str = "",
        flow_title: str = "",
    ) -> None:
        """Save the whole current state of a call (after a step or a notes edit)."""
        payload = json.dumps(session, ensure_ascii=False, sort_keys=True)
        with self._transaction() as db:
            db.execute(
                "UPDATE calls SET updated_at = ?, session_json = ?, notes = ?, flow_id = ?,"
                " flow_title = ?, owner_pid = ?, owner_host = ?, owner_token = ? WHERE id = ?",
                (
                    _iso(updated_at),
                    payload,
                    notes,
                    flow_id,
                    flow_title,
                    self._pid,
                    self._host,
                    self._owner.token,
                    call_id,
                ),
            )
            db.execute("DELETE FROM steps WHERE call_id = ?", (call_id,))
            db.executemany(
                "INSERT INTO steps (call_id, seq, at, node_id, title, answer, value, verdict)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (call_id, seq, s.at, s.node_id, s.title, s.answer, s.value, s.verdict)
                    for seq, s in enumerate(steps)
                ],
            )

    def finish_call(
        self,
        call_id: int,
        *,
        finished_at: dt.datetime,
        outcome: str,
        urgency: str,
        note_text: str,
        session: Mapping[str, Any] | None = None,
    ) -> None:
        """Record the call as finished with its OS note; ``session`` is the scrubbed final state.

        The free notes are cleared from their own column: they live on inside the
        note, and whatever personal data an agent typed there goes no further.
        """
        with self._transaction() as db:
            db.execute(
                "UPDATE calls SET finished_at = ?, updated_at = ?, outcome = ?, urgency = ?,"
                " note_text = ?, notes = '' WHERE id = ?",
                (_iso(finished_at), _iso(finished_at), outcome, urgency, note_text, call_id),
            )
            if session is not None:
                payload = json.dumps(session, ensure_ascii=False, sort_keys=True)
                db.execute("UPDATE calls SET session_json = ? WHERE id = ?", (payload, call_id))

    def discard_call(self, call_id: int) -> None:
        """The agent chose not to resume an unfinished call: keep it, but stop offering it."""
        with self._transaction() as db:
            db.execute("UPDATE calls SET discarded = 1 WHERE id = ?", (call_id,))

    def resumable_call(self) -> CallRecord | None:
        """The newest unfinished call whose copilot is gone (closed or crashed)."""
        rows = self._read(
            "SELECT * FROM calls WHERE finished_at IS NULL AND discarded = 0"
            " ORDER BY updated_at DESC"
        )
        for row in rows:
            mine = row["owner_token"] == self._owner.token
            if mine or not owner_alive(self._owners, row["owner_token"]):
                record = self._record(row)
                if record.session:
                    return record
        return None

    def get(self, call_id: int) -> CallRecord | None:
        rows = self._read("SELECT * FROM calls WHERE id = ?", (call_id,))
        return self._record(rows[0]) if rows else None

    def steps(self, call_id: int) -> list[StepRecord]:
        rows = self._read(
            "SELECT at, node_id, title, answer, value, verdict FROM steps"
            " WHERE call_id = ? ORDER BY seq",
            (call_id,),
        )
        return [StepRecord(**dict(row)) for row in rows]

    def recent(self, limit: int = 50) -> list[CallRecord]:
        rows = self._read("SELECT * FROM calls ORDER BY started_at DESC, id DESC LIMIT ?", (limit,))
        return [self._record(row) for row in rows]

    def since(self, moment: dt.datetime) -> list[CallRecord]:
        rows = self._read(
            "SELECT * FROM calls WHERE started_at >= ? ORDER BY started_at, id", (_iso(moment),)
        )
        return [self._record(row) for row in rows]

    def purge(self, older_than: dt.datetime) -> int:
        """Delete calls started before ``older_than``; returns how many went."""
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM calls WHERE started_at < ?", (_iso(older_than),))
            return cursor.rowcount

    def _record(self, row: sqlite3.Row) -> CallRecord:
        try:
            session = json.loads(row["session_json"] or "{}")
        except json.JSONDecodeError:
            session = {}
        started = _parse(row["started_at"])
        updated = _parse(row["updated_at"])
        assert started is not None and updated is not None
        return CallRecord(
            id=row["id"],
            started_at=started,
            updated_at=updated,
            finished_at=_parse(row["finished_at"]),
            flow_id=row["flow_id"],
            flow_title=row["flow_title"],
            outcome=row["outcome"],
            urgency=row["urgency"],
            agent=row["agent"],
            session=session if isinstance(session, dict) else {},
            notes=row["notes"],
            note_text=row["note_text"],
            owner_pid=row["owner_pid"],
            owner_host=row["owner_host"],
        )
