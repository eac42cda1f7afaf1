"""Snapshot tests of the main screens at fixed sizes, with the clock frozen.

Update after an intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from mutum_copilot.clock import FrozenClock

from .helpers import BRT, OPENING, TUESDAY_NIGHT, app_for, play, type_text

SUNDAY_AFTERNOON = dt.datetime(2026, 11, 29, 15, 42, tzinfo=BRT)


def call_played(
    *answers: object, typed: str = "", keys: tuple[str, ...] = ()
) -> Callable[[Pilot[None]], Awaitable[None]]:
    """The "sem conexão" call answered so far, then ``typed`` left in the box, then ``keys``."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await play(pilot, *answers)
        if typed:
            await type_text(pilot, typed)
        if keys:
            await pilot.press(*keys)

    return run_before


class TestStartScreen:
    def test_tuesday_night_wide(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(app_for(tmp_path), terminal_size=(100, 30))

    def test_sunday_n1_closed(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        app = app_for(tmp_path, FrozenClock(SUNDAY_AFTERNOON))
        assert snap_compare(app, terminal_size=(100, 30))


class TestTriage:
    def test_signal_step_with_bad_rx(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        played = call_played(*OPENING, 1, 4, 1, typed="-27")
        assert snap_compare(app_for(tmp_path), run_before=played, terminal_size=(100, 30))

    def test_narrow_80x24(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        played = call_played(*OPENING, 1)
        assert snap_compare(app_for(tmp_path), run_before=played, terminal_size=(80, 24))


class TestFaq:
    def test_search_visita(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        press = ["slash", *"visita"]
        assert snap_compare(app_for(tmp_path), press=press, terminal_size=(120, 34))

    def test_entry_open_in_the_narrow_overlay(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        press = ["slash", *"2 via", "enter"]
        assert snap_compare(app_for(tmp_path), press=press, terminal_size=(80, 24))


class TestNote:
    def test_os_note_of_a_bad_signal_call(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        answers = (*OPENING, 1, 4, 1, "-27", 1, "-27,5", 2, "(65) 99988-7766")
        played = call_played(*answers, keys=("enter", "o"))
        app = app_for(tmp_path, FrozenClock(TUESDAY_NIGHT), agent_name="Ana (UPCALL)")
        assert snap_compare(app, run_before=played, terminal_size=(100, 34))
