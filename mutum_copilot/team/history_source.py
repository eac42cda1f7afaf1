"""The seat's history as a :class:`~.records.SyncSource`: what the team store has not seen yet.

The adapter reads the seat's own SQLite history (schema 4, see
:mod:`mutum_copilot.history_sync`) through its own connection, opened in the
sync thread and never shared with the app's: WAL lets it read while the app
writes, and its one write (``mark_synced``) is a short transaction behind a
generous busy timeout, so neither ever waits long for the other.

A call is pending while its ``revision`` is newer than ``synced_revision``:
finished, in progress or discarded alike, oldest change first. It leaves as
one :class:`~.records.TeamCall` at its current revision with all its subjects
and steps; personal data never gets a field (the step answers are the
history's masked ones; the free notes and the session are not read), and the
OS note only with ``team.sync_note_texts`` (the store drops it otherwise).
``mark_synced`` records ``max(synced_revision, revision sent)``, so a call
saved again meanwhile stays pending. Searches alike.

:func:`read_calls` turns rows into records for the local reports too, so that
the seat's report counts exactly what the store would.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from mutum_copilot.history_sync import seat_id
from mutum_copilot.safetext import clean, clean_line
from mutum_copilot.team.records import FaqSearch, SyncBatch, TeamCall, TeamStep, TeamSubject

#: The sync thread may wait this long for the app's write lock (the app waits 250 ms at most).
SYNC_BUSY_TIMEOUT_MS = 5_000
_CALL_COLUMNS = (
    "id, uid, revision, started_at, updated_at, finished_at, agent, pack_id, pack_version,"
    " discarded, note_text"
)


def _time(text: object, fallback: dt.datetime | None = None) -> dt.datetime | None:
    """A stored instant as an aware datetime (naive ones are UTC); ``fallback`` when empty."""
    if not text:
        return fallback
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return fallback
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _automatic(session_json: str) -> set[str]:
    """Uids of the answers the engine took by itself (branches, clock checks)."""
    try:
        data = json.loads(session_json or "{}")
    except ValueError:
        return set()
    answers = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(answers, list):
        return set()
    return {str(a.get("uid")) for a in answers if isinstance(a, dict) and a.get("auto")}


def _call(db: sqlite3.Connection, row: sqlite3.Row, seat: str) -> TeamCall:
    started = _time(row["started_at"])
    assert started is not None
    updated = _time(row["updated_at"], started)
    assert updated is not None
    subjects, automatic = [], set()
    for s in db.execute(
        "SELECT seq, uid, flow_id, flow_title, outcome, urgency, exit_node, started_at,"
        " ended_at, session_json FROM subjects WHERE call_id = ? ORDER BY seq",
        (row["id"],),
    ):
        automatic |= _automatic(s["session_json"])
        subject_start = _time(s["started_at"], started)
        assert subject_start is not None
        subjects.append(
            TeamSubject(
                uid=s["uid"],
                seq=s["seq"],
                flow_id=clean_line(s["flow_id"]),
                started_at=subject_start,
                flow_title=clean_line(s["flow_title"]),
                outcome=clean_line(s["outcome"]),
                urgency=clean_line(s["urgency"]),
                exit_node=clean_line(s["exit_node"]),
                ended_at=_time(s["ended_at"]),
            )
        )
    known = {s.seq for s in subjects}
    steps: list[TeamStep] = []
    order: dict[int, int] = {}
    for s in db.execute(
        "SELECT subject_seq, uid, at, node_id, title, answer, value, verdict, n1_state,"
        " call_center_state FROM steps WHERE call_id = ? ORDER BY seq",
        (row["id"],),
    ):
        if s["subject_seq"] not in known or not s["uid"]:
            continue  # a row no subject owns: nothing a report could place
        seq = order.get(s["subject_seq"], 0)
        order[s["subject_seq"]] = seq + 1
        at = _time(s["at"], updated)
        assert at is not None
        steps.append(
            TeamStep(
                uid=s["uid"],
                subject_seq=s["subject_seq"],
                seq=seq,
                at=at,
                node_id=clean_line(s["node_id"]),
                node_title=clean_line(s["title"]),
                answer=clean(s["answer"]),
                value=clean(s["value"]),
                verdict=clean_line(s["verdict"]),
                n1_state=s["n1_state"],
                call_center_state=s["call_center_state"],
                automatic=s["uid"] in automatic,
            )
        )
    return TeamCall(
        uid=row["uid"],
        revision=max(1, int(row["revision"])),
        started_at=started,
        updated_at=max(updated, started),
        agent=clean_line(row["agent"]),
        pack_id=clean_line(row["pack_id"]),
        pack_version=clean_line(row["pack_version"]),
        finished_at=_time(row["finished_at"]),
        discarded=bool(row["discarded"]),
        seat=seat,
        subjects=tuple(subjects),
        steps=tuple(steps),
        note_text=clean(row["note_text"]) if row["finished_at"] else "",
    )


def _search(row: sqlite3.Row, seat: str) -> FaqSearch:
    at = _time(row["at"])
    assert at is not None

    def ids(text: str) -> tuple[str, ...]:
        try:
            found = json.loads(text or "[]")
        except ValueError:
            return ()
        return tuple(str(i) for i in found) if isinstance(found, list) else ()

    return FaqSearch(
        uid=row["uid"],
        revision=max(1, int(row["revision"])),
        at=at,
        query=row["query"],
        agent=row["agent"],
        pack_id=row["pack_id"],
        pack_version=row["pack_version"],
        shown=ids(row["shown"]),
        opened=ids(row["opened"]),
        answered=bool(row["answered"]),
        call_uid=row["call_uid"] or None,
        seat=seat,
    )


def read_calls(db: sqlite3.Connection, rows: Iterable[sqlite3.Row], seat: str) -> list[TeamCall]:
    """The records of ``rows`` (of ``calls``); a row that cannot make one is skipped."""
    found = []
    for row in rows:
        try:
            found.append(_call(db, row, seat))
        except (ValueError, TypeError, AssertionError):
            continue  # a damaged row (no uid, no start): it would be refused forever
    return found


def read_searches(rows: Iterable[sqlite3.Row], seat: str) -> list[FaqSearch]:
    found = []
    for row in rows:
        try:
            found.append(_search(row, seat))
        except (ValueError, TypeError, AssertionError):
            continue
    return found


def open_history_db(
    path: Path, *, busy_timeout_ms: int = SYNC_BUSY_TIMEOUT_MS
) -> sqlite3.Connection:
    """A connection of this thread to an existing history (the app created and migrated it)."""
    db = sqlite3.connect(
        f"file:{path}?mode=rw", uri=True, timeout=busy_timeout_ms / 1000, isolation_level=None
    )
    db.row_factory = sqlite3.Row
    db.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    return db


class HistorySource:
    """:class:`~.records.SyncSource` over the seat's history file (one per sync thread)."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = SYNC_BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        self.db = open_history_db(self.path, busy_timeout_ms=busy_timeout_ms)
        self.seat = seat_id(self.db)
        self._skipped: set[str] = set()

    def close(self) -> None:
        self.db.close()

    def pending(self, limit: int) -> SyncBatch:
        self.db.execute("BEGIN")  # one snapshot for the calls and their rows
        try:
            rows = self.db.execute(
                f"SELECT {_CALL_COLUMNS} FROM calls WHERE revision > synced_revision"
                " AND uid <> '' ORDER BY updated_at, id LIMIT ?",
                (limit,),
            ).fetchall()
            calls = read_calls(self.db, rows, self.seat)
            searches = read_searches(
                self.db.execute(
                    "SELECT * FROM faq_searches WHERE revision > synced_revision"
                    " ORDER BY at, uid LIMIT ?",
                    (limit,),
                ).fetchall(),
                self.seat,
            )
        finally:
            self.db.execute("COMMIT")
        if len(calls) < len(rows):  # damaged rows: never sent, so mark them to move on
            self._skip({r["uid"]: r["revision"] for r in rows}, calls)
        return SyncBatch(tuple(calls), tuple(searches))

    def _skip(self, revisions: dict[str, Any], calls: Sequence[TeamCall]) -> None:
        sent = {c.uid for c in calls}
        with self._write() as db:
            db.executemany(
                "UPDATE calls SET synced_revision = revision WHERE uid = ? AND revision = ?",
                [(uid, rev) for uid, rev in revisions.items() if uid not in sent],
            )

    def mark_synced(self, batch: SyncBatch) -> None:
        with self._write() as db:
            db.executemany(
                "UPDATE calls SET synced_revision = max(synced_revision, ?) WHERE uid = ?",
                [(c.revision, c.uid) for c in batch.calls],
            )
            db.executemany(
                "UPDATE faq_searches SET synced_revision = max(synced_revision, ?) WHERE uid = ?",
                [(s.revision, s.uid) for s in batch.searches],
            )

    def count_pending(self) -> int:
        """Calls and searches the store has not seen at their current revision."""
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM calls WHERE revision > synced_revision AND uid <> '')"
            " + (SELECT count(*) FROM faq_searches WHERE revision > synced_revision)"
        ).fetchone()
        return int(row[0])

    def _write(self) -> _Write:
        return _Write(self.db)


class _Write:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on error) on the adapter's connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")
