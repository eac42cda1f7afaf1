"""Memory: RSS at start, after 1,000 searches and 500 triage steps, and over an 8-hour shift.

Run from the repository root (it measures its own process, so run it alone)::

    .venv/bin/python -m bench.memory                 # the whole simulated shift
    .venv/bin/python -m bench.memory --quick --json /tmp/memory.json   # one simulated hour

The real app runs in ``App.run_test()`` (120x40) over the shipped pack, with a
:class:`~mutum_copilot.clock.FrozenClock` and a real SQLite history and vault
in a temporary folder:

1. *start*: RSS once the main screen is up;
2. *searches*: 1,000 FAQ searches through the pane's own ``search()`` (the
   code an ``Input.Changed`` runs: the index, then the top results rendered
   into the ``OptionList``), the screen refreshed every 50;
3. *triage*: 500 steps with the keyboard (option 1, then Escape back, in a
   call of the "Sem conexão" flow, each saved to the history);
4. *shift*: eight simulated hours. Every simulated second the clock moves on
   one second and the status bar ticks (N1's state from the shift clock, the
   text rebuilt and drawn), the screen refreshed once a simulated minute;
   every 10 simulated minutes a call is played with the keyboard (flow 1 and
   the opening's answers) and finished (Ctrl+R, "nova chamada").
   RSS is read (after ``gc.collect()``) every simulated half hour.

RSS is ``VmRSS`` and the peak ``VmHWM`` from ``/proc/self/status``. Growth
is reported from the end of the first simulated hour to the end, and over
the second half of the shift (bounded caches of Textual, rich and the search
fill during the first two hours or so; a leak keeps growing after that).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import describe_load, load_average, machine, table, temp_root, write_json
from bench.keystroke import SIZE, TUESDAY_NIGHT, play_opening

SEARCH_WORDS = (
    "internet",
    "sem",
    "conexão",
    "lenta",
    "boleto",
    "fatura",
    "segunda",
    "via",
    "senha",
    "wifi",
    "roteador",
    "luz",
    "vermelha",
    "visita",
    "técnica",
    "mudança",
    "endereço",
    "cancelamento",
    "plano",
    "pix",
    "comprovante",
    "desbloqueio",
)


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process, in MB."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, value = line.split(":", 1)
                fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def sample() -> dict[str, float]:
    gc.collect()
    rss, peak = rss_mb()
    return {"rss_mb": round(rss, 1), "peak_mb": round(peak, 1)}


def queries(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        words = rng.sample(SEARCH_WORDS, rng.randint(1, 3))
        text = " ".join(words)
        out.append(text[: rng.randint(3, len(text))] if len(text) > 3 else text)
    return out


async def play_call(pilot: Any) -> None:
    await play_opening(pilot)
    await pilot.press("1")


async def end_call(pilot: Any) -> None:
    await pilot.press("ctrl+r")
    await pilot.pause()
    await pilot.press("2")  # nova chamada: the call is finished and saved
    await pilot.pause()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from mutum_copilot.clock import FrozenClock
    from mutum_copilot.config import Settings
    from mutum_copilot.services import build_services
    from mutum_copilot.tui.factory import build_app
    from mutum_copilot.tui.widgets.faq_pane import FaqPane
    from mutum_copilot.tui.widgets.status_bar import StatusBar

    root = temp_root("memory")
    clock = FrozenClock(TUESDAY_NIGHT - dt.timedelta(hours=4))  # 19:10: N1 closes at 19:30
    services = build_services(
        Settings(),
        clock=clock,
        history_path=root / "history.sqlite3",
        vault_path=root / "secrets.yaml",
    )
    app = build_app(services, cursor_blink=False, catch_errors=False)
    phases: dict[str, Any] = {"before app": sample()}
    shift: list[dict[str, Any]] = []
    calls = 0
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        phases["start"] = sample()

        pane = app.screen.query_one(FaqPane)
        begin = time.perf_counter()
        for number, query in enumerate(queries(args.searches), 1):
            pane.search(query)
            if number % 50 == 0:
                await pilot.pause()
        phases["after searches"] = {
            **sample(),
            "count": args.searches,
            "seconds": round(time.perf_counter() - begin, 1),
        }
        pane.reset()

        begin = time.perf_counter()
        await play_call(pilot)
        steps = 0
        while steps < args.steps:
            await pilot.press("1")
            await pilot.press("escape")
            steps += 2
        await end_call(pilot)
        phases["after triage"] = {
            **sample(),
            "count": steps,
            "seconds": round(time.perf_counter() - begin, 1),
        }

        bar = app.screen.query_one(StatusBar)
        seconds = int(args.hours * 3600)
        begin = time.perf_counter()
        shift.append({"hour": 0.0, **sample(), "calls": 0})
        for second in range(1, seconds + 1):
            clock.advance(seconds=1)
            bar.tick()
            if second % 60 == 0:
                await pilot.pause()
            if second % 600 == 300:
                await play_call(pilot)
            elif second % 600 == 0:
                await end_call(pilot)
                calls += 1
            if second % 1800 == 0:
                shift.append({"hour": second / 3600, **sample(), "calls": calls})
                print(f"  hour {second / 3600:4.1f}: {shift[-1]}", file=sys.stderr, flush=True)
        shift_seconds = time.perf_counter() - begin
    from mutum_copilot.history import HistoryStore

    history_rows = len(HistoryStore(root / "history.sqlite3").recent(100_000))
    warm = [s for s in shift if s["hour"] >= min(1.0, args.hours / 2)]
    values = [s["rss_mb"] for s in warm]
    late = [s["rss_mb"] for s in shift if s["hour"] >= args.hours / 2]
    return {
        "phases": phases,
        "shift": {
            "simulated_hours": args.hours,
            "ticks": seconds,
            "calls": calls,
            "history_rows": history_rows,
            "wall_seconds": round(shift_seconds, 1),
            "samples": shift,
            "growth_mb": round(values[-1] - values[0], 1) if values else None,
            "spread_mb": round(max(values) - min(values), 1) if values else None,
            "second_half_growth_mb": round(late[-1] - late[0], 1) if late else None,
            "peak_mb": max(s["peak_mb"] for s in shift),
        },
    }


def print_tables(results: dict[str, Any]) -> None:
    rows = []
    for name, f in results["phases"].items():
        extra = f"{f['count']} in {f['seconds']} s" if "count" in f else ""
        rows.append([name, f"{f['rss_mb']:.1f}", f"{f['peak_mb']:.1f}", extra])
    print("\nMemory of the running app (MB)")
    print(table(rows, ["when", "RSS", "peak RSS", "work"]))
    shift = results["shift"]
    rows = [
        [f"{s['hour']:.1f} h", f"{s['rss_mb']:.1f}", f"{s['peak_mb']:.1f}", str(s["calls"])]
        for s in shift["samples"]
    ]
    print(
        f"\nSimulated shift: {shift['simulated_hours']} h = {shift['ticks']:,} ticks, "
        f"{shift['calls']} calls finished, {shift['wall_seconds']} s of wall time"
    )
    print(table(rows, ["clock", "RSS", "peak RSS", "calls"]))
    print(
        f"growth after the first hour: {shift['growth_mb']} MB "
        f"(samples spread {shift['spread_mb']} MB); over the second half of the shift: "
        f"{shift['second_half_growth_mb']} MB; peak {shift['peak_mb']} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=8.0, help="simulated shift length")
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=500, help="triage steps")
    parser.add_argument("--quick", action="store_true", help="one simulated hour, fewer steps")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.hours, args.searches, args.steps = 1.0, 300, 100
    before = load_average()
    results = asyncio.run(run(args))
    after = load_average()
    print_tables(results)
    print(f"\n{describe_load(before, after)}")
    write_json(
        args.json, {"machine": machine(), "load_before": before, "load_after": after, **results}
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
