"""The nearest valid name for a mistyped one, as every error message offers it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(word: str, candidates: Iterable[str]) -> str:
    """' (você quis dizer "x"?)' for the nearest candidate, or ''."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f' (você quis dizer "{matches[0]}"?)' if matches else ""
