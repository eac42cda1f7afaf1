"""The shift calendar at its edges: no holidays section, a wrong state, years apart.

Written from the mutation check's survivors (``scripts/mutation.py shift``).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.packs.model import Pack
from mutum_copilot.shift import MAX_YEAR, MIN_YEAR, ShiftCalendar, n1_calendar, to_utc

CUIABA = ZoneInfo("America/Cuiaba")


class NoOffset(tzinfo):
    """A zone that does not know its own offset: as unusable as none."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None


def test_a_naive_or_offsetless_moment_is_refused_in_words() -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        to_utc(datetime(2026, 12, 1, 21, 0))
    with pytest.raises(ValueError, match="has no time zone"):
        to_utc(datetime(2026, 12, 1, 21, 0, tzinfo=NoOffset()))
    with pytest.raises(TypeError, match="expected a datetime, got str"):
        to_utc("2026-12-01T21:00")  # type: ignore[arg-type]


def test_the_first_and_last_years_are_inside_and_their_neighbours_outside() -> None:
    assert to_utc(datetime(MIN_YEAR, 6, 1, tzinfo=UTC)).year == MIN_YEAR
    assert to_utc(datetime(MAX_YEAR, 6, 1, tzinfo=UTC)).year == MAX_YEAR
    with pytest.raises(ValueError, match="outside the years"):
        to_utc(datetime(MAX_YEAR + 1, 6, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="outside the years"):
        to_utc(datetime(MIN_YEAR - 1, 6, 1, tzinfo=UTC))


def test_an_instant_is_given_back_in_utc() -> None:
    moment = to_utc(datetime(2026, 12, 1, 21, 0, tzinfo=CUIABA))
    assert moment.utcoffset() == timedelta(0) and moment.hour == 1


def test_a_pack_without_holidays_has_none(pack: Pack) -> None:
    calendar = ShiftCalendar(pack.facts.schedules.n1, None)
    assert dict(calendar.holidays_in(2026)) == {}
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=CUIABA)  # a Friday
    assert calendar.status(christmas).state == "on_shift"
    assert n1_calendar(pack.facts).status(christmas).state == "holiday"


def test_a_state_the_library_does_not_know_is_refused_when_the_calendar_is_built(
    pack: Pack,
) -> None:
    rules = pack.facts.holidays
    assert rules is not None
    wrong = dataclasses.replace(rules, subdivision="XX")
    with pytest.raises(ValueError, match=r"^holidays: "):
        ShiftCalendar(pack.facts.schedules.n1, wrong)


def test_years_of_working_hours_add_up_in_steps(pack: Pack) -> None:
    """6,000 working hours are years of N1 time: the horizon searched must reach them."""
    calendar = n1_calendar(pack.facts)
    start = datetime(2026, 12, 1, 21, 0, tzinfo=CUIABA)
    due = calendar.add_working_hours(start, 6000)
    assert due == calendar.add_working_hours(calendar.add_working_hours(start, 2000), 4000)
    assert due - start > timedelta(days=2 * 366)
    assert calendar.add_working_hours(start, 0) == start
