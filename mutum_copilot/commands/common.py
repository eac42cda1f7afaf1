"""Helpers shared by the subcommands: which pack to load, and loading it with clean errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mutum_copilot.errors import PackError
from mutum_copilot.knowledge.models import Pack
from mutum_copilot.paths import bundled_pack_dir


def resolve_pack_dir(args: argparse.Namespace) -> Path:
    """``--knowledge`` if given, else the bundled pack."""
    knowledge = getattr(args, "knowledge", None)
    return Path(knowledge) if knowledge else bundled_pack_dir()


def load_pack_or_report(args: argparse.Namespace) -> Pack | None:
    """Load the pack; on problems print them as ``path:line: message`` and return None."""
    from mutum_copilot.knowledge.loader import load_pack

    try:
        return load_pack(resolve_pack_dir(args))
    except PackError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None
