"""The exact words of the shift clock: what the status bar and ``shift`` print.

Written from the mutation check's survivors (``scripts/mutation.py shift``):
each test pins a wording or a rule that no other test read exactly.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.shift_format import (
    build_label,
    format_countdown,
    format_sla_estimate,
    gmt_label,
)

CUIABA = ZoneInfo("America/Cuiaba")  # the provider: GMT-4
BRASILIA = ZoneInfo("America/Sao_Paulo")  # the call center: GMT-3
#: Tuesday 01/12/2026 21:30 in Mato Grosso: 02/12 01:30 in UTC, already the next day.
LATE_EVENING = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)


@pytest.fixture
def utc_machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's own zone is UTC: a day counted in it would be the wrong day."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_countdown_never_says_zero_while_time_is_left() -> None:
    assert format_countdown(timedelta(0)) == "0 min"
    assert format_countdown(timedelta(seconds=-5)) == "0 min"
    assert format_countdown(timedelta(seconds=0.5)) == "1 min"
    assert format_countdown(timedelta(seconds=61)) == "2 min"


def test_the_countdown_drops_what_is_noise() -> None:
    assert format_countdown(timedelta(days=2)) == "2 d"
    assert format_countdown(timedelta(days=2, hours=3, minutes=10)) == "2 d 3 h"
    assert format_countdown(timedelta(hours=1)) == "1 h"
    assert format_countdown(timedelta(hours=1, minutes=12)) == "1 h 12 min"


def test_a_moment_without_a_zone_is_labelled_gmt_plus_0() -> None:
    assert gmt_label(datetime(2026, 12, 1, 12, 0)) == "GMT+0"
    assert gmt_label(datetime(2026, 12, 1, 12, 0, tzinfo=CUIABA)) == "GMT-4"


def test_the_sla_estimate_says_the_date_and_what_it_counts() -> None:
    at = datetime(2026, 12, 1, 21, 0, tzinfo=CUIABA)
    due = datetime(2026, 12, 3, 10, 0, tzinfo=CUIABA)  # within the week: "quinta"
    assert format_sla_estimate(due, at, 24, "GMT-4") == (
        "estimativa de 24 horas úteis: quinta 03/12 às 10:00, GMT-4, contando só as horas "
        "de atendimento do N1 (sem almoço, noites, domingos e feriados); não informe esta "
        "data ao cliente"
    )
    later = datetime(2026, 12, 14, 10, 0, tzinfo=CUIABA)  # beyond the week: the date once
    assert format_sla_estimate(later, at, 24, "GMT-4").startswith(
        "estimativa de 24 horas úteis: segunda 14/12 às 10:00, GMT-4,"
    )


def test_a_team_on_shift_is_no_turno_and_a_window_is_coberto() -> None:
    at = datetime(2026, 12, 1, 10, 0, tzinfo=CUIABA)
    assert build_label("on_shift", at, None, None, None) == "no turno"
    assert build_label("on_shift", at, None, None, None, coverage=True) == "coberto"


def test_a_coverage_window_says_when_it_comes_back() -> None:
    at = datetime(2026, 12, 1, 10, 0, tzinfo=BRASILIA)
    tonight = datetime(2026, 12, 1, 19, 30, tzinfo=BRASILIA)
    tomorrow = datetime(2026, 12, 2, 7, 0, tzinfo=BRASILIA)
    assert build_label("uncovered", at, None, None, None, coverage=True) == "sem cobertura"
    assert (
        build_label("uncovered", at, None, tonight, None, coverage=True)
        == "sem cobertura, volta às 19:30 (GMT-3)"
    )
    assert (
        build_label("uncovered", at, None, tomorrow, None, coverage=True)
        == "sem cobertura, volta amanhã às 07:00 (GMT-3)"
    )


def test_every_closed_state_has_its_own_words() -> None:
    at = datetime(2026, 12, 1, 23, 0, tzinfo=CUIABA)
    back = datetime(2026, 12, 2, 7, 30, tzinfo=CUIABA)
    assert build_label("closed", at, None, back, None) == "fechado, volta amanhã às 07:30 (GMT-4)"
    assert build_label("closed", at, None, None, None) == "fechado"
    assert build_label("holiday", at, None, None, None) == "feriado"
    assert build_label("holiday", at, None, None, "Natal") == "feriado (Natal)"
    assert build_label("weekend", at, None, None, None) == "fim de semana"
    assert build_label("uncovered", at, None, None, None) == "fechado"  # a team's words


def test_the_day_is_the_providers_not_the_machines(utc_machine: None) -> None:
    """21:30 in Mato Grosso is already tomorrow in UTC: "até 22:00", not "até hoje às"."""
    closes = datetime(2026, 12, 1, 22, 0, tzinfo=CUIABA)
    assert build_label("on_shift", LATE_EVENING, closes, None, None) == "no turno até 22:00 (GMT-4)"
    back_tonight = datetime(2026, 12, 1, 22, 30, tzinfo=CUIABA)
    assert (
        build_label("lunch", LATE_EVENING, None, back_tonight, None)
        == "almoço, volta às 22:30 (GMT-4)"
    )
    assert (
        build_label("uncovered", LATE_EVENING, None, back_tonight, None, coverage=True)
        == "sem cobertura, volta às 22:30 (GMT-4)"
    )
