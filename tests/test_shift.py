"""The shift clock against the real pack: edges, holidays, DST years, working hours."""

from __future__ import annotations

import math
import shutil
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutum_copilot.knowledge.models import (
    ExtraHoliday,
    HolidayRules,
    Schedule,
    TimeRange,
    WeeklyHours,
)
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.shift import (
    ShiftCalendar,
    ShiftClock,
    call_center_calendar,
    n1_calendar,
)
from mutum_copilot.shift_format import format_countdown, format_day, format_when
from mutum_copilot.shift_status import closing_soon

CUIABA = ZoneInfo("America/Cuiaba")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def mt(text: str) -> datetime:
    """A wall time in Mato Grosso (the provider's zone)."""
    return datetime.fromisoformat(text).replace(tzinfo=CUIABA)


def sp(text: str) -> datetime:
    """A wall time in Brasília time (the call center's zone)."""
    return datetime.fromisoformat(text).replace(tzinfo=SAO_PAULO)


def week(**days: list[str]) -> WeeklyHours:
    return WeeklyHours(**{d: tuple(TimeRange.parse(r) for r in v) for d, v in days.items()})


def schedule(zone: ZoneInfo = CUIABA, closed_on_holidays: bool = True, **days: list[str]):
    return Schedule("test", zone, week(**days), closed_on_holidays)


@pytest.fixture(scope="module")
def n1(pack: Pack) -> ShiftCalendar:
    return n1_calendar(pack.facts)


@pytest.fixture(scope="module")
def cc(pack: Pack) -> ShiftCalendar:
    return call_center_calendar(pack.facts)


# 2026-11-24 is a Tuesday; 2026-11-20 (Consciência Negra) and 2026-12-25 are Fridays;
# 2027-05-01 (Dia do Trabalhador) and 2027-11-20 are Saturdays.
N1_CASES = [
    ("2026-11-24T07:29:59", "closed", "2026-11-24T07:30"),
    ("2026-11-24T07:30:00", "on_shift", "2026-11-24T11:30"),
    ("2026-11-24T11:29:59", "on_shift", "2026-11-24T11:30"),
    ("2026-11-24T11:30:00", "lunch", "2026-11-24T13:30"),
    ("2026-11-24T13:29:59", "lunch", "2026-11-24T13:30"),
    ("2026-11-24T13:30:00", "on_shift", "2026-11-24T17:30"),
    ("2026-11-24T17:29:59", "on_shift", "2026-11-24T17:30"),
    ("2026-11-24T17:30:00", "closed", "2026-11-25T07:30"),
    ("2026-11-24T00:00:00", "closed", "2026-11-24T07:30"),
    ("2026-11-27T17:30:00", "closed", "2026-11-28T07:30"),  # Friday -> Saturday
    ("2026-11-28T07:00:00", "closed", "2026-11-28T07:30"),  # Saturday before opening
    ("2026-11-28T11:29:59", "on_shift", "2026-11-28T11:30"),
    ("2026-11-28T11:30:00", "weekend", "2026-11-30T07:30"),  # Saturday -> Monday
    ("2026-11-29T10:00:00", "weekend", "2026-11-30T07:30"),  # Sunday
    ("2026-11-20T10:00:00", "holiday", "2026-11-21T07:30"),  # holiday on a Friday
    ("2026-11-19T17:30:00", "closed", "2026-11-21T07:30"),  # Thursday before it
    ("2026-12-25T09:00:00", "holiday", "2026-12-26T07:30"),  # Natal, Friday
    ("2026-12-31T17:30:00", "closed", "2027-01-02T07:30"),  # New Year on a Friday
    ("2026-04-02T17:30:00", "closed", "2026-04-04T07:30"),  # Good Friday
    ("2027-05-01T09:00:00", "holiday", "2027-05-03T07:30"),  # holiday on a Saturday
    ("2027-04-30T18:00:00", "closed", "2027-05-03T07:30"),  # Friday before it
    ("2027-11-19T18:00:00", "closed", "2027-11-22T07:30"),
]


@pytest.mark.parametrize(("wall", "state", "next_change"), N1_CASES)
def test_n1_edges(n1: ShiftCalendar, wall: str, state: str, next_change: str) -> None:
    status = n1.status(mt(wall))
    assert status.state == state
    assert status.on_shift is (state == "on_shift")
    assert status.next_change == mt(next_change)
    assert status.next_change.tzinfo == CUIABA
    assert status.at.tzinfo == CUIABA
    if status.on_shift:
        assert (status.closes_at, status.next_open) == (status.next_change, None)
    else:
        assert (status.closes_at, status.next_open) == (None, status.next_change)


@pytest.mark.parametrize(
    ("at", "label"),
    [
        (mt("2026-11-24T07:30"), "no turno até 11:30 (GMT-4)"),
        (mt("2026-11-24T11:30"), "almoço, volta às 13:30 (GMT-4)"),
        (mt("2026-11-24T06:00"), "fechado, volta hoje às 07:30 (GMT-4)"),
        (mt("2026-11-24T17:30"), "fechado, volta amanhã às 07:30 (GMT-4)"),
        (mt("2026-11-28T11:30"), "fim de semana, volta segunda às 07:30 (GMT-4)"),
        (mt("2026-11-19T17:30"), "fechado, volta sábado às 07:30 (GMT-4)"),
        (mt("2027-12-25T10:00"), "feriado (Natal), volta segunda às 07:30 (GMT-4)"),
    ],
)
def test_labels(n1: ShiftCalendar, at: datetime, label: str) -> None:
    assert n1.status(at).label == label


def test_holiday_names_are_pt_br(n1: ShiftCalendar) -> None:
    assert n1.status(mt("2026-12-25T10:00")).holiday_name == "Natal"
    assert "Consciência Negra" in (n1.status(mt("2026-11-20T10:00")).holiday_name or "")
    assert n1.status(mt("2026-11-24T10:00")).holiday_name is None
    assert n1.holiday_name(date(2026, 4, 3)) == "Sexta-feira Santa"


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 11, 24, 11, 45, tzinfo=UTC),  # given in UTC
        datetime.fromisoformat("2026-11-24T08:45-03:00"),  # given in GMT-3
        sp("2026-11-24T08:45"),
    ],
)
def test_instants_in_other_zones(n1: ShiftCalendar, at: datetime) -> None:
    status = n1.status(at)
    assert status.on_shift
    assert status.at == mt("2026-11-24T07:45")
    assert status.at.strftime("%H:%M") == "07:45"


@pytest.mark.parametrize("bad", [datetime(2026, 11, 24, 8), "2026-11-24T08:00"])
def test_naive_or_wrong_type_is_refused(n1: ShiftCalendar, bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        n1.status(bad)  # type: ignore[arg-type]


CALL_CENTER_CASES = [
    ("2026-11-28T13:00:00", True, "2026-11-30T09:30"),  # Saturday noon to Monday 09:30
    ("2026-11-29T12:00:00", True, "2026-11-30T09:30"),  # not midnight: merged
    ("2026-11-29T23:59:59", True, "2026-11-30T09:30"),
    ("2026-11-28T09:30:00", False, "2026-11-28T12:00"),
    ("2026-11-30T09:30:00", False, "2026-11-30T13:30"),
    ("2026-11-24T19:29:59", False, "2026-11-24T19:30"),
    ("2026-11-24T19:30:00", True, "2026-11-25T09:30"),  # the night, across midnight
    ("2026-11-20T10:00:00", False, "2026-11-20T13:30"),  # open on holidays
]


@pytest.mark.parametrize(("wall", "on_shift", "next_change"), CALL_CENTER_CASES)
def test_call_center_window(cc: ShiftCalendar, wall: str, on_shift: bool, next_change: str):
    status = cc.status(sp(wall))
    assert status.on_shift is on_shift
    assert status.next_change == sp(next_change)
    assert status.next_change.tzinfo == SAO_PAULO


def test_call_center_on_a_holiday_names_it_but_is_not_closed(cc: ShiftCalendar) -> None:
    status = cc.status(sp("2026-11-20T10:00"))
    assert status.state == "uncovered"
    assert status.holiday_name and "Consciência Negra" in status.holiday_name


def test_extra_holidays_from_rules(pack: Pack) -> None:
    rules = HolidayRules(
        "BR", "MT", (ExtraHoliday(date(2026, 12, 24), "Véspera de Natal (expediente fechado)"),)
    )
    calendar = ShiftCalendar(pack.facts.schedules.n1, rules)
    status = calendar.status(mt("2026-12-24T09:00"))
    assert status.state == "holiday"
    assert status.holiday_name == "Véspera de Natal (expediente fechado)"
    assert status.label == (
        "feriado (Véspera de Natal (expediente fechado)), volta sábado às 07:30 (GMT-4)"
    )
    assert calendar.status(mt("2026-12-23T17:30")).next_change == mt("2026-12-26T07:30")


def test_extra_holiday_on_a_library_holiday_keeps_both_names(pack: Pack) -> None:
    rules = HolidayRules("BR", "MT", (ExtraHoliday(date(2026, 12, 25), "Recesso"),))
    assert ShiftCalendar(pack.facts.schedules.n1, rules).holiday_name(date(2026, 12, 25)) == (
        "Natal; Recesso"
    )


def test_extra_holidays_from_a_pack_copy(pack_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(pack_dir, copy)
    provider = copy / "provider.yaml"
    text = provider.read_text(encoding="utf-8")
    assert "  extra: []\n" in text
    extra = '  extra:\n    - date: 2026-11-23\n      name: "Aniversário de Nova Mutum"\n'
    provider.write_text(text.replace("  extra: []\n", extra), encoding="utf-8")
    calendar = n1_calendar(load_pack(copy).facts)
    status = calendar.status(mt("2026-11-23T10:00"))
    assert (status.state, status.holiday_name) == ("holiday", "Aniversário de Nova Mutum")
    assert calendar.status(mt("2026-11-21T11:30")).next_change == mt("2026-11-24T07:30")


def test_long_run_of_closed_days_is_looked_past(pack: Pack) -> None:
    closure = tuple(
        ExtraHoliday(date(2027, 1, 1) + timedelta(days=i), "Férias coletivas") for i in range(90)
    )
    calendar = ShiftCalendar(pack.facts.schedules.n1, HolidayRules("BR", "MT", closure))
    status = calendar.status(mt("2026-12-31T17:30"))
    assert status.next_change == mt("2027-04-01T07:30")  # a Thursday
    assert status.label == "fechado, volta quinta 01/04 às 07:30 (GMT-4)"


def test_schedule_that_never_opens() -> None:
    calendar = ShiftCalendar(schedule(), HolidayRules("BR", "MT"))
    status = calendar.status(mt("2026-11-24T10:00"))
    assert (status.on_shift, status.next_change, status.next_open) == (False, None, None)
    assert status.time_to_change is None
    with pytest.raises(ValueError):
        calendar.add_working_hours(mt("2026-11-24T10:00"), 1)


def test_schedule_that_never_closes() -> None:
    always = {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    calendar = ShiftCalendar(
        Schedule("24/7", CUIABA, week(**always), False), HolidayRules("BR", "MT")
    )
    status = calendar.status(mt("2026-11-24T10:00"))
    assert (status.on_shift, status.next_change, status.closes_at) == (True, None, None)
    assert status.label == "no turno"
    assert not closing_soon(status)


# --- DST years: America/Cuiaba had DST until 2019 ---------------------------
def test_dst_era_follows_the_tz_database(n1: ShiftCalendar) -> None:
    # 2018-11-05 (Monday): Cuiaba was UTC-3, so 07:30 there was 10:30 UTC, not 11:30.
    assert not n1.status(datetime(2018, 11, 5, 10, 29, 59, tzinfo=UTC)).on_shift
    status = n1.status(datetime(2018, 11, 5, 10, 30, tzinfo=UTC))
    assert status.on_shift
    assert status.at.utcoffset() == timedelta(hours=-3)
    assert status.next_change == datetime(2018, 11, 5, 14, 30, tzinfo=UTC)
    # Outside DST the same wall time is 11:30 UTC.
    assert not n1.status(datetime(2018, 8, 6, 11, 29, tzinfo=UTC)).on_shift
    assert n1.status(datetime(2018, 8, 6, 11, 30, tzinfo=UTC)).on_shift


def test_call_center_merges_across_a_midnight_that_did_not_exist(cc: ShiftCalendar) -> None:
    # São Paulo skipped 2018-11-04 00:00-01:00; Saturday 12:00 still runs to Monday 09:30.
    status = cc.status(sp("2018-11-03T13:00"))
    assert status.on_shift
    assert status.next_change == datetime(2018, 11, 5, 11, 30, tzinfo=UTC)  # 09:30 -02:00


def test_repeated_hour_at_the_end_of_dst(cc: ShiftCalendar) -> None:
    # São Paulo lived 2019-02-16 23:00-24:00 twice (-02:00 then -03:00).
    for offset in ("-02:00", "-03:00"):
        status = cc.status(datetime.fromisoformat(f"2019-02-16T23:30{offset}"))
        assert status.on_shift
        assert status.next_change == datetime(2019, 2, 18, 12, 30, tzinfo=UTC)  # 09:30 -03


def test_interval_starting_in_a_dst_gap_opens_when_the_clock_jumps() -> None:
    # Cuiaba went from 2018-11-04 00:00 (-04) straight to 01:00 (-03).
    calendar = ShiftCalendar(schedule(sun=["00:00-02:00"]), HolidayRules("BR", "MT"))
    before = calendar.status(mt("2018-11-03T23:59"))
    assert before.next_change == datetime(2018, 11, 4, 4, 0, tzinfo=UTC)
    assert before.next_change.strftime("%H:%M%z") == "01:00-0300"
    assert calendar.status(datetime.fromisoformat("2018-11-04T01:30-03:00")).on_shift


# --- working hours -----------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        ("2026-11-27T17:00", 24, "2026-12-02T11:00"),  # Friday 17:00 + 24 h
        ("2026-11-27T17:00", 0.5, "2026-11-27T17:30"),  # ends exactly at closing
        ("2026-11-24T11:00", 1, "2026-11-24T14:00"),  # across lunch
        ("2026-11-24T12:00", 2, "2026-11-24T15:30"),  # starting at lunch
        ("2026-11-24T17:00", 1, "2026-11-25T08:00"),  # across the night
        ("2026-11-28T11:00", 1, "2026-11-30T08:00"),  # across the weekend
        ("2026-11-19T17:00", 1, "2026-11-21T08:00"),  # across a Friday holiday
        ("2026-11-29T10:00", 4, "2026-11-30T11:30"),  # from a Sunday
        ("2026-11-24T10:00", 0, "2026-11-24T10:00"),
        ("2018-11-01T17:00", 24, "2018-11-07T11:00"),  # Finados on Friday, DST Sunday
    ],
)
def test_add_working_hours(n1: ShiftCalendar, start: str, hours: float, due: str) -> None:
    result = n1.add_working_hours(mt(start), hours)
    assert result == mt(due)
    assert result.tzinfo == CUIABA


@pytest.mark.parametrize("hours", [-1, math.nan, math.inf, 1e12])
def test_add_working_hours_refuses_nonsense(n1: ShiftCalendar, hours: float) -> None:
    with pytest.raises(ValueError):
        n1.add_working_hours(mt("2026-11-24T10:00"), hours)


# --- helpers for the UI --------------------------------------------------------
@pytest.mark.parametrize(
    ("wall", "soon"),
    [
        ("2026-11-24T11:14:59", False),
        ("2026-11-24T11:15:00", True),
        ("2026-11-24T11:29:59", True),
        ("2026-11-24T17:20:00", True),
        ("2026-11-24T11:30:00", False),  # already at lunch
    ],
)
def test_closing_soon(n1: ShiftCalendar, wall: str, soon: bool) -> None:
    assert closing_soon(n1.status(mt(wall))) is soon


def test_countdown_and_relative_days(n1: ShiftCalendar) -> None:
    status = n1.status(mt("2026-11-24T10:18"))
    assert status.time_to_change == timedelta(hours=1, minutes=12)
    assert format_countdown(status.time_to_change) == "1 h 12 min"
    assert format_countdown(timedelta(minutes=45)) == "45 min"
    assert format_countdown(timedelta(seconds=20)) == "1 min"
    assert format_countdown(timedelta(0)) == "0 min"
    assert format_countdown(timedelta(hours=2)) == "2 h"
    assert format_countdown(timedelta(days=2, hours=3, minutes=5)) == "2 d 3 h"
    at = mt("2026-11-24T10:00")  # Tuesday
    assert format_when(mt("2026-11-24T13:30"), at) == "hoje às 13:30"
    assert format_when(mt("2026-11-25T07:30"), at) == "amanhã às 07:30"
    assert format_when(mt("2026-11-30T07:30"), at) == "segunda às 07:30"
    assert format_day(mt("2026-12-01T07:30"), at) == "terça 01/12"
    # "amanhã" counts days on the target's calendar: 23:30 in São Paulo is still
    # the same day in Cuiaba.
    assert format_day(mt("2026-11-24T23:00"), sp("2026-11-24T23:30")) == "hoje"


def test_shift_clock_uses_the_injected_time(pack: Pack) -> None:
    clock = ShiftClock.from_facts(pack.facts, now=lambda: mt("2026-11-24T12:00"))
    assert clock.n1_status().state == "lunch"
    assert clock.call_center_status().state == "uncovered"  # a gap, not a lunch
    assert clock.n1_status(mt("2026-11-24T08:00")).on_shift


# --- property ----------------------------------------------------------------
ZONES = st.sampled_from(
    [UTC, CUIABA, SAO_PAULO, ZoneInfo("Asia/Tokyo"), timezone(timedelta(hours=-4, minutes=-30))]
)


@settings(max_examples=300, deadline=None)
@given(
    at=st.datetimes(datetime(2000, 1, 1), datetime(2040, 12, 31), timezones=ZONES),
    which=st.sampled_from(["n1", "cc"]),
)
def test_next_change_really_is_the_next_change(pack: Pack, at: datetime, which: str) -> None:
    make = n1_calendar if which == "n1" else call_center_calendar
    calendar = make(pack.facts)
    status = calendar.status(at)
    assert status.next_change is not None
    assert status.next_change > at
    just_before = calendar.status(status.next_change - timedelta(microseconds=1))
    at_change = calendar.status(status.next_change)
    assert just_before.on_shift == status.on_shift
    assert at_change.on_shift != just_before.on_shift


def test_the_call_center_window_is_worded_as_coverage(pack) -> None:  # type: ignore[no-untyped-def]
    from mutum_copilot.shift import call_center_calendar

    calendar = call_center_calendar(pack.facts)
    brt = ZoneInfo("America/Sao_Paulo")
    gap = calendar.status(datetime(2026, 11, 27, 17, 20, tzinfo=brt))
    assert gap.label == "sem cobertura, volta às 19:30 (GMT-3)"
    assert gap.state == "uncovered"
    assert calendar.status(datetime(2026, 11, 27, 20, 0, tzinfo=brt)).label == (
        "coberto até amanhã às 09:30 (GMT-3)"
    )


@pytest.mark.parametrize(
    ("offset", "label"),
    [
        (timedelta(hours=-3), "GMT-3"),
        (timedelta(hours=-4), "GMT-4"),
        (timedelta(hours=-3, minutes=-30), "GMT-3:30"),
        (timedelta(hours=5, minutes=30), "GMT+5:30"),
        (timedelta(0), "GMT+0"),
    ],
)
def test_one_gmt_formatter_for_every_offset(offset: timedelta, label: str) -> None:
    from mutum_copilot.shift_format import gmt_label

    assert gmt_label(datetime(2026, 11, 24, 12, 0, tzinfo=timezone(offset))) == label


def test_shift_says_a_half_hour_offset_in_its_clock_and_its_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mutum_copilot.cli import main

    folder = shutil.copytree(Path(__file__).parent / "packs" / "amazonas", tmp_path / "pack")
    provider = folder / "provider.yaml"
    text = provider.read_text(encoding="utf-8")
    provider.write_text(text.replace("America/Manaus", "America/St_Johns"), encoding="utf-8")
    assert main(["--knowledge", str(folder), "shift", "--at", "2026-11-24T10:00-03:00"]) == 0
    n1_line = capsys.readouterr().out.splitlines()[0]
    assert "ter 24/11 09:30 (GMT-3:30)" in n1_line
    assert "no turno até 12:00 (GMT-3:30)" in n1_line


def test_the_sla_estimate_says_it_is_one_and_which_hours_it_counts() -> None:
    from mutum_copilot.shift_format import format_sla_estimate

    text = format_sla_estimate(
        mt("2026-11-27T11:20"), mt("2026-11-24T11:20"), 24, "horário de Mato Grosso (GMT-4)"
    )
    assert text.startswith("estimativa de 24 horas úteis: sexta 27/11 às 11:20")
    assert "horas de atendimento do N1" in text and "não informe esta data ao cliente" in text
