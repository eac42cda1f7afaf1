"""What every benchmark script shares: the machine's description, percentiles, JSON, temp homes.

Figures on a shared machine are noisy, so every script reports medians and
p99 over many samples, takes its samples in interleaved turns (the thing
measured and its reference side by side), and records the load average
before and after (:func:`machine`), so a table can be read with its noise.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def percentiles(samples: list[float], scale: float = 1e3) -> dict[str, float]:
    """Median, p99, min and max of ``samples`` (seconds), in milliseconds by default."""
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median_ms": statistics.median(ordered) * scale,
        "p99_ms": p99 * scale,
        "min_ms": ordered[0] * scale,
        "max_ms": ordered[-1] * scale,
    }


def load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:  # pragma: no cover - not on Linux
        return (0.0, 0.0, 0.0)


def machine() -> dict[str, Any]:
    """CPU, cores, memory, Python and library versions, and the load right now."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name, dist in (
        ("textual", "textual"),
        ("rich", "rich"),
        ("rapidfuzz", "rapidfuzz"),
        ("holidays", "holidays"),
        ("yaml", "PyYAML"),
    ):
        try:
            versions[name] = version(dist)
        except PackageNotFoundError:
            versions[name] = "-"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "load_average": [round(x, 2) for x in load_average()],
    }


def describe_load(before: tuple[float, ...], after: tuple[float, ...]) -> str:
    cores = os.cpu_count() or 1
    return f"load average (1 min) {before[0]:.2f} before, {after[0]:.2f} after, on {cores} cores"


def compile_bytecode() -> None:
    """Write the package's ``.pyc`` files, as ``pip install .`` does.

    An editable install under ``PYTHONDONTWRITEBYTECODE=1`` (set on these
    machines) would otherwise compile every module from source on every start,
    while Textual, installed by pip, is read from its bytecode: an unfair
    ~100 ms against the copilot in every start-up figure.
    """
    import compileall

    compileall.compile_dir(REPO / "mutum_copilot", quiet=1)


def isolated_env(root: Path) -> dict[str, str]:
    """XDG folders under ``root``: no benchmark touches a real agent's data, config or cache."""
    env = {}
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        folder = root / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[f"XDG_{name}_HOME"] = str(folder)
    return env


def temp_root(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"mutum-bench-{prefix}-"))


def write_json(path: Path | None, data: dict[str, Any]) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def synthetic_pack(n: int, folder: Path | None = None) -> Path:
    """A synthetic pack folder of ``n`` entries (written once, reused by later runs)."""
    from bench.synthetic import generate, write_pack

    folder = folder or Path(tempfile.gettempdir()) / f"mutum-bench-pack-{n}"
    marker = folder / ".complete"
    if not marker.exists():
        write_pack(generate(n), folder)
        marker.write_text(str(n))
    return folder


def table(rows: list[list[Any]], header: list[str]) -> str:
    """A Markdown table (readable as plain text too): first column left, the rest right."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return (
            "| "
            + " | ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths))
        + "|"
    )
    return "\n".join([line(header), rule, *(line(r) for r in cells)])
