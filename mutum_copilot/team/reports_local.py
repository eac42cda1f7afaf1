"""The reports answered by one seat's local history, counted exactly as the team store counts.

A seat without ``team.url`` still gets ``mutum-copilot report``. The calls of
the period are read through the sync's own adapter (:mod:`.history_source`),
minimised and derived by the store's own functions (:func:`~.store.call_row`,
:func:`~.store.subject_rows`, :func:`~.store.step_rows`), then counted here in
Python with the definitions of :mod:`.reports`. So a seat's report and the
store's report of the same calls agree row for row (a test checks both
against one hand-counted fixture). One seat's night is a few hundred rows: no
index is needed beyond the history's ``calls_started``.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mutum_copilot.history_read import iso
from mutum_copilot.history_sync import seat_id
from mutum_copilot.team.history_source import (
    open_history_db,
    read_calls,
    read_searches,
)
from mutum_copilot.team.records import FaqSearch, TeamCall
from mutum_copilot.team.reports import (
    ExitRow,
    GapRow,
    HourRow,
    OutcomeRow,
    ReportQuery,
    TimeRow,
    Totals,
    time_rows,
)
from mutum_copilot.team.scrub import minimise_call, minimise_search, query_key
from mutum_copilot.team.store import call_row, step_rows, subject_rows

_CALL_COLUMNS = (
    "id, uid, revision, started_at, updated_at, finished_at, agent, pack_id, pack_version,"
    " discarded, note_text"
)
# positions in store.subject_rows / store.step_rows
_S_FLOW, _S_TITLE, _S_EXIT, _S_EXIT_TITLE = 3, 4, 7, 8
_S_SECONDS, _S_N1, _S_AGENT, _S_PACK, _S_START, _S_CATEGORY = 11, 12, 14, 15, 16, 17
_T_AUTO, _T_SECONDS, _T_FLOW, _T_AGENT, _T_PACK, _T_START = 12, 13, 14, 15, 16, 17


def _closed(state: str) -> bool:
    return state not in ("", "on_shift")


def _whole(seconds: float) -> float:
    """PostgreSQL's ``round()`` (half away from zero), as the store's histograms use."""
    return float(math.floor(seconds + 0.5))


def _histogram(values: Iterable[float]) -> list[tuple[float, int]]:
    return sorted(Counter(_whole(v) for v in values).items())


class RecordReports:
    """:class:`~.reports.ReportBackend` over records in memory (the seat's calls and searches)."""

    source = "local"

    def __init__(self, calls: Iterable[TeamCall], searches: Iterable[FaqSearch]) -> None:
        minimised = [minimise_call(c) for c in calls]
        self.calls = [call_row(c) for c in minimised]
        self.subjects = [row for c in minimised for row in subject_rows(c)]
        self.steps = [row for c in minimised for row in step_rows(c)]
        self.searches = [minimise_search(s) for s in searches]

    # --- filters ---------------------------------------------------------------------
    @staticmethod
    def _keep(query: ReportQuery, started: dt.datetime, agent: str, pack_id: str) -> bool:
        return (
            query.since <= started < query.until
            and (not query.agent or agent == query.agent)
            and (not query.pack_id or pack_id == query.pack_id)
        )

    def _calls(self, query: ReportQuery) -> list[dict[str, Any]]:
        return [
            c
            for c in self.calls
            if self._keep(
                query, dt.datetime.fromisoformat(c["started_at"]), c["agent"], c["pack_id"]
            )
        ]

    def _subjects(self, query: ReportQuery) -> list[tuple[Any, ...]]:
        return [s for s in self.subjects if self._keep(query, s[_S_START], s[_S_AGENT], s[_S_PACK])]

    def _steps(self, query: ReportQuery) -> list[tuple[Any, ...]]:
        return [
            s
            for s in self.steps
            if self._keep(query, s[_T_START], s[_T_AGENT], s[_T_PACK])
            and not s[_T_AUTO]
            and s[_T_SECONDS] is not None
        ]

    def _searches(self, query: ReportQuery) -> list[FaqSearch]:
        return [s for s in self.searches if self._keep(query, s.at, s.agent, s.pack_id)]

    # --- the eight answers -----------------------------------------------------------
    def totals(self, query: ReportQuery) -> Totals:
        calls = self._calls(query)
        return Totals(
            calls=len(calls),
            subjects=len(self._subjects(query)),
            searches=len(self._searches(query)),
            agents=len({c["agent"] for c in calls}),
        )

    def outcomes(self, query: ReportQuery) -> list[OutcomeRow]:
        groups: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for s in self._subjects(query):
            groups[s[_S_FLOW]].append(s)
        rows = []
        for flow, own in groups.items():
            counts = Counter(s[_S_CATEGORY] for s in own)
            rows.append(
                OutcomeRow(
                    flow,
                    max(s[_S_TITLE] for s in own),
                    len(own),
                    resolved=counts["resolved"],
                    os=counts["os"],
                    forwarded=counts["forwarded"],
                    open=counts["open"],
                    other=counts["other"],
                )
            )
        return sorted(rows, key=lambda r: (-r.total, r.flow_id))

    def exits(self, query: ReportQuery) -> list[ExitRow]:
        groups: dict[tuple[str, str, str], list[tuple[Any, ...]]] = defaultdict(list)
        for s in self._subjects(query):
            if s[_S_EXIT]:
                groups[(s[_S_FLOW], s[_S_EXIT], s[_S_CATEGORY])].append(s)
        rows = [
            ExitRow(
                flow,
                max(s[_S_TITLE] for s in own),
                node,
                max(s[_S_EXIT_TITLE] for s in own),
                bucket,
                len(own),
            )
            for (flow, node, bucket), own in groups.items()
        ]
        return sorted(rows, key=lambda r: (r.flow_id, -r.count, r.node_id))

    def _times(
        self,
        whole: dict[str, list[float]],
        parts: dict[str, list[float]],
        labels: dict[str, str],
    ) -> list[TimeRow]:
        hists = {group: _histogram(values) for group, values in whole.items()}
        step_hists = {group: _histogram(values) for group, values in parts.items()}
        return time_rows(hists, step_hists, labels)

    @staticmethod
    def _by(rows: Iterable[Any], key: Callable[[Any], str], value: Callable[[Any], Any]) -> Any:
        found: dict[str, list[float]] = defaultdict(list)
        for row in rows:
            if value(row) is not None:
                found[key(row)].append(float(value(row)))
        return found

    def subject_times(self, query: ReportQuery) -> list[TimeRow]:
        subjects = self._subjects(query)
        labels: dict[str, str] = {}
        for s in subjects:
            labels[s[_S_FLOW]] = max(labels.get(s[_S_FLOW], ""), s[_S_TITLE])
        whole = self._by(subjects, lambda s: s[_S_FLOW], lambda s: s[_S_SECONDS])
        parts = self._by(self._steps(query), lambda s: s[_T_FLOW], lambda s: s[_T_SECONDS])
        return self._times(whole, parts, labels)

    def agent_times(self, query: ReportQuery) -> list[TimeRow]:
        whole = self._by(self._calls(query), lambda c: c["agent"], lambda c: c["seconds"])
        parts = self._by(self._steps(query), lambda s: s[_T_AGENT], lambda s: s[_T_SECONDS])
        return self._times(whole, parts, {})

    def hours(self, query: ReportQuery) -> list[HourRow]:
        zone = ZoneInfo(query.zone)
        found: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for c in self._calls(query):
            row = found[dt.datetime.fromisoformat(c["started_at"]).astimezone(zone).hour]
            row[0] += 1
            row[1] += _closed(c["n1_state"])
            row[2] += _closed(c["n1_state"]) and _closed(c["call_center_state"])
        for s in self._subjects(query):
            if s[_S_CATEGORY] == "os":
                row = found[s[_S_START].astimezone(zone).hour]
                row[3] += 1
                row[4] += _closed(s[_S_N1])
        return [HourRow(hour, *counts) for hour, counts in found.items() if counts[0]]

    def _gaps(
        self, query: ReportQuery, keep: Callable[[FaqSearch], bool], limit: int
    ) -> list[GapRow]:
        groups: dict[str, Counter[str]] = defaultdict(Counter)
        for s in self._searches(query):
            key = query_key(s.query)
            if key and keep(s):
                groups[key][s.query] += 1
        rows = [
            GapRow(key, min(spellings, key=lambda q: (-spellings[q], q)), spellings.total())
            for key, spellings in groups.items()
        ]
        return sorted(rows, key=lambda r: (-r.count, r.key))[:limit]

    def unanswered(self, query: ReportQuery, limit: int) -> list[GapRow]:
        return self._gaps(query, lambda s: not s.answered, limit)

    def unopened(self, query: ReportQuery, limit: int) -> list[GapRow]:
        return self._gaps(query, lambda s: bool(s.shown) and not s.opened, limit)


def load_local(path: Path, since: dt.datetime, until: dt.datetime) -> RecordReports:
    """The seat's calls started (and searches run) in [since, until), read from ``path``."""
    from mutum_copilot.history import SCHEMA_VERSION, HistoryStore
    from mutum_copilot.history_schema import user_version

    db = open_history_db(path)
    if user_version(db) != SCHEMA_VERSION:  # an older file: the store migrates it, once
        db.close()
        HistoryStore(path).close()
        db = open_history_db(path)
    try:
        seat = seat_id(db)
        db.execute("BEGIN")
        rows = db.execute(
            f"SELECT {_CALL_COLUMNS} FROM calls WHERE uid <> '' AND started_at >= ?"
            " AND started_at < ? ORDER BY started_at, id",
            (iso(since), iso(until)),
        ).fetchall()
        calls = read_calls(db, rows, seat)
        searches = read_searches(
            db.execute(
                "SELECT * FROM faq_searches WHERE at >= ? AND at < ? ORDER BY at",
                (iso(since), iso(until)),
            ).fetchall(),
            seat,
        )
        db.execute("COMMIT")
    except sqlite3.Error:
        db.close()
        raise
    db.close()
    return RecordReports(calls, searches)


def local_backend(path: Path, query: ReportQuery) -> RecordReports:
    """The backend for ``query`` over the local history at ``path`` (which must exist)."""
    return load_local(path, query.since, query.until)
