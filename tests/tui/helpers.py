"""Shared pieces of the TUI tests: a frozen clock, an app factory, typing and reading."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from textual import events
from textual.keys import _character_to_key
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import Settings
from mutum_copilot.services import Services, build_services
from mutum_copilot.tui.app import CopilotApp
from mutum_copilot.tui.factory import build_app

#: The TUI tests play calls on a frozen fixture pack, not on the shipped pack's content.
FIXTURE_PACK = Path(__file__).resolve().parents[1] / "packs" / "fixture"
BRT = ZoneInfo("America/Sao_Paulo")
#: Tuesday 24/11/2026 23:10 in Brasília: N1 closed until 07:30 (Mato Grosso).
TUESDAY_NIGHT = dt.datetime(2026, 11, 24, 23, 10, tzinfo=BRT)

OPENING = [
    "Maria Souza",
    "529.982.247-25",
    "4821",
    "20261124-0001",
    1,
    "Sem internet desde as 20h.",
]


def services_for(tmp_path: Path, clock: FrozenClock, **settings: object) -> Services:
    return build_services(
        Settings(**settings),  # type: ignore[arg-type]
        knowledge=FIXTURE_PACK,
        clock=clock,
        history_path=tmp_path / "history.sqlite3",
        vault_path=tmp_path / "secrets.yaml",
    )


def app_for(tmp_path: Path, clock: FrozenClock | None = None, **settings: object) -> CopilotApp:
    clock = clock or FrozenClock(TUESDAY_NIGHT)
    return build_app(
        services_for(tmp_path, clock, **settings), cursor_blink=False, catch_errors=False
    )


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` as a fast typist does: every key sent at once, then one wait.

    ``pilot.press`` waits for the app to be idle after each key (~40 ms a key);
    a burst is also the harder case for the app, which must put each key where
    it belongs in the order typed (:mod:`mutum_copilot.tui.typeahead`).
    """
    for char in text:
        key = char if char.isalnum() else _character_to_key(char)
        pilot.app.post_message(events.Key(key, char))
    await pilot.pause()


async def play(pilot: Pilot[None], *answers: object) -> None:
    """Answer steps as an agent does: a number picks a choice, text is typed then Enter."""
    for answer in answers:
        if answer is None:
            await pilot.press("enter")
        elif isinstance(answer, int):
            await pilot.press(str(answer))
        else:
            await type_text(pilot, str(answer))
            await pilot.press("enter")
        await pilot.pause()


def screen_text(app: CopilotApp) -> str:
    """The terminal's lines as the agent sees them (the composed screen, as text)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


class Posted:
    """The notifications an app posted, recorded by ``run_test(message_hook=posted.hook)``."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.messages.append(str(message.notification.message))

    def __str__(self) -> str:
        return "\n".join(self.messages)
