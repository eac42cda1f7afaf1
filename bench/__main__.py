"""Run every benchmark, one after the other, each in its own process.

From the repository root::

    .venv/bin/python -m bench                      # the full run behind BENCHMARKS.md
    .venv/bin/python -m bench --quick              # a short run (a few minutes)
    .venv/bin/python -m bench --json bench-results # also write <part>.json and <part>.txt there
    .venv/bin/python -m bench --only startup,imports

Parts (each also runs alone as ``python -m bench.<part>``; see its docstring):

1. ``startup``: time to first useful screen in tmux, beside a bare Textual app,
   toolong and posting (installed into venvs under /tmp on first use);
2. ``search``: search latency, index build time and memory at the shipped
   pack, 1,000, 10,000 and 100,000 entries, beside rapidfuzz WRatio and
   Textual's fuzzy matcher, with hit@1/hit@3 (:mod:`bench.search_bench`);
3. ``keystroke``: key press to screen in ``App.run_test()``, above the pilot's
   own floor;
4. ``memory``: RSS at start, after searches and triage steps, and over a
   simulated eight-hour shift;
5. ``imports``: cold imports and whole-process time of ``ask`` and ``shift``.

Parts run one at a time so that they do not measure each other; the machine
and its load average are printed first and last.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.common import REPO, load_average, machine

PARTS = {
    "startup": ("bench.startup", [], ["--turns", "3"]),
    "search": (
        "bench.search_bench",
        [],
        ["--sizes", "1000,10000", "--queries", "200", "--budget", "3", "--repeat", "1"],
    ),
    "keystroke": ("bench.keystroke", [], ["--quick"]),
    "memory": ("bench.memory", [], ["--quick"]),
    "imports": ("bench.imports", [], ["--runs", "5"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short versions of every part")
    parser.add_argument("--json", type=Path, metavar="DIR", help="write <part>.json/.txt here")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts")
    args = parser.parse_args(argv)
    chosen = [p for p in args.only.split(",") if p]
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    info = machine()
    print(json.dumps(info, indent=2))
    if args.json:
        args.json.mkdir(parents=True, exist_ok=True)
        (args.json / "machine.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    failed = []
    for name in chosen:
        module, full, quick = PARTS[name]
        command = [sys.executable, "-m", module, *(quick if args.quick else full)]
        if args.json:
            command += ["--json", str(args.json / f"{name}.json")]
        print(f"\n=== {name}: {' '.join(command[1:])}  (load {load_average()[0]:.2f})", flush=True)
        begin = time.perf_counter()
        run = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
        sys.stdout.write(run.stdout)
        if args.json:
            (args.json / f"{name}.txt").write_text(run.stdout, encoding="utf-8")
        print(f"=== {name}: exit {run.returncode}, {time.perf_counter() - begin:.0f} s", flush=True)
        if run.returncode:
            failed.append(name)
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in load_average())}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
