"""Which pack a call uses: the provider the agent picked, the seat's preset, or the only one.

A seat that serves one provider never picks: its only pack is every call's.
With several packs the agent picks the provider at the start of each call
(:func:`needs_pick`), unless the config presets one (``provider:``), and the
whole call then runs on that pack. A call found in the history is resumed with
its own pack only (:func:`entry_for_call`): never with another.

Plain Python, no Textual: the TUI shows what this decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mutum_copilot.packs.catalog import Catalog, PackEntry
from mutum_copilot.shift_format import gmt_label
from mutum_copilot.shift_status import ShiftStatus

#: The keys of the provider list, in the configured order (past nine: arrows and Enter).
PICK_KEYS = "123456789"


def needs_pick(catalog: Catalog) -> bool:
    """True when each call starts by picking its provider (several packs, no preset)."""
    return len(catalog) > 1 and not catalog.preset


def can_pick(catalog: Catalog) -> bool:
    """True when the agent may switch the provider of a new call (several packs)."""
    return len(catalog) > 1


def pick_keys(catalog: Catalog) -> list[tuple[str, PackEntry]]:
    """Each provider with the key that picks it, in the configured order."""
    return list(zip(PICK_KEYS, catalog.entries, strict=False))


def entry_for_call(catalog: Catalog, pack_id: str) -> PackEntry | None:
    """The pack a recorded call resumes with; None when that pack is not configured here.

    A row without a pack id (written before packs had ids) belongs to the default pack.
    """
    if not pack_id:
        return catalog.default
    return catalog.get(pack_id) if pack_id in catalog else None


@dataclass(frozen=True)
class ProviderState:
    """One provider at one instant: its name, N1's state, and its own clock's label."""

    pack_id: str
    name: str
    status: ShiftStatus
    #: The provider's wall clock at that instant, in its zone.
    local: dt.datetime

    @property
    def zone(self) -> str:
        """``GMT-4``: whose clock the provider's times are in."""
        return gmt_label(self.local)


def provider_states(catalog: Catalog, now: dt.datetime) -> list[ProviderState]:
    """Every configured provider's N1 state at ``now``, in the configured order."""
    return [
        ProviderState(
            entry.id,
            entry.name,
            entry.shift_clock.n1_status(now),
            now.astimezone(entry.pack.facts.provider.time_zone),
        )
        for entry in catalog
    ]
