"""One GMT formatter: the status bar and ``shift`` print the same zone, half hours included."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from mutum_copilot.commands import shift
from mutum_copilot.shift_format import gmt_label
from mutum_copilot.tui.widgets import status_bar


def test_the_status_bar_and_shift_use_the_same_formatter() -> None:
    assert status_bar.gmt_label is gmt_label
    assert shift.gmt_label is gmt_label


def test_half_hour_and_whole_hour_offsets() -> None:
    winter = dt.datetime(2026, 1, 15, 12, 0)
    assert gmt_label(winter.replace(tzinfo=ZoneInfo("America/St_Johns"))) == "GMT-3:30"
    assert gmt_label(winter.replace(tzinfo=ZoneInfo("Asia/Kolkata"))) == "GMT+5:30"
    assert gmt_label(winter.replace(tzinfo=ZoneInfo("America/Cuiaba"))) == "GMT-4"
    assert gmt_label(winter.replace(tzinfo=ZoneInfo("UTC"))) == "GMT+0"
