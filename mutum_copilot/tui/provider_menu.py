"""The provider list a call starts with, when the seat serves several providers.

It is shown where the flow list is, with the same number keys: one key picks
the provider, and the flow list of that provider's pack follows. Each line
says N1's state at that provider (see :mod:`mutum_copilot.packs.choice`).
"""

from __future__ import annotations

import datetime as dt

from mutum_copilot.packs.catalog import Catalog
from mutum_copilot.packs.choice import provider_states
from mutum_copilot.safetext import clean_line
from mutum_copilot.tui.flow_menu import MenuEntry

#: The menu ids of providers start with this (flow ids never do: a flow id is a slug).
PROVIDER_PREFIX = "provider:"
HEADING = "Qual provedor atende esta chamada? Tecle o número."


def provider_menu(catalog: Catalog, now: dt.datetime) -> list[MenuEntry]:
    """One entry per configured provider: its name, and N1's state there now."""
    return [
        MenuEntry(
            PROVIDER_PREFIX + state.pack_id,
            clean_line(state.name),
            f"N1 {clean_line(state.status.label)}",
        )
        for state in provider_states(catalog, now)
    ]


def picked_provider(menu_id: str) -> str | None:
    """The pack id a provider entry picks; None for a flow entry."""
    return menu_id[len(PROVIDER_PREFIX) :] if menu_id.startswith(PROVIDER_PREFIX) else None
