"""Mutation check of the core, one set of modules at a time, and the score per module.

    python scripts/mutation.py shift            # mutate the set's modules; print the scores
    python scripts/mutation.py search texts     # several sets, one after the other
    python scripts/mutation.py --report         # the last scores of every set, no mutating
    python scripts/mutation.py --survivors shift  # and the diff of every surviving mutant
    python scripts/mutation.py --recheck shift    # only the last run's survivors, again

It drives mutmut 3 (``pip install -e '.[mutation]'``). A set, in pyproject's
``[tool.mutation.sets.NAME]``, is a few modules and the tests that exercise
them; the script runs mutmut with ``[tool.mutmut]``'s settings but only that
set's modules and tests, so a set takes minutes, not the hours of every test
for every mutant. For each mutant mutmut runs only the set's tests that reach
the mutated function. Results stay in ``mutants/`` (ignored by git); a set's
run measures its tests again and redoes all of its mutants; ``--recheck`` redoes
only the mutants the last run left alive (after new tests: minutes, not the set's
whole run), keeping the others' results.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"

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
_DETECTED = {"killed", "timeout"}  # a mutant that hangs the tests was noticed too


def settings() -> tuple[dict[str, Any], dict[str, dict[str, list[str]]]]:
    """``[tool.mutmut]`` and the sets of ``[tool.mutation.sets]``, checked against each other."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    mutmut, sets = tool["mutmut"], tool["mutation"]["sets"]
    for name, one in sets.items():
        stray = set(one["modules"]) - set(mutmut["only_mutate"])
        stray |= set(one["tests"]) - set(mutmut["pytest_add_cli_args_test_selection"])
        if stray:
            raise SystemExit(f"set {name}: not in [tool.mutmut]: {', '.join(sorted(stray))}")
    return mutmut, sets


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


def report(paths: list[str]) -> None:
    """One line per module: detected / total, and what is left."""
    print(f"{'module':36} {'killed':>6} {'total':>6} {'score':>6}  left")
    for path in paths:
        found = results(path)
        counts = Counter(found.values())
        killed = sum(counts[s] for s in _DETECTED)
        total = len(found)
        score = f"{100 * killed / total:.1f}%" if total else "not run"
        left = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in _DETECTED)
        print(f"{path.removeprefix('mutum_copilot/'):36} {killed:>6} {total:>6} {score:>6}  {left}")


def alive(paths: list[str]) -> list[str]:
    """The mutants of ``paths`` the last run did not detect."""
    return [m for p in paths for m, status in sorted(results(p).items()) if status not in _DETECTED]


def run_inside(name: str, max_children: int | None, recheck: bool = False) -> None:
    """In a child process: mutmut's own ``run``, on one set's modules and tests."""
    from mutmut.configuration import config

    one = settings()[1][name]
    chosen = config()  # read once from pyproject, then kept: narrowed here for this run
    chosen.only_mutate = list(one["modules"])
    chosen.pytest_add_cli_args_test_selection = list(one["tests"])
    from mutmut.__main__ import cli

    names = alive(one["modules"]) if recheck else [module_pattern(p) for p in one["modules"]]
    if not names:
        return
    args = ["run", *names]
    if max_children:
        args[1:1] = ["--max-children", str(max_children)]
    cli(args, standalone_mode=False)
    # The diffs now, while mutants/ holds this set's mutated copies (another set's run
    # copies these modules plain again).
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    with survivors_file(name).open("w", encoding="utf-8") as out:
        for path in one["modules"]:
            for mutant, status in sorted(results(path).items()):
                if status not in _DETECTED:
                    out.write(f"# {mutant}: {status}\n{get_diff_for_mutant(mutant, path=path)}\n\n")


def survivors_file(name: str) -> Path:
    return MUTANTS / f"survivors-{name}.txt"


def run_set(name: str, modules: list[str], max_children: int | None, recheck: bool = False) -> int:
    """Run one set in a child (its progress goes to a log) and return its exit code."""
    # Another set's run copies these modules plain: make mutmut mutate them again. That
    # rewrites their results, so a recheck puts back those of the mutants it does not redo.
    kept = {p: _codes(p) for p in modules} if recheck else {}
    for path in modules:
        (MUTANTS / path).unlink(missing_ok=True)
    # Which tests reach which function is measured again: edited tests reach other code.
    (MUTANTS / "mutmut-stats.json").unlink(missing_ok=True)
    MUTANTS.mkdir(exist_ok=True)
    log = MUTANTS / f"run-{name}.log"
    print(f"mutmut on {name} ({len(modules)} modules; progress in {log.relative_to(ROOT)})")
    command = [sys.executable, __file__, "--inside", name, *(["--recheck"] if recheck else [])]
    if max_children:
        command += ["--max-children", str(max_children)]
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run(command, cwd=ROOT, stdout=out, stderr=out).returncode
    for path, before in kept.items():
        now = _codes(path)
        redone = {m for m, c in before.items() if _STATUS.get(c, "") not in _DETECTED}
        merged = {m: (now.get(m) if m in redone else c) for m, c in before.items()}
        meta = MUTANTS / f"{path}.meta"
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["exit_code_by_key"] = merged
        meta.write_text(json.dumps(data), encoding="utf-8")
    return code


def _codes(path: str) -> dict[str, int | None]:
    """mutmut's raw exit code per mutant of one module's last run."""
    meta = MUTANTS / f"{path}.meta"
    if not meta.exists():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("sets", nargs="*", help="set names (pyproject's [tool.mutation.sets])")
    parser.add_argument("--report", action="store_true", help="print the last scores only")
    parser.add_argument("--survivors", action="store_true", help="also show what survived")
    parser.add_argument("--recheck", action="store_true", help="only the last survivors")
    parser.add_argument("--max-children", type=int, help="parallel workers (default: cores)")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if args.inside:
        run_inside(args.inside, args.max_children, args.recheck)
        return 0
    _, sets = settings()
    names = args.sets or list(sets)
    unknown = [n for n in names if n not in sets]
    if unknown:
        parser.error(f"unknown set {unknown[0]!r}; sets: {', '.join(sets)}")
    if not args.sets and not (args.report or args.survivors):
        parser.error(f"name the sets to run ({', '.join(sets)}), or --report")
    for name in names if not (args.report or args.survivors) else ():
        code = run_set(name, sets[name]["modules"], args.max_children, args.recheck)
        if code:
            print(f"mutmut failed on {name} (exit {code}); see mutants/run-{name}.log")
            return code
    if args.survivors:
        for name in names:
            found = survivors_file(name)
            print(found.read_text(encoding="utf-8") if found.exists() else f"{name}: not run")
    report([p for n in names for p in sets[n]["modules"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
