"""The reports answered by the team store: one SQL aggregate per question.

Every query filters on the call's start (``calls.started_at``, copied as
``call_started_at`` into subjects and steps) and, when given, on the agent, so
that a night or a month is an index range scan (``*_started`` or
``*_agent_started``), never a scan of the year. Durations, buckets and shift
states were derived once at push time (:mod:`.store`); here they are only
counted. Definitions: :mod:`.reports`.
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
)

#: A report is a few aggregates; one that takes longer than this is a missing index.
STATEMENT_TIMEOUT_MS = 120_000
_CLOSED = "NOT IN ('', 'on_shift')"


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

    def _rows(
        self, template: str, query: ReportQuery, started: str, *, steps: bool = False, **extra: Any
    ) -> list[Any]:
        """Run ``template``: ``{where}`` filters on ``started``, ``{step_where}`` on steps."""
        where, params = _where(query, started)
        parts = {"where": where}
        if steps:
            parts["step_where"] = _where(query, "call_started_at")[0]
        statement = sql.SQL(template).format(**parts)
        return self.conn.execute(statement, {**params, **extra}).fetchall()

    def totals(self, query: ReportQuery) -> Totals:
        calls = self._rows(
            "SELECT count(*), count(DISTINCT agent) FROM calls WHERE {where}", query, "started_at"
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

    def _times(self, query: ReportQuery, key: str, whole: str, started: str) -> list[TimeRow]:
        label = "max(flow_title)" if key == "flow_id" else "agent"
        rows = self._rows(
            f"""
            WITH whole AS (
                SELECT {key} AS key, {label} AS label, count(*) AS n,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
                    percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
                FROM {whole} WHERE {{where}} AND seconds IS NOT NULL GROUP BY {key}
            ), step AS (
                SELECT {key} AS key, count(*) AS n,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
                    percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
                FROM steps WHERE {{step_where}} AND NOT automatic AND seconds IS NOT NULL
                GROUP BY {key}
            )
            SELECT key, coalesce(whole.label, key), coalesce(whole.n, 0), whole.median,
                whole.p90, coalesce(step.n, 0), step.median, step.p90
            FROM whole FULL JOIN step USING (key)
            ORDER BY coalesce(whole.n, 0) DESC, key
            """,
            query,
            started,
            steps=True,
        )
        return [TimeRow(*row) for row in rows]

    def subject_times(self, query: ReportQuery) -> list[TimeRow]:
        return self._times(query, "flow_id", "subjects", "call_started_at")

    def agent_times(self, query: ReportQuery) -> list[TimeRow]:
        return self._times(query, "agent", "calls", "started_at")

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
