"""Keystroke to screen in ``App.run_test()``: FAQ typing, triage choices, going back.

Run from the repository root::

    .venv/bin/python -m bench.keystroke                  # shipped pack and 10,000 entries
    .venv/bin/python -m bench.keystroke --quick --json /tmp/keys.json

Each sample is one ``pilot.press(key)``, then a look at the screen every 2 ms
until it shows the key's result, read from the composed screen (not from the
app's state alone):

- ``search``: one letter typed in the FAQ search box; done when the box holds
  the query so far, the pane's hits are the index's hits for it, and the top
  hit's question is on screen (or "Nada encontrado");
- ``triage choice``: option 1 on a step of the "Sem conexão" flow after the
  opening (saved to the SQLite history, as in a call); done when the next
  step's title is on screen;
- ``back``: Escape from there; done when the previous step is on screen again.

The pilot adds waits of its own (idle waits after every key), so after
every sample a key bound to nothing (F12) is pressed and timed the same way:
that is the floor, taken in the same turns under the same load. Reported per
scenario: the floor, the total, and *above floor* = total minus the floor's
median (median and p99), plus *key to paint*: from the press to the first
frame the app composed once its state held the result (``App._display`` is
called for every frame, also headless), which has no pilot waits in it, and
*CPU above floor*: the process CPU time of the key minus the floor key's
median (the work done, with none of the pilot's sleeps).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import (
    describe_load,
    load_average,
    machine,
    percentiles,
    synthetic_pack,
    temp_root,
    write_json,
)
from bench.report import keystroke_table

BRT = ZoneInfo("America/Sao_Paulo")
TUESDAY_NIGHT = dt.datetime(2026, 11, 24, 23, 10, tzinfo=BRT)
OPENING = [
    "Maria Souza",
    "529.982.247-25",
    "4821",
    "20261124-0001",
    1,
    "Sem internet desde as 20h.",
]
NOOP_KEY = "f12"
POLL = 0.002  # seconds between looks at the screen after the press
SIZE = (120, 40)
#: What agents type in the shipped pack's FAQ (typos and missing accents included).
SHIPPED_QUERIES = [
    "sem internet",
    "boleto vencido",
    "senha do wifi",
    "vizita tecnica",
    "mudanca de endereco",
    "luz vermelha",
    "segunda via",
    "net lenta",
    "cancelar plano",
    "desbloqueio confianca",
    "horario atendimento",
    "pix comprovante",
]


class Recorder:
    """Times keys: press, then pause until ``ready()``; remembers the frames composed."""

    def __init__(self, app: Any, pilot: Any) -> None:
        self.app = app
        self.pilot = pilot
        self.paints: list[float] = []
        self.cpu = 0.0
        self.state: Callable[[], bool] | None = None  # the key's result, in the app's state
        self.first_ready: float | None = None  # the first frame drawn with that state
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                now = time.perf_counter()
                self.paints.append(now)
                if self.state is not None and self.first_ready is None and self.state():
                    self.first_ready = now
            original(screen, renderable)

        app._display = display

    def screen_text(self) -> str:
        strips = self.app.screen._compositor.render_strips()
        return "\n".join(strip.text for strip in strips)

    async def timed(
        self,
        key: str,
        ready: Callable[[], bool],
        state: Callable[[], bool] | None = None,
        limit: float = 10.0,
    ) -> tuple[float, float | None]:
        """(press to result seen, press to the first frame drawn with it) in seconds.

        ``state`` says, from the app's state alone, that the key took effect: the
        first frame composed once it holds is the frame that shows the result
        (without it: the last frame before the result was seen). ``self.cpu`` is
        left holding the process CPU time the key took: the app's work plus the
        pilot's, with none of the pilot's sleeps.
        """
        seen = len(self.paints)
        self.state, self.first_ready = state, None
        cpu = time.process_time()
        begin = time.perf_counter()
        await self.pilot.press(key)
        deadline = begin + limit
        while not ready():  # polled every 2 ms: a pilot.pause() would add ~40 ms of its own
            if time.perf_counter() > deadline:
                raise RuntimeError(f"key {key!r}: result never reached the screen")
            await asyncio.sleep(POLL)
        end = time.perf_counter()
        self.cpu = time.process_time() - cpu
        self.state = None
        if self.first_ready is not None:
            return end - begin, self.first_ready - begin
        frames = [t for t in self.paints[seen:] if t <= end]
        return end - begin, (frames[-1] - begin) if frames else None

    async def noop(self, out: dict[str, list[float]]) -> None:
        total, _ = await self.timed(NOOP_KEY, lambda: bool(self.screen_text()))
        out["noop"].append(total)
        out["noop_cpu"].append(self.cpu)

    def record(self, out: dict[str, list[float]], total: float, paint: float | None) -> None:
        out["total"].append(total)
        out["cpu"].append(self.cpu)
        if paint is not None:
            out["paint"].append(paint)


def new_app(root: Path, knowledge: Path | None) -> Any:
    from mutum_copilot.clock import FrozenClock
    from mutum_copilot.config import Settings
    from mutum_copilot.services import build_services
    from mutum_copilot.tui.factory import build_app

    services = build_services(
        Settings(),
        knowledge=knowledge,
        clock=FrozenClock(TUESDAY_NIGHT),
        history_path=root / "history.sqlite3",
        vault_path=root / "secrets.yaml",
    )
    return build_app(services, cursor_blink=False, catch_errors=False)


async def search_samples(
    root: Path, knowledge: Path | None, queries: list[str], out: dict[str, list[float]]
) -> None:
    from textual.widgets import Input

    from mutum_copilot.tui.widgets.faq_pane import RESULTS_SHOWN, FaqPane

    app = new_app(root, knowledge)
    async with app.run_test(size=SIZE) as pilot:
        rec = Recorder(app, pilot)
        index = app.services.search
        await pilot.press("slash")
        box = app.screen.query_one("#faq-query", Input)
        pane = app.screen.query_one(FaqPane)
        for query in queries:
            with box.prevent(Input.Changed):
                box.value = ""
            await pilot.pause()
            for end in range(1, len(query) + 1):
                typed = query[:end]
                # what the pane computes: a weak best match shows "Nada no documento" first
                found = index.find(typed, limit=RESULTS_SHOWN) if typed.strip() else None
                hits = list(found.hits) if found is not None else []
                ids = [h.id for h in hits]
                answered = found is not None and found.answered
                want = hits[0].entry.question[:18] if answered else "Nada no documento"

                def state(typed: str = typed, ids: list[str] = ids) -> bool:
                    return box.value == typed and [h.id for h in pane.hits] == ids

                def ready(typed: str = typed, want: str = want, state: Any = state) -> bool:
                    return state() and (not typed.strip() or want in rec.screen_text())

                key = "space" if typed[-1] == " " else typed[-1]
                total, paint = await rec.timed(key, ready, state)
                if typed.strip():
                    rec.record(out, total, paint)
                    await rec.noop(out)


async def play_opening(pilot: Any) -> None:
    """Start "Sem conexão" and answer the shared opening, as an agent types it."""
    await pilot.press("1")
    for answer in OPENING:
        if isinstance(answer, int):
            await pilot.press(str(answer))
        else:
            await pilot.press(*answer)
            await pilot.press("enter")
        await pilot.pause()


async def triage_samples(root: Path, rounds: int, out: dict[str, dict[str, list[float]]]) -> None:
    from mutum_copilot.tui.widgets.triage_pane import TriagePane

    app = new_app(root, None)
    async with app.run_test(size=SIZE) as pilot:
        rec = Recorder(app, pilot)
        await play_opening(pilot)
        pane = app.screen.query_one(TriagePane)
        here = pane.view
        await pilot.press("1")
        await pilot.pause()
        there = pane.view
        await pilot.press("escape")
        await pilot.pause()
        assert pane.view.node_id == here.node_id, "Escape did not come back"

        def at(view: Any) -> Callable[[], bool]:
            return lambda: pane.view is not None and pane.view.node_id == view.node_id

        def showing(view: Any) -> Callable[[], bool]:
            title = view.title[:30]
            return lambda: at(view)() and title in rec.screen_text()

        for _ in range(rounds):
            for name, key, target in (("choice", "1", there), ("back", "escape", here)):
                total, paint = await rec.timed(key, showing(target), at(target))
                rec.record(out[name], total, paint)
                await rec.noop(out[name])


def summarize(samples: dict[str, list[float]]) -> dict[str, Any]:
    import statistics

    floor = statistics.median(samples["noop"]) if samples["noop"] else 0.0
    cpu_floor = statistics.median(samples["noop_cpu"]) if samples["noop_cpu"] else 0.0
    return {
        "floor": percentiles(samples["noop"]),
        "total": percentiles(samples["total"]),
        "above_floor": percentiles([t - floor for t in samples["total"]]),
        "key_to_paint": percentiles(samples["paint"]),
        "cpu_floor": percentiles(samples["noop_cpu"]),
        "cpu_above_floor": percentiles([t - cpu_floor for t in samples["cpu"]]),
    }


def empty() -> dict[str, list[float]]:
    return {"total": [], "paint": [], "noop": [], "cpu": [], "noop_cpu": []}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.search_bench import make_queries
    from bench.synthetic import generate

    root = temp_root("keys")
    scenarios: dict[str, dict[str, list[float]]] = {}
    shipped = SHIPPED_QUERIES[: 4 if args.quick else None]
    for turn in range(args.turns):
        print(f"turn {turn + 1}/{args.turns}", file=sys.stderr, flush=True)
        folder = root / f"t{turn}"
        folder.mkdir()
        await search_samples(
            folder / "s", None, shipped, scenarios.setdefault("search, shipped pack", empty())
        )
        triage = {"choice": empty(), "back": empty()}
        await triage_samples(folder / "t", 5 if args.quick else 20, triage)
        for name, got in triage.items():
            into = scenarios.setdefault(f"triage {name}", empty())
            for key in got:
                into[key] += got[key]
        if args.large:
            pack = synthetic_pack(args.large)
            queries = make_queries(generate(args.large), 200, seed=11 + turn)
            queries = queries[: 3 if args.quick else 12]
            label = f"search, {args.large:,} entries"
            await search_samples(folder / "l", pack, queries, scenarios.setdefault(label, empty()))
    return {name: summarize(samples) for name, samples in scenarios.items()}


def print_table(results: dict[str, Any]) -> None:
    print("\nKeystroke to screen in run_test, 120x40 (ms; floor = an unbound key, same turns)")
    print(keystroke_table(results))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=3, help="fresh apps per scenario")
    parser.add_argument("--large", type=int, default=10_000, help="synthetic pack size (0: none)")
    parser.add_argument("--quick", action="store_true", help="fewer queries and rounds")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.turns = min(args.turns, 1)
    before = load_average()
    results = asyncio.run(run(args))
    after = load_average()
    print_table(results)
    print(f"\n{describe_load(before, after)}")
    write_json(
        args.json,
        {"machine": machine(), "load_before": before, "load_after": after, "scenarios": results},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
