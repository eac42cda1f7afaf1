"""The shift clock: is a team on shift at a given instant, and when does that change?

A :class:`ShiftCalendar` turns a :class:`~mutum_copilot.knowledge.models.Schedule`
(weekly wall-clock intervals in an IANA zone) and the public holidays into
concrete open intervals, and answers questions about any *aware* instant.

Design notes (why it looks like this):

* All arithmetic is done on UTC instants. Python compares and subtracts two
  datetimes that share a ``tzinfo`` by their wall time, ignoring ``fold``, which
  is wrong across DST changes; UTC has no such trap. Results are converted to
  the schedule's zone only on the way out.
* Wall times come from ``zoneinfo`` (never a fixed offset), so dates from the
  years when America/Cuiaba had DST (until 2019) follow the tz database. A wall
  time that does not exist (Brazil's DST began at midnight) is read with the
  offset before the change, i.e. it moves forward by the gap; a repeated wall
  time is its first occurrence (``fold=0``). "24:00" is 00:00 of the next day,
  so a night written as "19:30-24:00" + "00:00-09:30" meets exactly.
* Intervals that touch (end == next start, also across midnight) are merged,
  so the next change after Sunday noon in a 24 h Sunday is Monday 09:30.
* The search ahead is bounded (:data:`LOOKAHEAD_DAYS`): a schedule that never
  opens, or never closes, within it gets ``next_change = None``.

Plain Python: no Textual, no rich. Time is always passed in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mutum_copilot.holiday_table import IN_MEMORY, HolidayTable
from mutum_copilot.knowledge.models import Facts, HolidayRules, Schedule
from mutum_copilot.shift_format import build_label
from mutum_copilot.shift_status import ShiftStatus, State

#: How far ahead to look for the next change (covers any run of closed days).
LOOKAHEAD_DAYS = 2 * 366
#: Largest working-hours amount accepted by :meth:`ShiftCalendar.add_working_hours`.
MAX_WORKING_HOURS = 10 * 366 * 24
#: Years :meth:`ShiftCalendar.status` accepts.
MIN_YEAR, MAX_YEAR = 2, 9990
_DAY = timedelta(days=1)
_LAST_DAY = date.max - 2 * _DAY  # iterating past this would overflow datetime

Interval = tuple[datetime, datetime]  # UTC, start inclusive, end exclusive


def to_utc(at: datetime) -> datetime:
    """``at`` as a UTC instant; a naive datetime is refused, its zone is unknown."""
    if not isinstance(at, datetime):
        raise TypeError(f"expected a datetime, got {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at.isoformat()} has no time zone; pass an aware datetime")
    if not MIN_YEAR <= at.year <= MAX_YEAR:  # keeps the look-ahead clear of datetime.max
        raise ValueError(f"{at.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR}")
    return at.astimezone(UTC)


class ShiftCalendar:
    """One team's opening hours on real dates: weekly hours minus holidays."""

    def __init__(
        self,
        schedule: Schedule,
        holidays: HolidayRules | None,
        *,
        coverage: bool = False,
        table: HolidayTable = IN_MEMORY,
    ) -> None:
        self.schedule = schedule
        self.rules = holidays
        #: Where the library's holidays come from (a cache file, or memory only).
        self.table = table
        #: A coverage window (the call center) is worded "coberto" / "sem cobertura",
        #: not as a team's shift with lunch and weekends.
        self.coverage = coverage
        self.zone = schedule.time_zone
        self._holiday_years: dict[int, dict[date, str]] = {}
        self._week_minutes = sum(
            r.end_minute - r.start_minute for d in range(7) for r in schedule.week.for_weekday(d)
        )
        self._opens_at_all = self._week_minutes > 0
        try:  # fail here, not on the first lookup deep inside a render
            if holidays is not None:  # None: the pack declares no public holidays
                table.check_region(holidays.country, holidays.subdivision)
        except NotImplementedError as exc:
            raise ValueError(f"holidays: {exc}") from None

    # --- holidays -------------------------------------------------------------
    def holidays_in(self, year: int) -> Mapping[date, str]:
        """Public holidays of ``year`` (pt-BR names) plus the pack's extras; cached."""
        found = self._holiday_years.get(year)
        if found is None:
            rules = self.rules
            if rules is None:  # the pack declares no holidays
                found = self._holiday_years[year] = {}
                return found
            # The library's table, from a cache file when it was asked before (see
            # holiday_table: importing the library costs more than the whole start-up).
            found = self.table.public_holidays(rules.country, rules.subdivision, year)
            for extra in rules.extra:  # the pack knows closures the library does not
                if extra.date.year == year:
                    known = found.get(extra.date)
                    found[extra.date] = f"{known}; {extra.name}" if known else extra.name
            self._holiday_years[year] = found
        return found

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name if ``day`` is one, else None."""
        return self.holidays_in(day.year).get(day)

    # --- intervals ------------------------------------------------------------
    def _instant(self, day: date, minute: int) -> datetime:
        """Wall time ``minute`` after local midnight of ``day``, as a UTC instant."""
        day += timedelta(days=minute // (24 * 60))
        minute %= 24 * 60
        wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
        return wall.replace(tzinfo=self.zone).astimezone(UTC)

    def day_intervals(self, day: date) -> list[Interval]:
        """Open intervals of one local day (UTC); none on a closing holiday."""
        if self.schedule.closed_on_holidays and self.holiday_name(day):
            return []
        found = []
        for time_range in self.schedule.week.for_weekday(day.weekday()):
            start = self._instant(day, time_range.start_minute)
            end = self._instant(day, time_range.end_minute)
            if end > start:  # an interval swallowed by a DST gap is dropped
                found.append((start, end))
        return found

    def _raw(self, first: date, days: int) -> Iterator[Interval]:
        day = first
        for _ in range(days):
            if day > _LAST_DAY:
                return
            yield from self.day_intervals(day)
            day += _DAY

    def intervals(self, first: date, days: int) -> Iterator[tuple[datetime, datetime | None]]:
        """Merged open intervals from local day ``first`` on, over ``days`` days.

        Touching intervals become one. The last one has end None when it is
        still open at the edge of the window (we cannot know when it closes).
        """
        last = date.fromordinal(min(first.toordinal() + days, _LAST_DAY.toordinal()))
        edge = self._instant(last, 0)
        current: Interval | None = None
        for start, end in self._raw(first, days):
            if current is not None and start <= current[1]:
                current = (current[0], max(current[1], end))
                continue
            if current is not None:
                yield current
            current = (start, end)
        if current is not None:
            yield (current[0], None if current[1] >= edge else current[1])

    # --- questions ------------------------------------------------------------
    def status(self, at: datetime) -> ShiftStatus:
        """Where the team stands at the aware instant ``at``."""
        now = to_utc(at)
        local = now.astimezone(self.zone)
        today = local.date()
        start, end = self._interval_at_or_after(now, today)
        on_shift = start is not None and start <= now
        closes_at = end if on_shift else None
        next_open = None if on_shift else start
        next_change = closes_at if on_shift else next_open
        holiday = self.holiday_name(today)
        state: State
        if on_shift:
            state = "on_shift"
        elif self.coverage:
            state = "uncovered"
        else:
            state = self._closed_state(today, now, holiday)
        out = self._local
        return ShiftStatus(
            at=local,
            on_shift=on_shift,
            state=state,
            next_change=out(next_change),
            next_open=out(next_open),
            closes_at=out(closes_at),
            holiday_name=holiday,
            label=build_label(
                state, local, out(closes_at), out(next_open), holiday, coverage=self.coverage
            ),
        )

    def _interval_at_or_after(
        self, now: datetime, today: date
    ) -> tuple[datetime | None, datetime | None]:
        """The merged interval holding ``now``, else the next one; Nones if none is found."""
        if self._opens_at_all:
            for start, end in self.intervals(today - _DAY, LOOKAHEAD_DAYS):
                if end is None or end > now:
                    return start, end
        return None, None

    def _closed_state(self, today: date, now: datetime, holiday: str | None) -> State:
        """Why the team is not on shift: holiday, weekend, lunch or closed."""
        if holiday and self.schedule.closed_on_holidays:
            return "holiday"
        intervals = self.day_intervals(today)
        if not intervals:
            return "weekend"
        ended_before = any(end <= now for _, end in intervals)
        starts_later = any(start > now for start, _ in intervals)
        if ended_before and starts_later:
            return "lunch"
        tomorrow_in_week = self.schedule.week.for_weekday((today.weekday() + 1) % 7)
        if ended_before and not tomorrow_in_week:
            return "weekend"  # after the last interval of the working week (Saturday)
        return "closed"

    def _local(self, moment: datetime | None) -> datetime | None:
        return None if moment is None else moment.astimezone(self.zone)

    def add_working_hours(self, at: datetime, hours: float) -> datetime:
        """The instant ``hours`` working hours after ``at``, in the schedule's zone.

        Only time inside open intervals counts (lunch, nights, weekends and
        closing holidays do not). A deadline that falls exactly at a closing
        time is that closing time, e.g. Friday 17:00 + 0.5 h is Friday 17:30.
        """
        if not math.isfinite(hours) or not 0 <= hours <= MAX_WORKING_HOURS:
            raise ValueError(f"as horas úteis devem estar entre 0 e {MAX_WORKING_HOURS}")
        now = to_utc(at)
        remaining = timedelta(hours=hours)
        if not remaining:
            return now.astimezone(self.zone)
        first = now.astimezone(self.zone).date() - _DAY
        weeks = math.ceil(hours * 60 / self._week_minutes) if self._opens_at_all else 0
        days = 7 * weeks + LOOKAHEAD_DAYS if weeks else 0  # plus slack for holidays
        for start, end in self._raw(first, days):
            if end <= now:
                continue
            start = max(start, now)
            if end - start >= remaining:
                return (start + remaining).astimezone(self.zone)
            remaining -= end - start
        raise ValueError(f"{self.schedule.label}: {hours} horas úteis nunca são alcançadas")


def n1_calendar(facts: Facts, table: HolidayTable = IN_MEMORY) -> ShiftCalendar:
    """The provider's N1 team, in the provider's zone, closed on holidays."""
    return ShiftCalendar(facts.schedules.n1, facts.holidays, table=table)


def call_center_calendar(facts: Facts, table: HolidayTable = IN_MEMORY) -> ShiftCalendar:
    """The call center's coverage window, in the call center's zone."""
    return ShiftCalendar(facts.schedules.call_center, facts.holidays, coverage=True, table=table)


@dataclass(frozen=True)
class ShiftClock:
    """Both calendars and an injected clock: what the TUI polls every tick."""

    n1: ShiftCalendar
    call_center: ShiftCalendar
    now: Callable[[], datetime]

    @classmethod
    def from_facts(
        cls, facts: Facts, now: Callable[[], datetime], table: HolidayTable = IN_MEMORY
    ) -> ShiftClock:
        """Build both calendars from the pack's facts; ``now`` returns an aware datetime."""
        return cls(n1_calendar(facts, table), call_center_calendar(facts, table), now)

    def n1_status(self, at: datetime | None = None) -> ShiftStatus:
        """N1 at ``at``, or at ``now()``."""
        return self.n1.status(self.now() if at is None else at)

    def call_center_status(self, at: datetime | None = None) -> ShiftStatus:
        """The call center window at ``at``, or at ``now()``."""
        return self.call_center.status(self.now() if at is None else at)
