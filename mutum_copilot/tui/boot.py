"""A start's first frame drawn from the boot record, while the real screen is built.

:mod:`mutum_copilot.boot_record` says why and when. Here is the screen that
draws it: the same status bar (its N1 state read from the record's timeline),
the same triage pane with the same flow list, under the same CSS, so the
main screen that replaces it a moment later paints the same frame. It
answers no key: the app holds every key typed meanwhile and hands them, in
order, to the main screen once it is mounted (:meth:`CopilotApp.on_event`).

This module imports Textual and the few widgets of that frame, nothing of
the pack's models: what a boot start pays for before its first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen

from mutum_copilot.boot_record import BootRecord, FirstFrame
from mutum_copilot.tui.flow_menu import MenuEntry
from mutum_copilot.tui.layout import CALL_SCREEN_BREAKPOINTS
from mutum_copilot.tui.widgets.status_bar import StatusBar
from mutum_copilot.tui.widgets.triage_pane import TriagePane

if TYPE_CHECKING:
    from mutum_copilot.services import Services
    from mutum_copilot.tui.screens.main import MainScreen


@dataclass(frozen=True)
class RecordPlace:
    """Where a start's boot record lives: its config file and ``--knowledge`` option."""

    config: Path
    knowledge: str | None


@dataclass(frozen=True)
class BootStart:
    """A start drawn from ``record``; ``build`` then makes the services, or the problems."""

    record: BootRecord
    clock: Callable[[], datetime]
    build: Callable[[], Services | list[str]]


class BootScreen(Screen[None]):
    """The main screen's first frame, from the record (see the module doc)."""

    HORIZONTAL_BREAKPOINTS = CALL_SCREEN_BREAKPOINTS

    def __init__(self, record: BootRecord, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.record = record
        self.clock = clock

    def compose(self) -> ComposeResult:
        record = self.record
        yield StatusBar(record, record.agent_zone, record.provider_zone, self.clock, id="status")
        with Horizontal(id="body"):
            yield TriagePane(id="triage")

    def on_mount(self) -> None:
        entries = [MenuEntry(*line) for line in self.record.flows]
        self.query_one(TriagePane).show_flows(entries, self.record.heading)


def first_frame(screen: MainScreen, theme: str) -> FirstFrame | None:
    """What ``screen`` shows first, for the next start; None if a record cannot show it.

    A record draws one provider's idle flow list: a seat with several providers
    starts with every provider's line (their own clocks), which it does not keep.
    """
    services = screen.services
    if len(services.catalog) != 1 or not screen.provider_picked or screen.call.active:
        return None
    entry = screen.entry
    facts = entry.pack.facts
    return FirstFrame(
        roots=(str(entry.pack.root),),  # as given: the record's key resolves it again
        theme=theme,
        heading=screen.flow_heading(),
        flows=tuple((e.flow_id, e.title, e.summary) for e in screen.flow_entries()),
        agent_zone=facts.call_center.time_zone,
        provider_zone=facts.provider.time_zone,
        schedule_zone=entry.shift_clock.n1.zone,
        status_at=entry.shift_clock.n1_status,
    )
