"""``mutum-copilot check [PACK_DIR]``: validate a knowledge pack and report every problem.

A control character in any text of the pack (ESC, BEL, C1, bidi overrides, raw or
written as a YAML escape) is one of the problems, with its file and line (see
:mod:`mutum_copilot.yamlkit.yamlio`); the report itself is printed clean.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mutum_copilot.commands.common import resolve_pack_dir
from mutum_copilot.errors import PackError
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.safetext import clean_line


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate a knowledge pack",
        description="Validate a knowledge pack: exit 0 when valid, 2 with every problem when not.",
    )
    parser.add_argument(
        "pack_dir", nargs="?", type=Path, help="pack folder (default: the configured one)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    pack_dir = args.pack_dir or resolve_pack_dir(args)
    try:
        pack = load_pack(pack_dir)
    except PackError as exc:
        for problem in exc.problems:
            print(clean_line(str(problem)), file=sys.stderr)  # a key may carry an escape
        count = len(exc.problems)
        print(f"{pack_dir}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 2
    flows = len(pack.flows)
    print(
        f"{pack_dir}: ok: {pack.meta.name}, {len(pack.faq)} FAQ entries, "
        f"{flows} flow{'s' if flows != 1 else ''}, {len(pack.synonyms)} synonym groups"
    )
    return 0
