"""Load ``flows/*.yaml`` (placeholder until the triage engine lands)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mutum_copilot.errors import Problem


def load_flows(
    folder: Path, facts: Any, table: Any, shown: Callable[[Path], str]
) -> tuple[dict[str, Any], list[Problem]]:
    return {}, []
