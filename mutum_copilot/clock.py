"""Time, injected: the real clock for the app, a frozen one for tests and screenshots.

Nothing else in the project reads the wall clock; widgets and the core get
one of these callables, so a test can stop time or move it on.
"""

from __future__ import annotations

import datetime as dt


def system_clock() -> dt.datetime:
    """The real time, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class FrozenClock:
    """A clock that says the same instant until told to move on."""

    def __init__(self, moment: dt.datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a frozen clock needs an aware datetime")
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        """Move on by ``timedelta(**delta)``, e.g. ``advance(minutes=3)``."""
        self.moment += dt.timedelta(**delta)
