"""The cyclic garbage collector, paused while the process starts.

Start-up makes some 100,000 objects that live as long as the process: modules,
classes, Textual's app, the pack. The cyclic GC scans them again and again
while they are made (~130 passes, 20–35 ms of the first screen and of a whole
``ask``; see BENCHMARKS.md). So ``cli.main`` pauses it first thing, before any
command's imports, and :func:`resume` turns it back on once start-up is over:
after the TUI's first frame, before a long-running command, at the latest when
the command returns. Every object then tracked goes to the permanent generation
(``gc.freeze``), so the collector never scans start-up's objects again; the
price is start-up's own cyclic garbage, which is never collected (~9,000 small
objects with warm caches, once per process: a collection first would cost the
20 ms the pause saves, right when the agent may be typing).
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
