"""The first key of a start: launch to the first step on screen, "1" sent at the first frame.

A start drawn from the boot record paints its first frame before the main
screen exists (:mod:`mutum_copilot.boot_record`); the keys typed at that
frame wait for it. This measures what the agent gets from it: in tmux, the
copilot is launched, "1" (the first flow) is sent the moment the N1 line is
on screen, and the clock stops when the flow's first step ("Nome do
cliente") is. Two ways, in interleaved turns:

* ``boot record``: the record of the previous start is there (the usual start);
* ``no record``: it is removed before each launch (the first start after an
  upgrade or a pack edit; the pack cache is kept, so only the record differs).

    .venv/bin/python -m bench.first_key --turns 15 --size 120x40

It reports, per way, the medians of the launch to the first frame (what
``bench.startup`` measures) and to the first step (with its min and max),
and of the key's own wait, from sending "1" to the step on screen.
``--delay 0.25`` sends the key a quarter of a second after the frame, as
quickly as a person who reads the screen first.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.common import (
    VENV_BIN,
    compile_bytecode,
    describe_load,
    isolated_env,
    load_average,
    table,
    temp_root,
)

MARKER = re.compile(r"N1 . (no turno|almoço|fechado|fim de semana|feriado)")
STEP = "Nome do cliente"
POLL_S = 0.005


def tmux(socket: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, env=env)
    return done.stdout


def one_start(
    home: Path, size: str, delay: float = 0.0, timeout: float = 20
) -> tuple[float, float, float]:
    """Seconds from launch to the first frame, to the first step, and from "1" to the step.

    "1" is sent ``delay`` seconds after the first frame showed (0: at once, as a
    script would; ~0.25 s: the quickest a person reads the screen and types).
    """
    width, height = size.split("x")
    socket = f"mc-bench-{uuid.uuid4().hex[:8]}"
    outside = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env = {**outside, **isolated_env(home), "TERM": "xterm-256color"}
    command = str(VENV_BIN / "mutum-copilot")
    began = time.perf_counter()
    tmux(socket, env, "new-session", "-d", "-s", "app", "-x", width, "-y", height, command)
    try:
        frame = sent = key = 0.0
        deadline = began + timeout
        while time.perf_counter() < deadline:
            screen = tmux(socket, env, "capture-pane", "-p", "-t", "app")
            if not frame and MARKER.search(screen):
                frame = time.perf_counter() - began
                time.sleep(delay)
                sent = time.perf_counter() - began
                tmux(socket, env, "send-keys", "-t", "app", "-l", "1")
            elif frame and STEP in screen:
                key = time.perf_counter() - began
                break
            time.sleep(POLL_S)
        if not key:
            raise RuntimeError(f"the first step never showed; screen:\n{screen}")
        return frame, key, key - sent
    finally:
        tmux(socket, env, "kill-server")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=11)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds from frame to key")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        print("tmux is needed", file=sys.stderr)
        return 2
    compile_bytecode()
    work = temp_root("first-key")
    before = load_average()
    samples: dict[str, list[tuple[float, float, float]]] = {"boot record": [], "no record": []}
    for way in samples:  # warm-up: writes the caches and the record
        one_start(work / way.replace(" ", "-"), args.size)
    for turn in range(args.turns):
        ways = list(samples) if turn % 2 == 0 else list(reversed(samples))
        for way in ways:
            home = work / way.replace(" ", "-")
            if way == "no record":
                for record in (home / "cache").rglob("boot-*.json"):
                    record.unlink()
            samples[way].append(one_start(home, args.size, args.delay))
    rows = []
    for way, pairs in samples.items():
        frames, keys, waits = ([p[i] for p in pairs] for i in range(3))
        rows.append(
            [
                way,
                f"{statistics.median(frames):.3f}",
                f"{statistics.median(keys):.3f}",
                f"{min(keys):.3f}",
                f"{max(keys):.3f}",
                f"{statistics.median(waits) * 1000:.0f} ms",
                len(pairs),
            ]
        )
    when = f"{args.delay:.2f} s after" if args.delay else "at"
    print(f"\nFirst key at {args.size} (seconds from launch; '1' sent {when} the first frame)")
    header = ["start", "first frame", "first key", "min", "max", "key to step", "n"]
    print(table(rows, header))
    print(describe_load(before, load_average()))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
