"""Cold import and whole-process time of the quick commands: ``ask`` and ``shift``.

Run from the repository root::

    .venv/bin/python -m bench.imports                 # 15 turns
    .venv/bin/python -m bench.imports --runs 5 --json /tmp/imports.json

Two measurements per command, each in a fresh process with temporary XDG
folders (so the user's config, history and caches are never read):

- ``python -X importtime``: the import time the interpreter reports (sum of
  every module's own time), the number of modules, whether ``textual`` or
  ``rich`` were imported at all, and the modules that cost the most;
- whole-process wall time of ``mutum-copilot ask "net caiu" --json`` and
  ``mutum-copilot shift --json``, from spawn to exit, beside ``python -c
  pass`` (the interpreter's own floor) and ``python -c "import textual.app"``
  (what the commands would pay for Textual), in interleaved turns after one
  discarded warm-up turn. ``shift`` is also run with its holiday cache turned
  off (``MUTUM_COPILOT_NO_HOLIDAY_CACHE=1``: its first run after an install).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import (
    REPO,
    VENV_BIN,
    compile_bytecode,
    describe_load,
    isolated_env,
    load_average,
    machine,
    table,
    temp_root,
    write_json,
)

PYTHON = str(VENV_BIN / "python")
COPILOT = str(VENV_BIN / "mutum-copilot")
TEXTUAL = 'python -c "import textual.app"'
COMMANDS = {
    "ask": ["ask", "net caiu", "--json"],
    "shift": ["shift", "--json"],
}


def importtime(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """What ``-X importtime`` says about one run of the command."""
    run = subprocess.run(
        [PYTHON, "-X", "importtime", COPILOT, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=True,
    )
    rows = []
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
        rows.append((name.rstrip(), int(self_us), int(cumulative_us)))
    names = [name.strip() for name, _, _ in rows]
    top_level = [(n.strip(), c) for n, _, c in rows if n.startswith(" ") and not n.startswith("  ")]
    return {
        "import_ms": sum(s for _, s, _ in rows) / 1e3,
        "modules": len(rows),
        "textual": any(n == "textual" or n.startswith("textual.") for n in names),
        "rich": any(n == "rich" or n.startswith("rich.") for n in names),
        "costliest": [
            {"module": n, "cumulative_ms": c / 1e3}
            for n, c in sorted(top_level, key=lambda r: -r[1])[:8]
        ],
    }


def child_cpu() -> float:
    """User plus system CPU seconds of every finished child so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def wall_times(
    variants: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU seconds per run of each variant.

    CPU time is the steadier figure on a shared machine: a process that waits for
    a core gets slower on the wall clock but not in CPU seconds.
    """
    samples: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for turn in range(runs + 1):
        shift = turn % len(names)
        for name in names[shift:] + names[:shift]:
            argv, env = variants[name]
            begin, begin_cpu = time.perf_counter(), child_cpu()
            subprocess.run(argv, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
            took, took_cpu = time.perf_counter() - begin, child_cpu() - begin_cpu
            if turn:  # turn 0 warms the page cache and the holiday cache
                samples[name].append(took)
                cpu[name].append(took_cpu)
    return samples, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="measured turns")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    compile_bytecode()
    before = load_average()
    root = temp_root("imports")
    env = {**os.environ, **isolated_env(root / "warm")}
    cold = {**os.environ, **isolated_env(root / "cold"), "MUTUM_COPILOT_NO_HOLIDAY_CACHE": "1"}
    for name in ("MUTUM_COPILOT_NO_HOLIDAY_CACHE", "MUTUM_COPILOT_NO_PACK_CACHE"):
        env.pop(name, None)
    subprocess.run([COPILOT, "shift", "--json"], env=env, check=True, stdout=subprocess.DEVNULL)
    imports = {name: importtime(argv_, env) for name, argv_ in COMMANDS.items()}
    variants = {
        "python -c pass": ([PYTHON, "-c", "pass"], env),
        TEXTUAL: ([PYTHON, "-c", "import textual.app"], env),
        "ask": ([COPILOT, *COMMANDS["ask"]], env),
        "shift": ([COPILOT, *COMMANDS["shift"]], env),
        "shift (no holiday cache)": ([COPILOT, *COMMANDS["shift"]], cold),
    }
    samples, cpu = wall_times(variants, args.runs)
    after = load_average()
    walls = {
        name: {
            "n": len(s),
            "median_s": statistics.median(s),
            "max_s": max(s),
            "min_s": min(s),
            "samples": s,
            "cpu_median_s": statistics.median(cpu[name]),
            "cpu_samples": cpu[name],
        }
        for name, s in samples.items()
    }
    reference = walls[TEXTUAL]
    print("\nCold imports of the quick commands (python -X importtime)")
    rows = [
        [
            f"mutum-copilot {' '.join(COMMANDS[name])}",
            f"{f['import_ms']:.0f}",
            str(f["modules"]),
            "yes" if f["textual"] else "no",
            "yes" if f["rich"] else "no",
            ", ".join(f"{c['module']} {c['cumulative_ms']:.0f}" for c in f["costliest"][:4]),
        ]
        for name, f in imports.items()
    ]
    print(table(rows, ["command", "import ms", "modules", "textual", "rich", "costliest (ms)"]))
    print(f"\nWhole process, spawn to exit (seconds, {args.runs} interleaved turns)")
    rows = [
        [
            name,
            f"{f['median_s']:.3f}",
            f"{f['min_s']:.3f}",
            f"{f['max_s']:.3f}",
            f"{f['median_s'] / reference['median_s']:.2f}x",
            f"{f['cpu_median_s']:.3f}",
            f"{f['cpu_median_s'] / reference['cpu_median_s']:.2f}x",
            str(f["n"]),
        ]
        for name, f in walls.items()
    ]
    heads = ["process", "median", "min", "max", "vs textual", "CPU s", "CPU vs textual", "n"]
    print(table(rows, heads))
    print(f"\n{describe_load(before, after)}")
    write_json(
        args.json,
        {
            "machine": machine(),
            "load_before": before,
            "load_after": after,
            "importtime": imports,
            "wall": walls,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
