"""The call history: a SQLite database that saves after every change and loses nothing.

Every call is one row in ``calls`` with its whole state (subjects, notes,
drafts; see :mod:`mutum_copilot.callstate`), one row per subject in
``subjects`` and one per answered step in ``steps``, so supervisors can query
and export it. The schema and its migrations are in
:mod:`mutum_copilot.history_schema`.

Why this shape:
- WAL mode lets two copilots (two terminals) write at once; each save is one
  short transaction, so a killed process leaves the last complete change on
  disk, and the next start offers to resume it.
- A write lock held by someone else never freezes the app: the app's store
  waits :data:`UI_BUSY_TIMEOUT_MS` at most, then :class:`HistoryBusyError`
  says so, and the call goes on in memory until a retry gets through.
- A call belongs to the copilot that holds it (``owner_token``, a lock kept
  while it runs, see :mod:`mutum_copilot.liveness`). Taking over a crashed
  copilot's call is one atomic ``UPDATE ... WHERE owner_token = <the dead one>``:
  of two copilots started together, exactly one gets it.
- Rows are saved by ``uid``: if the file is deleted or replaced while the app
  runs (its inode changes), the next save notices, reopens the path, and
  writes the whole call again; :meth:`HistoryStore.take_notice` says so.
- Nothing here sees a full CPF (the engine masks them, and every stored text
  is masked once more here). Once a call is finished or discarded, its phones
  and notes live only inside its OS note: the session is scrubbed, the WAL is
  checkpointed and truncated, and ``secure_delete`` zeroes what was removed.
- The files are owner-only (0600 in a 0700 folder), whatever the umask.
- Text read back loses any control character: a planted row cannot drive the
  terminal of whoever reads the history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mutum_copilot.callstate import notes_of, scrub_personal, worth_keeping
from mutum_copilot.errors import MutumError
from mutum_copilot.files import make_private, open_private, private_dir
from mutum_copilot.history_read import HistoryReads, iso
from mutum_copilot.history_records import (
    CallRecord,
    CallSnapshot,
    StepRecord,
    SubjectRecord,
)
from mutum_copilot.history_schema import SCHEMA_VERSION, migrate, user_version
from mutum_copilot.history_sync import SearchRecord, write_search
from mutum_copilot.history_write import (
    CallTakenError,
    HistoryBusyError,
    HistoryError,
    Owner,
    masked_json,
    masked_text,
    write_call,
    write_steps,
)
from mutum_copilot.liveness import OwnerLock, owner_alive
from mutum_copilot.paths import data_dir
from mutum_copilot.safetext import clean

__all__ = [
    "SCHEMA_VERSION",
    "CallRecord",
    "CallSnapshot",
    "CallTakenError",
    "HistoryBusyError",
    "HistoryError",
    "HistoryStore",
    "StepRecord",
    "SubjectRecord",
]

BUSY_TIMEOUT_MS = 10_000
#: What the TUI's store waits for another program's write lock before it gives up.
UI_BUSY_TIMEOUT_MS = 250
#: Opening (and migrating) may wait longer: it happens once, before the first screen.
OPEN_TIMEOUT_MS = 3_000


def _error(exc: BaseException, action: str, path: Path) -> HistoryError:
    text = str(exc).lower()
    kind = HistoryBusyError if ("locked" in text or "busy" in text) else HistoryError
    verb = {"write": "gravar", "read": "ler"}.get(action, action)
    return kind(f"não foi possível {verb} o histórico de chamadas em {path}: {exc}")


class HistoryStore(HistoryReads):
    """The SQLite call history. Every public method is one short transaction."""

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self.in_memory = str(path) == ":memory:"
        self.notice = ""
        self._file_id: tuple[int, int] | None = None
        self._db: sqlite3.Connection = self._connect()
        self._pid = os.getpid()
        self._host = socket.gethostname()
        self._owners = (
            Path(tempfile.gettempdir()) / "mutum-copilot-owners"
            if self.in_memory
            else (self.path.parent / "owners")
        )
        self._owner = OwnerLock(self._owners)
        # --- team sync hook (issue #12): called after every committed write -----------
        self.on_saved: Callable[[], None] | None = None

    # --- the file -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        """Open (or create, owner-only) the database and bring its schema up to date."""
        try:
            if not self.in_memory:
                # the app's own data folder is made 0700; a folder the agent chose loses
                # only the others' write bits
                private_dir(self.path.parent, strict=self.path.parent == data_dir())
                if not self.path.exists():
                    os.close(open_private(self.path, os.O_WRONLY | os.O_CREAT))
                make_private(self.path)
            db = sqlite3.connect(
                str(self.path), timeout=OPEN_TIMEOUT_MS / 1000, isolation_level=None
            )
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {max(OPEN_TIMEOUT_MS, self.busy_timeout_ms)}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            # removed rows are zeroed, not left in free pages (LGPD); not every build defaults to it
            db.execute("PRAGMA secure_delete = ON")
            if user_version(db) != SCHEMA_VERSION:
                db.execute("BEGIN IMMEDIATE")
                try:
                    migrate(db)
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # old, unmasked pages: gone
            db.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        except (sqlite3.Error, OSError, ValueError, MutumError) as exc:  # ValueError: a NUL
            raise HistoryError(
                f"não foi possível abrir o histórico de chamadas em {self.path}: {exc}"
            ) from exc
        if not self.in_memory:
            for suffix in ("-wal", "-shm"):
                make_private(self.path.with_name(self.path.name + suffix))
            self._file_id = self._identity()
        return db

    def _identity(self) -> tuple[int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return (info.st_dev, info.st_ino)

    def _same_file(self) -> None:
        """Reopen the path if the file was deleted or replaced since it was opened."""
        if self.in_memory or self._identity() == self._file_id:
            return
        old = self._db
        self._db = self._connect()
        old.close()
        self.notice = (
            "O arquivo do histórico foi apagado ou trocado enquanto o copiloto rodava; "
            "a chamada atual foi gravada de novo."
        )

    def take_notice(self) -> str:
        """A warning about the file itself (deleted, replaced) since the last call; once."""
        notice, self.notice = self.notice, ""
        return notice

    def close(self) -> None:
        """Close the database and let other copilots take over this one's calls."""
        self._owner.release()
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._same_file()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            raise _error(exc, "write", self.path) from exc
        if self.on_saved is not None:  # team sync hook: wakes the worker (never blocks)
            self.on_saved()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            self._same_file()
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _error(exc, "read", self.path) from exc

    def _checkpoint(self) -> None:
        """Move the WAL into the main file and empty it: old pages (phones) leave the disk."""
        with contextlib.suppress(sqlite3.Error):  # another copilot reading: its own will do it
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- writing a call -------------------------------------------------------------
    def start_call(
        self,
        started_at: dt.datetime,
        *,
        agent: str = "",
        pack_id: str = "",
        pack_version: str = "",
        flow_id: str = "",
        uid: str = "",
    ) -> int:
        """Open a new call owned by this process; returns its id."""
        stamp = iso(started_at)
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO calls (uid, started_at, updated_at, agent, pack_id, pack_version,"
                " flow_id, owner_pid, owner_host, owner_token, revision)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                (
                    uid or _new_uid(),
                    stamp,
                    stamp,
                    clean(agent),
                    pack_id,
                    pack_version,
                    flow_id,
                    self._pid,
                    self._host,
                    self._owner.token,
                ),
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
        """Save the whole current state of a call by its row id (see also :meth:`store_call`)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE calls SET updated_at = ?, session_json = ?, notes = ?, flow_id = ?,"
                " flow_title = ?, owner_pid = ?, owner_host = ?, owner_token = ?,"
                " revision = revision + 1 WHERE id = ?",
                (
                    iso(updated_at),
                    masked_json(session),
                    masked_text(notes),
                    flow_id,
                    clean(flow_title),
                    self._pid,
                    self._host,
                    self._owner.token,
                    call_id,
                ),
            )
            write_steps(db, call_id, steps)

    def store_call(self, call: CallSnapshot) -> int:
        """Write ``call`` whole, by its uid (inserted again if the file lost it); its row id.

        CallTakenError if another running copilot holds the call now.
        """
        owner = Owner(self._pid, self._host, self._owner.token)
        with self._transaction() as db:
            call_id = write_call(db, call, owner, lambda t: owner_alive(self._owners, t))
        if call.finished_at is not None:
            self._checkpoint()
        return call_id

    def update_state(self, call: CallSnapshot) -> bool:
        """Only the call's row (its state, notes, time): for a draft or notes being typed.

        False when the row is not there (the file was replaced, the call taken):
        the caller then writes the whole call with :meth:`store_call`.
        """
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE calls SET updated_at = ?, session_json = ?, notes = ?,"
                " revision = revision + 1 WHERE uid = ? AND owner_token = ?",
                (
                    iso(call.updated_at),
                    masked_json(call.session),
                    masked_text(call.notes),
                    call.uid,
                    self._owner.token,
                ),
            )
            return cursor.rowcount == 1

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
                " note_text = ?, notes = '', revision = revision + 1 WHERE id = ?",
                (
                    iso(finished_at),
                    iso(finished_at),
                    outcome,
                    urgency,
                    masked_text(note_text),
                    call_id,
                ),
            )
            if session is not None:
                db.execute(
                    "UPDATE calls SET session_json = ? WHERE id = ?",
                    (masked_json(session), call_id),
                )
        self._checkpoint()

    def discard_call(self, call_id: int, note_text: str | None = None) -> None:
        """The agent chose not to resume an unfinished call: keep it, but stop offering it.

        Like a finished call, it keeps no phones and no notes outside a note:
        ``note_text`` is its note when it could be built, else its free notes
        become the note; the session is scrubbed of personal values and drafts.
        """
        with self._transaction() as db:
            row = db.execute(
                "SELECT session_json, notes FROM calls WHERE id = ?", (call_id,)
            ).fetchone()
            if row is None:
                return
            try:
                data = json.loads(row[0] or "{}")
            except ValueError:
                data = {}
            notes = notes_of(data if isinstance(data, dict) else {}, row[1])
            if note_text is None:
                note_text = f"Observações do atendente:\n{notes}\n" if notes.strip() else ""
            scrubbed = scrub_personal(data if isinstance(data, dict) else {})
            db.execute(
                "UPDATE calls SET discarded = 1, notes = '', note_text = ?, session_json = ?,"
                " revision = revision + 1 WHERE id = ?",
                (masked_text(note_text), masked_json(scrubbed), call_id),
            )
            db.execute("UPDATE subjects SET session_json = '{}' WHERE call_id = ?", (call_id,))
        self._checkpoint()

    # --- FAQ searches (team sync, issue #12) ----------------------------------------
    def store_search(self, search: SearchRecord) -> None:
        """Write one FAQ search by its uid (see :mod:`mutum_copilot.history_sync`)."""
        with self._transaction() as db:
            write_search(db, search)

    # --- resuming -------------------------------------------------------------------
    def resumable_call(self, pack_ids: Collection[str] | None = None) -> CallRecord | None:
        """Claim the newest unfinished call whose copilot is gone; None if there is none.

        Only calls of ``pack_ids`` (the packs loaded; None: any) are considered, and
        the others are left exactly as they are. Claiming is atomic: the call's
        owner is changed only if it is still the dead one it was, so of two
        copilots started together, one gets the call and the other goes on to the
        next. Empty calls (nothing worth keeping) are discarded on the way.
        """
        rows = self._read(
            "SELECT * FROM calls WHERE finished_at IS NULL AND discarded = 0"
            " ORDER BY updated_at DESC, id DESC"
        )
        for row in rows:
            if pack_ids is not None and row["pack_id"] and row["pack_id"] not in pack_ids:
                continue
            token = row["owner_token"]
            mine = token == self._owner.token
            if not mine and owner_alive(self._owners, token):
                continue
            record = self._record(row)
            if not worth_keeping(record.session, record.notes):
                self.discard_call(record.id)
                continue
            if mine or self._claim(record.id, token):
                return self.get(record.id)
        return None

    def _claim(self, call_id: int, dead_token: str) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE calls SET owner_token = ?, owner_pid = ?, owner_host = ?"
                " WHERE id = ? AND owner_token = ? AND finished_at IS NULL AND discarded = 0",
                (self._owner.token, self._pid, self._host, call_id, dead_token),
            )
            return cursor.rowcount == 1

    def purge(self, older_than: dt.datetime) -> int:
        """Delete calls started before ``older_than``; returns how many went."""
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM calls WHERE started_at < ?", (iso(older_than),))
            gone = cursor.rowcount
        if gone:
            self._checkpoint()
        return gone


def _new_uid() -> str:
    return uuid.uuid4().hex
