"""Mutation check of the core, one set of modules at a time, and the score per module.

    python scripts/mutation.py shift            # mutate shift*, holiday_table; print the scores
    python scripts/mutation.py search packs     # several sets in one go
    python scripts/mutation.py --report [SET]   # the scores of the last run, no mutating
    python scripts/mutation.py --survivors SET  # and every surviving mutant's name

It drives mutmut 3 (``pip install -e '.[mutation]'``), configured in pyproject's
``[tool.mutmut]``: which modules may be mutated (``only_mutate``) and which
tests run (``pytest_add_cli_args_test_selection``; for each mutant, mutmut runs
only the selected tests that reach the mutated function). mutmut copies the
tree into ``mutants/`` (ignored by git) and keeps its results there, so a
second run only redoes what changed. ``mutmut show NAME`` prints a mutant's diff.

A new set: add its modules to ``only_mutate``, its tests to the selection and
a line to :data:`SETS`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"

#: Module sets, each a few minutes on a 2-core machine.
SETS: dict[str, tuple[str, ...]] = {
    "shift": (
        "mutum_copilot/shift.py",
        "mutum_copilot/shift_format.py",
        "mutum_copilot/holiday_table.py",
    ),
    "search": (
        "mutum_copilot/search.py",
        "mutum_copilot/search_answer.py",
        "mutum_copilot/search_terms.py",
        "mutum_copilot/search_heads.py",
        "mutum_copilot/search_hits.py",
        "mutum_copilot/textnorm.py",
        "mutum_copilot/bitscore.py",
    ),
    "texts": ("mutum_copilot/knowledge/facts.py", "mutum_copilot/triage/render.py"),
    "packs": ("mutum_copilot/packs/review.py", "mutum_copilot/packs/diff.py"),
}

#: mutmut's exit codes per mutant (mutmut/stats.py), folded into what a score needs.
_STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    -24: "timeout",
    24: "timeout",
    152: "timeout",
    255: "timeout",
    37: "type check",
}


def module_pattern(path: str) -> str:
    """Its mutants' glob: ``mutum_copilot/shift.py`` -> ``mutum_copilot.shift.*``."""
    return path.removesuffix(".py").replace("/", ".") + ".*"


def results(path: str) -> dict[str, str]:
    """``{mutant name: status}`` of one module's last run (empty before any run)."""
    meta = MUTANTS / f"{path}.meta"
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {
        name: "not checked" if code is None else _STATUS.get(code, "suspicious")
        for name, code in codes.items()
    }


def report(paths: list[str], *, survivors: bool) -> None:
    """One line per module: killed (timeouts count: the tests noticed) / total, and the rest."""
    print(f"{'module':40} {'killed':>7} {'total':>6} {'score':>6}  left")
    for path in paths:
        found = results(path)
        counts = Counter(found.values())
        killed = counts["killed"] + counts["timeout"]
        total = len(found)
        score = f"{100 * killed / total:.0f}%" if total else "-"
        left = ", ".join(
            f"{n} {s}" for s, n in sorted(counts.items()) if s not in {"killed", "timeout"}
        )
        print(f"{path:40} {killed:>7} {total:>6} {score:>6}  {left}")
        if survivors:
            for name, status in sorted(found.items()):
                if status not in {"killed", "timeout"}:
                    print(f"    {status:12} {name}")


def configured() -> set[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(data["tool"]["mutmut"]["only_mutate"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("sets", nargs="*", help=f"one or more of: {', '.join(SETS)}, all")
    parser.add_argument("--report", action="store_true", help="print the last scores only")
    parser.add_argument("--survivors", action="store_true", help="also list what survived")
    parser.add_argument("--max-children", type=int, help="parallel workers (default: cores)")
    args = parser.parse_args(argv)
    names = list(SETS) if not args.sets or "all" in args.sets else args.sets
    unknown = [n for n in names if n not in SETS]
    if unknown:
        parser.error(f"unknown set {unknown[0]!r}; sets: {', '.join(SETS)}")
    paths = [p for n in names for p in SETS[n]]
    missing = sorted(set(paths) - configured())
    if missing:
        parser.error(f"not in [tool.mutmut] only_mutate: {', '.join(missing)}")
    if not args.report and not args.survivors:
        command = [sys.executable, "-m", "mutmut", "run"]
        if args.max_children:
            command += ["--max-children", str(args.max_children)]
        command += [module_pattern(p) for p in paths]
        MUTANTS.mkdir(exist_ok=True)
        log = MUTANTS / f"run-{'-'.join(names)}.log"
        print(f"mutmut run on {', '.join(names)} (progress in {log.relative_to(ROOT)})")
        with log.open("w", encoding="utf-8") as out:
            done = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        if done.returncode:
            print(f"mutmut failed (exit {done.returncode}); see {log}", file=sys.stderr)
            return done.returncode
    report(paths, survivors=args.survivors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
