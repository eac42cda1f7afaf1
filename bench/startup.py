"""Time to first useful screen, in a real terminal (tmux), beside other Textual apps.

Run from the repository root::

    .venv/bin/python -m bench.startup                 # 120x40 and 80x24, 9 turns
    .venv/bin/python -m bench.startup --turns 3 --json /tmp/startup.json

From launching the command in a fresh tmux session to the moment its marker
text is on screen (polled every 10 ms by ``shared/tools/tui_ready.py``):

- ``mutum-copilot``: the N1 status line (``N1 ● fechado, volta …``), with its
  caches warm (the pack's pickle and the holiday table, as on every start but
  the first after an install or a pack change);
- ``mutum-copilot (cold)``: the same with both caches turned off, as on the
  very first start;
- ``bare textual``: ``shared/tools/bare_textual_app.py``, a header and one
  line: the floor for any Textual app on this machine;
- ``toolong``: ``tl`` on a 200-line log, until its last line is shown;
- ``posting``: on an empty collection, until "Collection is empty." is shown.

The two published apps are installed with pip into their own venvs under
``--apps-dir`` (their Textual versions conflict), once; ``posting`` needs
``tree-sitter==0.25.2`` here (0.26 segfaults in its grammars). Every turn runs
each app once, in an order that rotates, so load from other processes falls
on all of them alike; one warm-up turn is discarded. Each app gets its own
temporary XDG folders. Reported: median, min and max per app and size, and
the ratio of medians to the bare Textual app.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import secrets
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
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

#: ``shared/tools`` beside the repository, or beside the folder of its worktrees.
TOOLS = next(
    (p / "shared" / "tools" for p in (REPO.parent, REPO.parent.parent) if (p / "shared").is_dir()),
    REPO.parent / "shared" / "tools",
)
N1_MARKER = r"N1 . (no turno|almoço|fechado|fim de semana|feriado)"
APPS_DIR = Path("/tmp/mutum-bench-apps")
PUBLISHED = {
    "toolong": ["toolong"],
    "posting": ["posting", "tree-sitter==0.25.2"],
}


@dataclass
class Contender:
    name: str
    argv: list[str]
    marker: str
    regex: bool = False
    env: dict[str, str] = field(default_factory=dict)
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def load_tui_ready(path: Path) -> ModuleType:
    if not path.exists():
        raise SystemExit(f"bench.startup: {path} not found (pass --tui-ready PATH)")
    spec = importlib.util.spec_from_file_location("tui_ready", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["tui_ready"] = module
    spec.loader.exec_module(module)
    return module


def install_published(apps_dir: Path, names: list[str]) -> dict[str, Path]:
    """A venv per published app (created once), with the app installed; name -> bin folder."""
    found = {}
    for name in names:
        venv = apps_dir / name
        binary = venv / "bin" / ("tl" if name == "toolong" else name)
        if not binary.exists():
            print(f"installing {name} into {venv} ...", file=sys.stderr, flush=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
            subprocess.run([*pip, *PUBLISHED[name]], check=True)
        found[name] = venv / "bin"
    return found


def small_log(folder: Path, lines: int = 200) -> Path:
    path = folder / "small.log"
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            stamp = f"2026-11-24T22:{i // 60 % 60:02d}:{i % 60:02d}"
            out.write(
                f"{stamp} INFO mutum bench line {i:04d}: cliente sem conexão, protocolo {i}\n"
            )
    return path


def contenders(args: argparse.Namespace, work: Path) -> list[Contender]:
    copilot = str(VENV_BIN / "mutum-copilot")
    knowledge = ["--knowledge", str(args.knowledge)] if args.knowledge else []
    cold = {"MUTUM_COPILOT_NO_PACK_CACHE": "1", "MUTUM_COPILOT_NO_HOLIDAY_CACHE": "1"}
    out = [
        Contender(
            "mutum-copilot", [copilot, *knowledge], N1_MARKER, True, isolated_env(work / "warm")
        ),
        Contender(
            "mutum-copilot (cold)",
            [copilot, *knowledge],
            N1_MARKER,
            True,
            {**isolated_env(work / "cold"), **cold},
        ),
        Contender(
            "bare textual",
            [str(VENV_BIN / "python"), str(TOOLS / "bare_textual_app.py")],
            "READY",
        ),
    ]
    if not args.no_published:
        bins = install_published(args.apps_dir, list(PUBLISHED))
        log = small_log(work)
        out.append(Contender("toolong", [str(bins["toolong"] / "tl"), str(log)], "bench line 0199"))
        collection = work / "collection"
        collection.mkdir(exist_ok=True)
        out.append(
            Contender(
                "posting",
                [str(bins["posting"] / "posting"), "--collection", str(collection)],
                "Collection is empty.",
                env=isolated_env(work / "posting"),
            )
        )
    return out


def run_turns(
    tr: ModuleType, apps: list[Contender], size: tuple[int, int], turns: int, timeout: float
) -> None:
    width, height = size
    label = f"{width}x{height}"
    env = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
    tmux = tr.Tmux(f"mutum_bench_{os.getpid()}_{secrets.token_hex(3)}")
    keeper = tr.start_server(tmux, width, height, env)
    try:
        for turn in range(turns + 1):  # turn 0 warms caches and the OS page cache: discarded
            shift = turn % len(apps)
            for app in apps[shift:] + apps[:shift]:
                command = "exec " + " ".join(shlex.quote(a) for a in app.argv)
                regex = re.compile(app.marker) if app.regex else None
                try:
                    took = tr.one_run(
                        tmux,
                        command,
                        app.marker,
                        regex,
                        width,
                        height,
                        {**env, **app.env},
                        str(REPO),
                        timeout,
                        0.01,
                        3.0,
                        f"t{turn}",
                    )
                except tr.RunFailed as exc:
                    app.errors.append(f"{label} turn {turn}: {exc}")
                    print(f"  {app.name} {label}: FAILED {exc}", file=sys.stderr)
                    continue
                if turn:
                    app.samples.setdefault(label, []).append(took)
                print(f"  {label} turn {turn} {app.name}: {took:.3f} s", file=sys.stderr)
                time.sleep(0.2)
    finally:
        tmux.cmd("kill-session", "-t", f"={keeper}", check=False)
        tmux.cmd("kill-server", check=False)


def summarize(apps: list[Contender], sizes: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label in sizes:
        bare = apps[[a.name for a in apps].index("bare textual")].samples.get(label, [])
        floor = statistics.median(bare) if bare else None
        rows = {}
        for app in apps:
            samples = app.samples.get(label, [])
            if not samples:
                rows[app.name] = {"n": 0, "errors": app.errors}
                continue
            median = statistics.median(samples)
            rows[app.name] = {
                "n": len(samples),
                "median_s": median,
                "min_s": min(samples),
                "max_s": max(samples),
                "ratio_to_bare": median / floor if floor else None,
                "samples": samples,
            }
        out[label] = rows
    return out


def print_tables(results: dict[str, Any]) -> None:
    for label, rows in results.items():
        print(f"\nTime to first useful screen, {label} (seconds, from launch to marker on screen)")
        body = []
        for name, f in rows.items():
            if not f.get("n"):
                body.append([name, "-", "-", "-", "failed", "0"])
                continue
            ratio = f"{f['ratio_to_bare']:.2f}x" if f.get("ratio_to_bare") else "-"
            body.append(
                [
                    name,
                    f"{f['median_s']:.3f}",
                    f"{f['min_s']:.3f}",
                    f"{f['max_s']:.3f}",
                    ratio,
                    str(f["n"]),
                ]
            )
        print(table(body, ["app", "median", "min", "max", "vs bare", "n"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=9, help="measured turns per size")
    parser.add_argument("--sizes", default="120x40,80x24", help="terminal sizes, WxH,...")
    parser.add_argument("--no-published", action="store_true", help="skip toolong and posting")
    parser.add_argument("--apps-dir", type=Path, default=APPS_DIR, help="venvs of the apps")
    parser.add_argument("--knowledge", type=Path, help="open the copilot on another pack")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per launch")
    parser.add_argument("--tui-ready", type=Path, default=TOOLS / "tui_ready.py")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    tr = load_tui_ready(args.tui_ready)
    compile_bytecode()
    before = load_average()
    work = temp_root("startup")
    apps = contenders(args, work)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for label in sizes:
        print(f"{label}: {args.turns} turns of {len(apps)} apps", file=sys.stderr, flush=True)
        run_turns(tr, apps, tr.parse_size(label), args.turns, args.timeout)
    after = load_average()
    results = summarize(apps, sizes)
    print_tables(results)
    print(f"\n{describe_load(before, after)}")
    write_json(
        args.json,
        {
            "machine": machine(),
            "load_before": before,
            "load_after": after,
            "turns": args.turns,
            "commands": {a.name: a.argv for a in apps},
            "markers": {a.name: a.marker for a in apps},
            "sizes": results,
        },
    )
    failed = [e for a in apps for e in a.errors]
    return 1 if failed and not any(a.samples for a in apps) else 0


if __name__ == "__main__":
    sys.exit(main())
