"""The path of the call so far, in one line: newest last, cut from the left to fit."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from mutum_copilot.triage.replay import Step

PART_MAX = 40
SEPARATOR = " › "


def breadcrumb_text(flow_title: str, steps: Iterable[Step], width: int) -> Text:
    """Human steps with their answers; personal values (phones) shown as dots."""
    parts = [flow_title]
    for step in steps:
        if step.auto:
            continue
        answer = "•••" if step.personal else step.answer
        parts.append(f"{step.title}: {answer}" if answer else step.title)
    shown: list[str] = []
    used = 0
    for part in reversed(parts):
        part = part if len(part) <= PART_MAX else part[: PART_MAX - 1] + "…"
        if used + len(part) + len(SEPARATOR) > width and shown:
            shown.append("…")
            break
        shown.append(part)
        used += len(part) + len(SEPARATOR)
    return Text(SEPARATOR.join(reversed(shown)), "dim")
