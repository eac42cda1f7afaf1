"""Markdown tables of one ``python -m bench --json DIR`` run, for BENCHMARKS.md.

.venv/bin/python -m bench --json bench-results
.venv/bin/python -m bench.report bench-results > /tmp/tables.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.common import table


def _load(folder: Path, name: str) -> dict[str, Any] | None:
    path = folder / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _load_line(data: dict[str, Any]) -> str:
    before, after = data.get("load_before"), data.get("load_after")
    if not before or not after:
        return ""
    return f"\n_Load average (1 min) {before[0]:.2f} before, {after[0]:.2f} after._\n"


def machine(folder: Path) -> str:
    info = _load(folder, "machine") or {}
    versions = info.get("versions", {})
    return (
        f"- CPU: {info.get('cpu')}, {info.get('cores')} cores, {info.get('memory')} RAM; "
        f"{info.get('os')}\n"
        f"- Python {info.get('python')}; Textual {versions.get('textual')}, rich "
        f"{versions.get('rich')}, rapidfuzz {versions.get('rapidfuzz')}, PyYAML "
        f"{versions.get('yaml')}\n"
        f"- load average at the start: {info.get('load_average')}\n"
    )


def startup(data: dict[str, Any]) -> str:
    out = []
    for size, rows in data["sizes"].items():
        body = []
        for name, f in rows.items():
            if not f.get("n"):
                body.append([name, "failed", "", "", "", "0"])
                continue
            body.append(
                [
                    name,
                    f"{f['median_s']:.3f}",
                    f"{f['min_s']:.3f}",
                    f"{f['max_s']:.3f}",
                    f"{f['ratio_to_bare']:.2f}x",
                    str(f["n"]),
                ]
            )
        out.append(f"**{size}** (seconds from launch to the marker on screen)\n")
        out.append(table(body, ["app", "median", "min", "max", "vs bare", "n"]) + "\n")
    return "\n".join(out) + _load_line(data)


def search(data: dict[str, Any]) -> str:
    body = []
    for label, row in data["sizes"].items():
        for name, f in row["methods"].items():
            body.append(
                [
                    f"{label} {name}",
                    f"{f['median_ms']:.3f}",
                    f"{f['p99_ms']:.3f}",
                    str(f["n"]),
                    f"{f['build_s']:.2f}",
                    f"{f['memory_mb']:.1f}" if "memory_mb" in f else "",
                ]
            )
            if "typing" in f:
                t = f["typing"]
                body.append(
                    [
                        f"{label} {name}, as typed",
                        f"{t['median_ms']:.3f}",
                        f"{t['p99_ms']:.3f}",
                        str(t["n"]),
                        "",
                        "",
                    ]
                )
    out = table(body, ["pack and method", "median ms", "p99 ms", "queries", "build s", "MB"])
    quality = [
        [name, f"{q['hit@1']:.3f}", f"{q['hit@3']:.3f}", str(q["n"])]
        for name, q in data.get("quality", {}).items()
    ]
    out += "\n\nQuality on the hand-written query set (shipped pack):\n\n"
    out += table(quality, ["method", "hit@1", "hit@3", "queries"])
    return out + "\n"


KEYSTROKE_HEADER = [
    "scenario (ms)",
    "floor med",
    "total med",
    "above floor med",
    "above floor p99",
    "key→paint med",
    "key→paint p99",
    "CPU above floor med",
    "CPU above floor p99",
    "n",
]


def keystroke_table(scenarios: dict[str, Any]) -> str:
    """The keystroke figures of a run, one row per scenario (used live and from JSON)."""
    body = []
    for name, f in scenarios.items():
        body.append(
            [
                name,
                f"{f['floor']['median_ms']:.1f}",
                f"{f['total']['median_ms']:.1f}",
                f"{f['above_floor']['median_ms']:.1f}",
                f"{f['above_floor']['p99_ms']:.1f}",
                f"{f['key_to_paint'].get('median_ms', float('nan')):.1f}",
                f"{f['key_to_paint'].get('p99_ms', float('nan')):.1f}",
                f"{f['cpu_above_floor']['median_ms']:.1f}",
                f"{f['cpu_above_floor']['p99_ms']:.1f}",
                str(f["total"]["n"]),
            ]
        )
    return table(body, KEYSTROKE_HEADER)


def keystroke(data: dict[str, Any]) -> str:
    return keystroke_table(data["scenarios"]) + "\n" + _load_line(data)


def memory(data: dict[str, Any]) -> str:
    rows = []
    for name, f in data["phases"].items():
        work = f"{f['count']} in {f['seconds']} s" if "count" in f else ""
        rows.append([name, f"{f['rss_mb']:.1f}", f"{f['peak_mb']:.1f}", work])
    out = table(rows, ["when", "RSS MB", "peak RSS MB", "work"])
    shift = data["shift"]
    rows = [
        [f"{s['hour']:.1f} h", f"{s['rss_mb']:.1f}", f"{s['peak_mb']:.1f}", str(s["calls"])]
        for s in shift["samples"]
    ]
    out += (
        f"\n\nSimulated shift: {shift['simulated_hours']} h = {shift['ticks']:,} status-bar "
        f"ticks, {shift['calls']} calls finished ({shift['history_rows']} rows in the "
        f"history), {shift['wall_seconds']} s of wall time.\n\n"
    )
    out += table(rows, ["simulated clock", "RSS MB", "peak RSS MB", "calls"])
    out += (
        f"\n\nGrowth from the end of the first hour to the end: **{shift['growth_mb']} MB** "
        f"(samples spread {shift['spread_mb']} MB); over the second half of the shift: "
        f"**{shift.get('second_half_growth_mb')} MB**; peak {shift['peak_mb']} MB.\n"
    )
    return out + _load_line(data)


def imports(data: dict[str, Any]) -> str:
    rows = [
        [
            name,
            f"{f['import_ms']:.0f}",
            str(f["modules"]),
            "yes" if f["textual"] else "no",
            "yes" if f["rich"] else "no",
            ", ".join(f"{c['module']} {c['cumulative_ms']:.0f}" for c in f["costliest"][:3]),
        ]
        for name, f in data["importtime"].items()
    ]
    out = table(rows, ["command", "import ms", "modules", "textual", "rich", "costliest (ms)"])
    walls = data["wall"]
    ref = walls.get('python -c "import textual.app"', {})

    def ratio(f: dict[str, Any], key: str) -> str:
        return f"{f[key] / ref[key]:.2f}x" if key in f and ref.get(key) else ""

    rows = [
        [
            name,
            f"{f['median_s']:.3f}",
            f"{f['min_s']:.3f}",
            f"{f['max_s']:.3f}",
            ratio(f, "median_s"),
            f"{f['cpu_median_s']:.3f}" if "cpu_median_s" in f else "",
            ratio(f, "cpu_median_s"),
            str(f["n"]),
        ]
        for name, f in walls.items()
    ]
    out += "\n\nWhole process, spawn to exit (seconds; CPU = user + system):\n\n"
    heads = ["process", "median", "min", "max", "vs textual", "CPU s", "CPU vs textual", "n"]
    out += table(rows, heads)
    return out + "\n" + _load_line(data)


PARTS = {
    "startup": ("1. Time to first useful screen", startup),
    "search": ("2. Search latency", search),
    "keystroke": ("3. Keystroke to screen", keystroke),
    "memory": ("4. Memory and an eight-hour shift", memory),
    "imports": ("5. Cold import of `ask` and `shift`", imports),
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.report DIR", file=sys.stderr)
        return 2
    folder = Path(args[0])
    print("### Machine\n")
    print(machine(folder))
    for name, (title, render) in PARTS.items():
        data = _load(folder, name)
        print(f"### {title}\n")
        print(render(data) if data else "_(not run)_\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
