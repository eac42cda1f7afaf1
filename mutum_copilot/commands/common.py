"""Helpers shared by the subcommands: which pack to load, and instants typed by a person."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, tzinfo
from pathlib import Path

from mutum_copilot.errors import InputError, PackError
from mutum_copilot.packs.model import Pack
from mutum_copilot.paths import bundled_pack_dir


def resolve_pack_dir(args: argparse.Namespace) -> Path:
    """``--knowledge`` if given, else the bundled pack."""
    knowledge = getattr(args, "knowledge", None)
    return Path(knowledge) if knowledge else bundled_pack_dir()


def load_pack_or_report(args: argparse.Namespace) -> Pack | None:
    """Load the pack; on problems print them as ``path:line: message`` and return None."""
    from mutum_copilot.packs.loader import load_pack

    try:
        return load_pack(resolve_pack_dir(args))
    except PackError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None


MAX_INSTANT_LENGTH = 64  # no ISO date-time is longer; refuse pasted novels early


def shown_input(text: str) -> str:
    """A bit of what the person typed, for an error message."""
    return text if len(text) <= 40 else text[:40] + "…"


def parse_typed_instant(text: str, zone: tzinfo, option: str, hint: str) -> datetime:
    """An ISO 8601 date or date-time typed after ``option``; naive ones are read in ``zone``.

    A date alone means local midnight. Anything unusable raises InputError with
    one line that names the option, echoes (a bit of) the input and gives ``hint``.
    """
    refusal = f"{option} {shown_input(text)!r} is not a date-time; {hint}"
    if len(text) > MAX_INSTANT_LENGTH or not text.strip():
        raise InputError(refusal)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(refusal) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
