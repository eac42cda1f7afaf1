"""pt-BR words for the shift clock: "segunda às 07:30", "1 h 12 min", the status label.

Kept apart from :mod:`mutum_copilot.shift` so the arithmetic stays short and
the wording can change without touching it. Plain Python, no Textual, no rich:
the CLI and the TUI both render these strings.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from mutum_copilot.knowledge.models import WEEKDAY_NAMES_PT

#: Relative day names, by how many local days ahead the target is.
_NEAR_DAYS = {0: "hoje", 1: "amanhã"}


def format_clock(moment: datetime) -> str:
    """Wall-clock time in the moment's own zone: ``07:30``."""
    return moment.strftime("%H:%M")


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
    """``hoje às 13:30``, ``amanhã às 07:30``, ``segunda às 07:30``."""
    return f"{format_day(target, at)} às {format_clock(target)}"


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
    """The short status line: ``no turno até 11:30``, ``almoço, volta às 13:30``…

    ``coverage``: words for a coverage window (``coberto até 09:30``,
    ``sem cobertura, volta às 19:30``) instead of a team's shift.
    """
    if state == "on_shift":
        on = "coberto" if coverage else "no turno"
        if closes_at is None:
            return on
        same_day = closes_at.date() == at.astimezone(closes_at.tzinfo).date()
        until = format_clock(closes_at) if same_day else format_when(closes_at, at)
        return f"{on} até {until}"
    if coverage:
        if next_open is None:
            return "sem cobertura"
        same_day = next_open.date() == at.astimezone(next_open.tzinfo).date()
        back = f"às {format_clock(next_open)}" if same_day else format_when(next_open, at)
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
        return f"{prefix}, volta às {format_clock(next_open)}"
    return f"{prefix}, volta {format_when(next_open, at)}"
