"""The reports answered by the team store: one SQL aggregate per question.

Every query filters on the call's start (``calls.started_at``, copied as
``call_started_at`` into subjects and steps) and, when given, on the agent, so
that a night or a month is an index range scan (``*_started`` or
``*_agent_started``), never a scan of the year. Durations are grouped by
second and their median and p90 read off the counts
(:func:`~.reports.histogram_percentile`): a hash aggregate instead of a sort of
every step, to the second. The steps are read once for both groupings
(``GROUPING SETS``). Durations, buckets and shift states were derived
once at push time (:mod:`.store`); here they are only counted. Definitions:
:mod:`.reports`.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

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

#: A report is a few aggregates; one that takes longer than this is a missing index.
STATEMENT_TIMEOUT_MS = 120_000
WORK_MEM = "64MB"
_CLOSED = "NOT IN ('', 'on_shift')"


def _grouped(rows: list[Any]) -> dict[str, list[tuple[float, int]]]:
    """(group, seconds, count) rows as each group's sorted (seconds, count) pairs."""
    out: dict[str, list[tuple[float, int]]] = {}
    for group, seconds, n in sorted(rows, key=lambda r: (r[0], r[1])):
        out.setdefault(group, []).append((float(seconds), n))
    return out


def _where(query: ReportQuery, started: str) -> tuple[sql.Composable, dict[str, Any]]:
    """The period and the filters, on the table's copy of the call's start."""
    column = sql.Identifier(started)
    parts: list[sql.Composable] = [
        sql.SQL("{} >= %(since)s AND {} < %(until)s").format(column, column)
    ]
    params: dict[str, Any] = {"since": query.since, "until": query.until, "zone": query.zone}
    if query.agent:
        parts.append(sql.SQL("agent = %(agent)s"))
        params["agent"] = query.agent
    if query.pack_id:
        parts.append(sql.SQL("pack_id = %(pack)s"))
        params["pack"] = query.pack_id
    return sql.SQL(" AND ").join(parts), params


class SqlReports:
    """:class:`~.reports.ReportBackend` over a connection to the team store."""

    source = "team"

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        # A year's durations grouped by agent outgrow the 4 MB default and spill to disk.
        conn.execute(f"SET work_mem = '{WORK_MEM}'")
        self._steps_for: ReportQuery | None = None
        self._steps: dict[str, dict[str, list[tuple[float, int]]]] = {}

    def _rows(self, template: str, query: ReportQuery, started: str, **extra: Any) -> list[Any]:
        """Run ``template``, its ``{where}`` filtering on the column ``started``."""
        where, params = _where(query, started)
        statement = sql.SQL(template).format(where=where)
        return self.conn.execute(statement, {**params, **extra}).fetchall()

    def totals(self, query: ReportQuery) -> Totals:
        calls = self._rows(  # GROUP BY, then count: a hash, where count(DISTINCT) sorts
            "SELECT coalesce(sum(n), 0)::bigint, count(*) FROM"
            " (SELECT agent, count(*) AS n FROM calls WHERE {where} GROUP BY agent) AS a",
            query,
            "started_at",
        )[0]
        subjects = self._rows(
            "SELECT count(*) FROM subjects WHERE {where}", query, "call_started_at"
        )[0]
        searches = self._rows("SELECT count(*) FROM faq_searches WHERE {where}", query, "at")[0]
        return Totals(calls=calls[0], subjects=subjects[0], searches=searches[0], agents=calls[1])

    def outcomes(self, query: ReportQuery) -> list[OutcomeRow]:
        rows = self._rows(
            """
            SELECT flow_id, max(flow_title), count(*),
                count(*) FILTER (WHERE category = 'resolved'),
                count(*) FILTER (WHERE category = 'os'),
                count(*) FILTER (WHERE category = 'forwarded'),
                count(*) FILTER (WHERE category = 'open'),
                count(*) FILTER (WHERE category = 'other')
            FROM subjects WHERE {where}
            GROUP BY flow_id ORDER BY count(*) DESC, flow_id
            """,
            query,
            "call_started_at",
        )
        return [OutcomeRow(*row) for row in rows]

    def exits(self, query: ReportQuery) -> list[ExitRow]:
        rows = self._rows(
            """
            SELECT flow_id, max(flow_title), exit_node, max(exit_title), category, count(*)
            FROM subjects WHERE {where} AND exit_node <> ''
            GROUP BY flow_id, exit_node, category
            ORDER BY flow_id, count(*) DESC, exit_node
            """,
            query,
            "call_started_at",
        )
        return [ExitRow(*row) for row in rows]

    def _histograms(
        self, query: ReportQuery, key: str, table: str, started: str
    ) -> dict[str, list[tuple[float, int]]]:
        """Durations of each group as sorted (whole seconds, count) pairs."""
        rows = self._rows(
            f"""
            SELECT {key}, round(seconds)::bigint, count(*)
            FROM {table} WHERE {{where}} AND seconds IS NOT NULL
            GROUP BY 1, 2
            """,
            query,
            started,
        )
        return _grouped(rows)

    def _step_histograms(self, query: ReportQuery, key: str) -> dict[str, list[tuple[float, int]]]:
        """Step durations by flow and by agent, both from one scan of the steps."""
        if self._steps_for != query:
            rows = self._rows(
                """
                SELECT flow_id, agent, round(seconds)::bigint, count(*)
                FROM steps WHERE {where} AND NOT automatic AND seconds IS NOT NULL
                GROUP BY GROUPING SETS ((flow_id, 3), (agent, 3))
                """,
                query,
                "call_started_at",
            )
            by_flow = [(f, s, n) for f, a, s, n in rows if f is not None]
            by_agent = [(a, s, n) for f, a, s, n in rows if a is not None]
            self._steps = {"flow_id": _grouped(by_flow), "agent": _grouped(by_agent)}
            self._steps_for = query
        return self._steps[key]

    def _times(
        self, query: ReportQuery, key: str, table: str, started: str, labels: dict[str, str]
    ) -> list[TimeRow]:
        whole = self._histograms(query, key, table, started)
        steps = self._step_histograms(query, key)
        return time_rows(whole, steps, labels)

    def subject_times(self, query: ReportQuery) -> list[TimeRow]:
        titles = self._rows(
            "SELECT flow_id, max(flow_title) FROM subjects WHERE {where} GROUP BY 1",
            query,
            "call_started_at",
        )
        return self._times(query, "flow_id", "subjects", "call_started_at", dict(titles))

    def agent_times(self, query: ReportQuery) -> list[TimeRow]:
        return self._times(query, "agent", "calls", "started_at", {})

    def hours(self, query: ReportQuery) -> list[HourRow]:
        calls = self._rows(
            f"""
            SELECT extract(hour FROM started_at AT TIME ZONE %(zone)s)::int, count(*),
                count(*) FILTER (WHERE n1_state {_CLOSED}),
                count(*) FILTER (WHERE n1_state {_CLOSED} AND call_center_state {_CLOSED})
            FROM calls WHERE {{where}} GROUP BY 1
            """,
            query,
            "started_at",
        )
        os_rows = self._rows(
            f"""
            SELECT extract(hour FROM call_started_at AT TIME ZONE %(zone)s)::int,
                count(*), count(*) FILTER (WHERE n1_state {_CLOSED})
            FROM subjects WHERE {{where}} AND category = 'os' GROUP BY 1
            """,
            query,
            "call_started_at",
        )
        opened = {hour: (os, closed) for hour, os, closed in os_rows}
        return [
            HourRow(hour, n, closed, uncovered, *opened.get(hour, (0, 0)))
            for hour, n, closed, uncovered in calls
        ]

    def _gaps(self, query: ReportQuery, condition: str, limit: int) -> list[GapRow]:
        rows = self._rows(
            f"""
            SELECT query_key, mode() WITHIN GROUP (ORDER BY query), count(*)
            FROM faq_searches WHERE {{where}} AND query_key <> '' AND {condition}
            GROUP BY query_key ORDER BY count(*) DESC, query_key LIMIT %(limit)s
            """,
            query,
            "at",
            limit=limit,
        )
        return [GapRow(*row) for row in rows]

    def unanswered(self, query: ReportQuery, limit: int) -> list[GapRow]:
        return self._gaps(query, "NOT answered", limit)

    def unopened(self, query: ReportQuery, limit: int) -> list[GapRow]:
        return self._gaps(query, "cardinality(shown) > 0 AND cardinality(opened) = 0", limit)
