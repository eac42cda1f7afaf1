"""Reading the call history back: calls, their subjects and steps, cleaned as they come.

The read half of :class:`mutum_copilot.history.HistoryStore`, kept apart so the
store's module stays about writing safely. Every text read here loses its
control characters (:func:`~mutum_copilot.safetext.clean`): a row planted in
the file by anyone cannot drive the terminal of whoever reads the history.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from typing import Any

from mutum_copilot.history_records import (
    CallRecord,
    StepRecord,
    SubjectRecord,
    clean_value,
    loads_clean,
)
from mutum_copilot.safetext import clean


def iso(moment: dt.datetime) -> str:
    """An aware instant as stored: ISO 8601 in UTC, to the second."""
    if moment.tzinfo is None:
        raise ValueError("history times must be aware datetimes")
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def parse_time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


class HistoryReads:
    """The queries of the history; the store provides :meth:`_read`."""

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        raise NotImplementedError

    def get(self, call_id: int) -> CallRecord | None:
        rows = self._read("SELECT * FROM calls WHERE id = ?", (call_id,))
        return self._record(rows[0]) if rows else None

    def get_uid(self, uid: str) -> CallRecord | None:
        rows = self._read("SELECT * FROM calls WHERE uid = ?", (uid,))
        return self._record(rows[0]) if rows else None

    def steps(self, call_id: int) -> list[StepRecord]:
        rows = self._read(
            "SELECT at, node_id, title, answer, value, verdict, subject_seq, uid, n1_state,"
            " call_center_state FROM steps WHERE call_id = ? ORDER BY seq",
            (call_id,),
        )
        return [StepRecord(**{k: clean_value(v) for k, v in dict(row).items()}) for row in rows]

    def subjects(self, call_id: int) -> list[SubjectRecord]:
        rows = self._read("SELECT * FROM subjects WHERE call_id = ? ORDER BY seq", (call_id,))
        found = []
        for row in rows:
            fields = {k: clean_value(v) for k, v in dict(row).items() if k != "call_id"}
            fields["session"] = loads_clean(fields.pop("session_json"))
            found.append(SubjectRecord(**fields))
        return found

    def recent(self, limit: int = 50) -> list[CallRecord]:
        rows = self._read("SELECT * FROM calls ORDER BY started_at DESC, id DESC LIMIT ?", (limit,))
        return [self._record(row) for row in rows]

    def since(self, moment: dt.datetime) -> list[CallRecord]:
        rows = self._read(
            "SELECT * FROM calls WHERE started_at >= ? ORDER BY started_at, id", (iso(moment),)
        )
        return [self._record(row) for row in rows]

    def _record(self, row: sqlite3.Row) -> CallRecord:
        started = parse_time(row["started_at"])
        updated = parse_time(row["updated_at"])
        assert started is not None and updated is not None
        keys = row.keys()
        return CallRecord(
            id=row["id"],
            started_at=started,
            updated_at=updated,
            finished_at=parse_time(row["finished_at"]),
            flow_id=clean(row["flow_id"]),
            flow_title=clean(row["flow_title"]),
            outcome=clean(row["outcome"]),
            urgency=clean(row["urgency"]),
            agent=clean(row["agent"]),
            session=loads_clean(row["session_json"]),
            notes=clean(row["notes"]),
            note_text=clean(row["note_text"]),
            owner_pid=row["owner_pid"],
            owner_host=clean(row["owner_host"]),
            uid=row["uid"] if "uid" in keys else "",
            pack_id=clean(row["pack_id"]),
            pack_version=clean(row["pack_version"]) if "pack_version" in keys else "",
            revision=row["revision"] if "revision" in keys else 0,
            discarded=bool(row["discarded"]),
        )
