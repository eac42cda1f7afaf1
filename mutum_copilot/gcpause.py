"""The cyclic garbage collector, paused while the process starts.

Start-up makes some 100,000 objects that live as long as the process: modules,
classes, Textual's app, the pack. The cyclic GC scans them again and again
while they are made (~130 passes, 20–35 ms of the first screen and of a whole
``ask``; see BENCHMARKS.md). So the CLI pauses it before its first import, and
:func:`resume` turns it back on once start-up is over: after the TUI's first
frame, before a long-running command, at the latest when the command returns.
Everything alive then goes to the permanent generation (``gc.freeze``): the
collector never scans start-up's objects again.
"""

from __future__ import annotations

import gc


def pause() -> None:
    """No cyclic collection until :func:`resume` (reference counting still frees)."""
    gc.disable()


def resume() -> None:
    """Collection back on, start-up's survivors frozen; a no-op when it was never paused."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()
