"""Where a team stands at one instant: the shift clock's answer, as plain data.

Apart from :mod:`mutum_copilot.shift` (which computes it from a pack's schedule)
so that what only *shows* a status, the status bar and a first frame drawn from
the boot record (:mod:`mutum_copilot.boot_record`), imports no pack model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

#: ``uncovered`` is the state of a coverage window (the call center) whenever it is
#: not covering: it has no lunch or weekend of its own, only gaps.
State = Literal["on_shift", "lunch", "closed", "weekend", "holiday", "uncovered"]


@dataclass(frozen=True)
class ShiftStatus:
    """Where a team stands at one instant. Datetimes are in the schedule's zone.

    ``next_change`` is when ``on_shift`` next flips; it is None only when the
    schedule never opens (or never closes) within :data:`mutum_copilot.shift.LOOKAHEAD_DAYS`.
    ``holiday_name`` is set on any holiday, even for a team that works on
    holidays (it is still worth showing); ``state`` is ``holiday`` only when
    the schedule closes on holidays and the team is not on shift.
    """

    at: datetime
    on_shift: bool
    state: State
    next_change: datetime | None
    next_open: datetime | None
    closes_at: datetime | None
    holiday_name: str | None
    label: str

    @property
    def time_to_change(self) -> timedelta | None:
        """What a countdown shows: time left until ``next_change``."""
        return None if self.next_change is None else self.next_change - self.at


def closing_soon(status: ShiftStatus, minutes: float = 15) -> bool:
    """True in the last ``minutes`` before an on-shift team stops (lunch included)."""
    if not status.on_shift or status.closes_at is None:
        return False
    return status.closes_at - status.at <= timedelta(minutes=minutes)


class N1Source(Protocol):
    """What a status bar asks N1's state of: the shift clock, or a boot record."""

    def n1_status(self, at: datetime) -> ShiftStatus: ...
