"""pt-BR words for the shift clock: "segunda às 07:30 (GMT-4)", "1 h 12 min", the status label.

Kept apart from :mod:`mutum_copilot.shift` so the arithmetic stays short and
the wording can change without touching it. Plain Python, no Textual, no rich:
the CLI and the TUI both render these strings, and :func:`gmt_label` is the one
place an offset is written, so the status bar and ``shift`` always agree.

Every clock time a label shows carries its zone ("07:30 (GMT-4)"): the agent
works in GMT-3 and the provider in GMT-4, and a bare "07:30" is a trap.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from mutum_copilot.weekdays import WEEKDAY_NAMES_PT

#: Relative day names, by how many local days ahead the target is.
_NEAR_DAYS = {0: "hoje", 1: "amanhã"}


def format_clock(moment: datetime) -> str:
    """Wall-clock time in the moment's own zone: ``07:30``."""
    return moment.strftime("%H:%M")


def gmt_label(moment: datetime) -> str:
    """``GMT-4``, ``GMT-3:30``, ``GMT+0``: the moment's real offset, as the provider writes it.

    From the tz database, so historical dates (Brazil had DST until 2019) get
    their own offset; half-hour offsets keep their minutes.
    """
    offset = moment.utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")


def format_clock_zoned(moment: datetime) -> str:
    """``07:30 (GMT-4)``."""
    return f"{format_clock(moment)} ({gmt_label(moment)})"


def format_day(target: datetime, at: datetime) -> str:
    """The day of ``target`` as an agent says it, relative to ``at``.

    ``hoje`` / ``amanhã`` / a weekday name within the coming week, and a
    weekday with the date beyond that (or in the past), where a bare weekday
    would be ambiguous. Days are counted in ``target``'s zone, because the
    team's "amanhã" is the one on its own calendar.
    """
    at_local = at.astimezone(target.tzinfo)
    days = (target.date() - at_local.date()).days
    if days in _NEAR_DAYS:
        return _NEAR_DAYS[days]
    weekday = WEEKDAY_NAMES_PT[target.weekday()]
    if 2 <= days <= 6:
        return weekday
    return f"{weekday} {target:%d/%m}"


def format_when(target: datetime, at: datetime) -> str:
    """``hoje às 13:30``, ``amanhã às 07:30``, ``segunda às 07:30`` (no zone: add one)."""
    return f"{format_day(target, at)} às {format_clock(target)}"


def format_when_zoned(target: datetime, at: datetime) -> str:
    """``amanhã às 07:30 (GMT-4)``: :func:`format_when` with the target's zone."""
    return f"{format_when(target, at)} ({gmt_label(target)})"


def format_sla_estimate(due: datetime, at: datetime, hours: float, zone_label: str) -> str:
    """The last-resort "N horas úteis" as a date, worded as what it is: an estimate for the agent.

    The provider's document allows saying "24 horas úteis" and nothing more, so
    a say text never carries this date; the agent sees which hours it counts.
    """
    day = format_day(due, at)
    if "/" not in day:
        day += f" {due:%d/%m}"
    return (
        f"estimativa de {hours:g} horas úteis: {day} às {format_clock(due)}, {zone_label}, "
        "contando só as horas de atendimento do N1 (sem almoço, noites, domingos "
        "e feriados); não informe esta data ao cliente"
    )


def format_countdown(delta: timedelta) -> str:
    """A short countdown: ``1 h 12 min``, ``45 min``, ``2 d 3 h``.

    Minutes are rounded up, so the text never says "0 min" while time is
    still left; past one day the minutes are dropped as noise.
    """
    seconds = delta.total_seconds()
    if seconds <= 0:
        return "0 min"
    minutes = math.ceil(seconds / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def build_label(
    state: str,
    at: datetime,
    closes_at: datetime | None,
    next_open: datetime | None,
    holiday_name: str | None,
    *,
    coverage: bool = False,
) -> str:
    """The short status line: ``no turno até 11:30 (GMT-4)``, ``almoço, volta às 13:30 (GMT-4)``…

    ``coverage``: words for a coverage window (``coberto até 09:30 (GMT-3)``,
    ``sem cobertura, volta às 19:30 (GMT-3)``) instead of a team's shift.
    """
    if state == "on_shift":
        on = "coberto" if coverage else "no turno"
        if closes_at is None:
            return on
        same_day = closes_at.date() == at.astimezone(closes_at.tzinfo).date()
        until = format_clock_zoned(closes_at) if same_day else format_when_zoned(closes_at, at)
        return f"{on} até {until}"
    if coverage:
        if next_open is None:
            return "sem cobertura"
        same_day = next_open.date() == at.astimezone(next_open.tzinfo).date()
        back = (
            f"às {format_clock_zoned(next_open)}" if same_day else format_when_zoned(next_open, at)
        )
        return f"sem cobertura, volta {back}"
    prefix = {
        "lunch": "almoço",
        "closed": "fechado",
        "weekend": "fim de semana",
        "holiday": f"feriado ({holiday_name})" if holiday_name else "feriado",
    }.get(state, "fechado")
    if next_open is None:
        return prefix
    same_day = next_open.date() == at.astimezone(next_open.tzinfo).date()
    if state == "lunch" and same_day:
        return f"{prefix}, volta às {format_clock_zoned(next_open)}"
    return f"{prefix}, volta {format_when_zoned(next_open, at)}"
