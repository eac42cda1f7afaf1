"""The status bar of a seat that serves several providers.

During a call it is the plain status bar on the call's provider (its N1 clock),
with the provider's name after N1's state. With no call open (no subject
started yet), it shows a compact line per provider instead: name, its clock and zone, N1's state
and next change, so the agent sees at a glance who is on shift where.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text

from mutum_copilot.packs.catalog import Catalog, PackEntry
from mutum_copilot.packs.choice import ProviderState, provider_states
from mutum_copilot.safetext import clean_line
from mutum_copilot.shift_format import gmt_label
from mutum_copilot.shift_status import ShiftStatus
from mutum_copilot.tui.widgets.status_bar import STATE_STYLES, StatusBar

#: Names longer than this are cut in the overview, so every line fits 80 columns.
NAME_WIDTH = 16


def provider_line(state: ProviderState) -> Text:
    """``Rio Negro Net    22:10 GMT-4  N1 ● fechado, volta amanhã às 08:00 (GMT-4)``."""
    name = clean_line(state.name)
    if len(name) > NAME_WIDTH:
        name = name[: NAME_WIDTH - 1] + "…"
    style = STATE_STYLES.get(state.status.state, "bold")
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{name:<{NAME_WIDTH}}", "bold")
    text.append(f" {state.local:%H:%M} ", "")
    text.append(state.zone, "dim")
    text.append("  N1 ", "bold")
    text.append("● ", style)
    text.append(clean_line(state.status.label), style)
    return text


class ProviderStatusBar(StatusBar):
    """:class:`StatusBar` that knows every provider of the seat (see the module doc)."""

    def __init__(
        self,
        catalog: Catalog,
        entry: PackEntry,
        clock: Callable[[], datetime],
        *,
        id: str | None = None,
    ) -> None:
        facts = entry.pack.facts
        super().__init__(
            entry.shift_clock,
            facts.call_center.time_zone,
            facts.provider.time_zone,
            clock,
            id=id,
        )
        self.catalog = catalog
        #: True while no call is open: one line per provider.
        self.overview = False
        #: The call's provider, named after N1's state when the seat serves several.
        self.provider_name = entry.name

    def follow(self, entry: PackEntry, *, overview: bool) -> None:
        """From now on: ``entry``'s clocks, or (``overview``) every provider's line."""
        facts = entry.pack.facts
        self.shift_clock = entry.shift_clock
        self.agent_zone = facts.call_center.time_zone
        self.provider_zone = facts.provider.time_zone
        self.provider_name = entry.name
        self.overview = overview
        self.tick()

    def set_overview(self, overview: bool) -> None:
        """Switch between every provider's line and the call's provider alone."""
        if overview != self.overview:
            self.overview = overview
            self.tick()

    def tick(self) -> None:
        super().tick()
        if self.overview:
            self.remove_class("-closing-soon")  # each line says its own state

    def status_text(self, now: datetime, status: ShiftStatus) -> Text:
        if not self.overview:
            self.styles.height = 2
            text = super().status_text(now, status)
            if self.provider_name and len(self.catalog) > 1:
                text.append(f"  · {clean_line(self.provider_name)}", "bold")
            return text
        states = provider_states(self.catalog, now)
        self.styles.height = 1 + len(states)
        agent = now.astimezone(self.agent_zone)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Você ", "dim")
        text.append(f"{agent:%H:%M:%S}", "bold")
        text.append(f" {gmt_label(agent)}", "dim")
        text.append("  │  ", "dim")
        text.append("Provedor: escolha na lista", "dim")
        for state in states:
            text.append("\n")
            text.append_text(provider_line(state))
        return text
