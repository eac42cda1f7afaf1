"""The list of flows on the start screen: number keys for the first nine.

With more flows than number keys, the first eight keep their keys and the
ninth opens "Outros assuntos", a second list numbered from 1 again: every flow
stays one or two keys away.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the boot frame shows the menu without importing the pack's models
    from mutum_copilot.triage.models import Flow

MORE_FLOWS = "__more__"
FLOW_KEYS = 9


class MenuEntry(NamedTuple):
    flow_id: str
    title: str
    summary: str


def flow_menu(flows: Iterable[Flow], more: bool = False) -> list[MenuEntry]:
    """The entries shown, in the pack's order; ``more``: the second list."""
    ordered = sorted(flows, key=lambda f: (f.order, f.title))
    if len(ordered) <= FLOW_KEYS:
        return [MenuEntry(f.id, f.title, f.summary) for f in ordered]
    first, rest = ordered[: FLOW_KEYS - 1], ordered[FLOW_KEYS - 1 :]
    if more:
        return [MenuEntry(f.id, f.title, f.summary) for f in rest[:FLOW_KEYS]]
    others = ", ".join(f.title for f in rest)
    return [MenuEntry(f.id, f.title, f.summary) for f in first] + [
        MenuEntry(MORE_FLOWS, "Outros assuntos", others)
    ]
