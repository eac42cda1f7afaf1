"""The main screen's layout constants, shared with the boot frame that stands in for it."""

from __future__ import annotations

#: Below this width the FAQ is an overlay toggled with "/" instead of a column.
WIDE_MIN_WIDTH = 100
#: The classes a call screen gets by width (``-narrow``, ``-wide``), for app.tcss.
CALL_SCREEN_BREAKPOINTS = [(0, "-narrow"), (WIDE_MIN_WIDTH, "-wide")]
