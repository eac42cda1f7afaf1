"""The TUI's start-up, from the CLI entry point to its first painted frame, to profile.

    .venv/bin/pyinstrument -i 0.001 -m bench.profile_start
    .venv/bin/py-spy record -o /tmp/start.svg -- .venv/bin/python -m bench.profile_start

Runs ``mutum-copilot`` (no command: the TUI) headless at 120x40 over the
configured pack, and exits once the status bar has ticked for the first time
and the screen has been refreshed: what the time-to-first-screen benchmark
(:mod:`bench.startup`) waits for, without tmux. Set ``XDG_*_HOME`` to
temporary folders to keep a real agent's data out of it. Prints, on stderr,
how many cyclic collections the start made and how long they took.
"""

from __future__ import annotations

import gc
import sys
import time
from typing import Any


def count_collections() -> list[float]:
    """Seconds of each cyclic collection from now on (``gc.callbacks``)."""
    spent: list[float] = []
    began = [0.0]

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            spent.append(time.perf_counter() - began[0])

    gc.callbacks.append(watch)
    return spent


SPENT = count_collections()
gc.disable()  # as cli.main does first: the imports below are the ones it pays for

import textual.app  # noqa: E402

import mutum_copilot.tui.widgets.status_bar as status_bar  # noqa: E402
from mutum_copilot.cli import main as cli_main  # noqa: E402


def main() -> int:
    tick = status_bar.StatusBar.tick
    done: list[bool] = []

    def first_tick(self: Any) -> None:
        tick(self)
        if not done:
            done.append(True)
            self.call_after_refresh(self.app.exit)

    run = textual.app.App.run

    def headless_run(self: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs.update(headless=True, size=(120, 40))
        return run(self, *args, **kwargs)

    status_bar.StatusBar.tick = first_tick  # type: ignore[method-assign]
    textual.app.App.run = headless_run  # type: ignore[method-assign]
    code = cli_main([])
    print(f"gc: {len(SPENT)} collections, {sum(SPENT) * 1000:.1f} ms", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
