"""The supervisor's reports: what the night looked like, from any backend that can answer.

A :class:`ReportBackend` answers each question for a :class:`ReportQuery`
(period, agent, pack); :mod:`.reports_sql` answers from the team store, and a
backend over the local history plugs in the same way. :func:`build_report`
puts the answers together with the stale knowledge (read from the pack, not
from calls) and :func:`report_json` gives the JSON every output format starts
from. Definitions, so that every backend counts alike:

- outcome buckets (:func:`~.scrub.category`): an OS when the end registers one,
  forwarded for the other transfers, resolved for resolved/informed, open while
  unfinished; one subject of a call is one count;
- exit node: the node where a subject ended, with its bucket;
- times: a call from start to finish (discarded calls excluded), a subject from
  its start to its end, a step from the previous recorded instant (or the
  subject's start) to its own; automatic steps are left out. Durations count to
  the second; median and p90 are interpolated between the closest
  ranks (as PostgreSQL's ``percentile_cont``; :func:`percentile` here);
- hours: by the call's start in the report's zone; "N1 fechado" is N1's state
  at the call's first step, "sem cobertura" when neither N1 nor the call
  center was on shift then; an OS "com N1 fechado" is judged at its end;
- FAQ gaps: searches that did not answer, and searches whose results were
  never opened, grouped by :func:`~.scrub.query_key`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

DEFAULT_REVIEW_DAYS = 90
GAP_LIMIT = 20
#: The night is read from noon to noon, so it is not cut at midnight.
HOUR_ORDER = tuple(range(12, 24)) + tuple(range(12))


@dataclass(frozen=True)
class ReportQuery:
    """Which calls a report covers: ``since`` <= start < ``until``, and the filters."""

    since: dt.datetime
    until: dt.datetime
    agent: str | None = None
    pack_id: str | None = None
    zone: str = "America/Sao_Paulo"
    """The IANA zone the hours are read in (the call center's clock)."""
    zone_label: str = "GMT-3"


@dataclass(frozen=True)
class Totals:
    calls: int = 0
    subjects: int = 0
    searches: int = 0
    agents: int = 0


@dataclass(frozen=True)
class OutcomeRow:
    flow_id: str
    flow_title: str
    total: int
    resolved: int = 0
    os: int = 0
    forwarded: int = 0
    open: int = 0
    other: int = 0


@dataclass(frozen=True)
class ExitRow:
    flow_id: str
    flow_title: str
    node_id: str
    node_title: str
    category: str
    count: int


@dataclass(frozen=True)
class TimeRow:
    """Durations of one group (a subject's flow, or an agent), in seconds."""

    key: str
    label: str
    count: int
    median_s: float | None
    p90_s: float | None
    steps: int = 0
    step_median_s: float | None = None
    step_p90_s: float | None = None


@dataclass(frozen=True)
class HourRow:
    hour: int
    calls: int = 0
    n1_closed: int = 0
    uncovered: int = 0
    os: int = 0
    os_n1_closed: int = 0


@dataclass(frozen=True)
class GapRow:
    key: str
    example: str
    count: int


@dataclass(frozen=True)
class KnowledgeItem:
    """Something a pack states as verified on a date: an FAQ entry, a flow."""

    kind: str
    id: str
    title: str
    verified_on: dt.date
    pack_id: str = ""


@dataclass(frozen=True)
class StaleRow:
    kind: str
    id: str
    title: str
    verified_on: dt.date
    due_on: dt.date
    days_overdue: int
    pack_id: str = ""


@dataclass(frozen=True)
class Report:
    query: ReportQuery
    source: str
    totals: Totals
    outcomes: Sequence[OutcomeRow] = ()
    exits: Sequence[ExitRow] = ()
    by_subject: Sequence[TimeRow] = ()
    by_agent: Sequence[TimeRow] = ()
    hours: Sequence[HourRow] = ()
    unanswered: Sequence[GapRow] = ()
    unopened: Sequence[GapRow] = ()
    stale: Sequence[StaleRow] = ()
    review_days: int = DEFAULT_REVIEW_DAYS


class ReportBackend(Protocol):
    """Where the figures come from: the team store, or (next) the local history."""

    source: str
    """``team`` or ``local``: said in the report's header."""

    def totals(self, query: ReportQuery) -> Totals: ...
    def outcomes(self, query: ReportQuery) -> list[OutcomeRow]: ...
    def exits(self, query: ReportQuery) -> list[ExitRow]: ...
    def subject_times(self, query: ReportQuery) -> list[TimeRow]: ...
    def agent_times(self, query: ReportQuery) -> list[TimeRow]: ...
    def hours(self, query: ReportQuery) -> list[HourRow]: ...
    def unanswered(self, query: ReportQuery, limit: int) -> list[GapRow]: ...
    def unopened(self, query: ReportQuery, limit: int) -> list[GapRow]: ...


def percentile(values: Iterable[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks, as ``percentile_cont``; None when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def time_rows(
    whole: Mapping[str, Sequence[tuple[float, int]]],
    steps: Mapping[str, Sequence[tuple[float, int]]],
    labels: Mapping[str, str],
) -> list[TimeRow]:
    """One row per group from its durations' histograms (whole and per step), most first.

    Both backends build their histograms their own way (Python over the seat's
    history, SQL in the store) and shape the rows here, so their JSON agrees.
    """
    rows = []
    for group in whole.keys() | steps.keys():
        own, parts = whole.get(group, []), steps.get(group, [])
        rows.append(
            TimeRow(
                key=group,
                label=labels.get(group) or group,
                count=sum(n for _, n in own),
                median_s=histogram_percentile(own, 0.5),
                p90_s=histogram_percentile(own, 0.9),
                steps=sum(n for _, n in parts),
                step_median_s=histogram_percentile(parts, 0.5),
                step_p90_s=histogram_percentile(parts, 0.9),
            )
        )
    return sorted(rows, key=lambda r: (-r.count, r.key))


def histogram_percentile(counts: Sequence[tuple[float, int]], fraction: float) -> float | None:
    """:func:`percentile` of the values that ``counts`` holds as sorted (value, how many) pairs.

    Exact: the two order statistics around the interpolated rank are read off the
    cumulative counts, so a store can group durations instead of sorting them.
    """
    total = sum(n for _, n in counts)
    if not total:
        return None
    position = fraction * (total - 1)
    low_rank, high_rank = math.floor(position), min(math.floor(position) + 1, total - 1)
    low = high = None
    seen = 0
    for value, n in counts:
        seen += n
        if low is None and low_rank < seen:
            low = value
        if high_rank < seen:
            high = value
            break
    assert low is not None and high is not None
    return low + (high - low) * (position - low_rank)


def stale_knowledge(
    items: Iterable[KnowledgeItem], today: dt.date, review_days: int = DEFAULT_REVIEW_DAYS
) -> list[StaleRow]:
    """Items whose ``verified_on`` is older than ``review_days``: the most overdue first."""
    interval = dt.timedelta(days=review_days)
    rows = [
        StaleRow(
            kind=item.kind,
            id=item.id,
            title=item.title,
            verified_on=item.verified_on,
            due_on=item.verified_on + interval,
            days_overdue=(today - item.verified_on - interval).days,
            pack_id=item.pack_id,
        )
        for item in items
        if item.verified_on + interval < today
    ]
    return sorted(rows, key=lambda r: (-r.days_overdue, r.kind, r.id))


def pack_knowledge(pack: Any) -> list[KnowledgeItem]:
    """A pack's dated items: its FAQ entries, and its flows once they carry ``verified_on``."""
    items = [
        KnowledgeItem("faq", entry.id, entry.question, entry.verified_on, pack.id)
        for entry in pack.faq
    ]
    for flow in pack.flows.values():
        verified = getattr(flow, "verified_on", None)
        if isinstance(verified, dt.date):
            items.append(KnowledgeItem("flow", flow.id, flow.title, verified, pack.id))
    return items


def build_report(
    backend: ReportBackend,
    query: ReportQuery,
    *,
    stale: Sequence[StaleRow] = (),
    review_days: int = DEFAULT_REVIEW_DAYS,
    gap_limit: int = GAP_LIMIT,
) -> Report:
    """Every section of the report for ``query``."""
    return Report(
        query=query,
        source=backend.source,
        totals=backend.totals(query),
        outcomes=backend.outcomes(query),
        exits=backend.exits(query),
        by_subject=backend.subject_times(query),
        by_agent=backend.agent_times(query),
        hours=ordered_hours(backend.hours(query)),
        unanswered=backend.unanswered(query, gap_limit),
        unopened=backend.unopened(query, gap_limit),
        stale=tuple(stale),
        review_days=review_days,
    )


def ordered_hours(rows: Iterable[HourRow]) -> list[HourRow]:
    """The hours that had calls, noon to noon (the night in one piece)."""
    by_hour = {row.hour: row for row in rows}
    return [by_hour[h] for h in HOUR_ORDER if h in by_hour]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def report_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready values (times ISO 8601 in the report's zone; seconds)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(report.query.zone)
    query = report.query

    def times(rows: Sequence[TimeRow]) -> list[dict[str, Any]]:
        rounded = ("median_s", "p90_s", "step_median_s", "step_p90_s")
        return [{**asdict(r), **{k: _round(getattr(r, k)) for k in rounded}} for r in rows]

    return {
        "source": report.source,
        "period": {
            "since": query.since.astimezone(zone).isoformat(),
            "until": query.until.astimezone(zone).isoformat(),
            "zone": query.zone,
            "zone_label": query.zone_label,
        },
        "filters": {"agent": query.agent, "pack": query.pack_id},
        "totals": asdict(report.totals),
        "outcomes": [asdict(r) for r in report.outcomes],
        "exit_nodes": [asdict(r) for r in report.exits],
        "times": {"by_subject": times(report.by_subject), "by_agent": times(report.by_agent)},
        "hours": [asdict(r) for r in report.hours],
        "faq_gaps": {
            "unanswered": [asdict(r) for r in report.unanswered],
            "never_opened": [asdict(r) for r in report.unopened],
        },
        "stale_knowledge": {
            "review_days": report.review_days,
            "items": [
                {**asdict(r), "verified_on": f"{r.verified_on}", "due_on": f"{r.due_on}"}
                for r in report.stale
            ],
        },
    }
