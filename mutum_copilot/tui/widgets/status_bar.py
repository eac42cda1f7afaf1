"""The status bar: both clocks, N1's shift state with a countdown, and the call timer.

It ticks once a second from the injected clock. Nothing here computes a
schedule: the shift state comes from :class:`mutum_copilot.shift.ShiftClock`
(or, for the first frame of a start, from the boot record that clock wrote:
:mod:`mutum_copilot.boot_record`), so this module imports no pack model.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from mutum_copilot.shift_format import format_countdown, gmt_label
from mutum_copilot.shift_status import N1Source, ShiftStatus, closing_soon

__all__ = ["StatusBar", "format_elapsed", "gmt_label"]

STATE_STYLES = {
    "on_shift": "bold green",
    "lunch": "bold yellow",
    "closed": "bold red",
    "weekend": "bold red",
    "holiday": "bold magenta",
    "uncovered": "bold red",
}


def format_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class StatusBar(Static):
    """Two lines: clocks and call timer; then N1's state in words and colour."""

    DEFAULT_CSS = """
    StatusBar { height: 2; padding: 0 1; background: $panel; }
    StatusBar.-closing-soon { background: $warning 30%; }
    """

    call_started: reactive[datetime | None] = reactive(None)

    def __init__(
        self,
        shift_clock: N1Source,
        agent_zone: ZoneInfo,
        provider_zone: ZoneInfo,
        clock: Callable[[], datetime],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.shift_clock = shift_clock
        self.agent_zone = agent_zone
        self.provider_zone = provider_zone
        self.clock = clock
        self.last_status: ShiftStatus | None = None

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1, self.tick)

    def watch_call_started(self) -> None:
        self.tick()

    def tick(self) -> None:
        now = self.clock()
        status = self.shift_clock.n1_status(now)
        self.last_status = status
        self.set_class(closing_soon(status), "-closing-soon")
        self.update(self.status_text(now, status))

    def status_text(self, now: datetime, status: ShiftStatus) -> Text:
        agent = now.astimezone(self.agent_zone)
        provider = now.astimezone(self.provider_zone)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Você ", "dim")
        text.append(f"{agent:%H:%M:%S}", "bold")
        text.append(f" {gmt_label(agent)}", "dim")
        text.append("  │  ", "dim")
        text.append("Provedor ", "dim")
        text.append(f"{provider:%H:%M:%S}", "bold")
        text.append(f" {gmt_label(provider)}", "dim")
        if self.call_started is not None:
            elapsed = (now - self.call_started).total_seconds()
            text.append("  │  ", "dim")
            text.append("Chamada ", "dim")
            text.append(format_elapsed(elapsed), "bold cyan")
        text.append("\n")
        style = STATE_STYLES.get(status.state, "bold")
        text.append("N1 ", "bold")
        text.append("● ", style)
        text.append(status.label, style)
        if status.time_to_change is not None:
            text.append(f"  (em {format_countdown(status.time_to_change)})", "dim")
        if closing_soon(status):
            text.append("  fecha em breve!", "bold reverse yellow")
        return text
