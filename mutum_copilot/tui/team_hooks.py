"""The TUI's side of the team store (issue #12), kept out of the shared app and screen files.

- :func:`screen_search_log`: the FAQ pane's search log for the main screen.
- :class:`TeamLink`: the seat's sync when ``team.url`` is set: started with the
  app, woken by every save, stopped at exit; one discreet pt-BR notice when the
  store goes away or comes back, never one per retry. Without ``team.url`` it
  does nothing at all (not even import the PostgreSQL driver).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mutum_copilot.logs import get_logger

if TYPE_CHECKING:
    from textual.app import App

    from mutum_copilot.search_log import SearchLog
    from mutum_copilot.services import Services
    from mutum_copilot.team.seat import SeatSync
    from mutum_copilot.team.sync import SyncStatus
    from mutum_copilot.tui.screens.main import MainScreen

STATUS_POLL_S = 2.0
_log = get_logger("team")


def screen_search_log(screen: MainScreen) -> SearchLog:
    from mutum_copilot.search_log import search_log_for  # with the FAQ pane, after the frame

    services = screen.services
    return search_log_for(
        services.history,
        services.clock,
        services.settings.agent_name,
        lambda: (screen.call.pack_id, screen.call.pack_version),
        lambda: screen.call.uid if screen.call.active else None,
    )


class TeamLink:
    """The app's handle on the seat's sync (``sync`` None: no team store configured)."""

    def __init__(self, sync: SeatSync | None) -> None:
        self.sync = sync
        self._last: SyncStatus | None = None

    @classmethod
    def start(cls, app: App[Any], services: Services) -> TeamLink:
        history = services.history
        if not services.settings.team.url or history is None or history.in_memory:
            return cls(None)
        from mutum_copilot.errors import MutumError
        from mutum_copilot.team.seat import seat_sync

        try:
            sync = seat_sync(services.settings.team, services.vault, history.path)
        except MutumError as exc:
            app.notify(f"equipe: configuração recusada ({exc})", severity="warning", timeout=10)
            return cls(None)
        if sync is None:
            return cls(None)
        history.on_saved = sync.wake
        link = cls(sync.start())
        app.set_interval(STATUS_POLL_S, lambda: link.poll(app))
        return link

    def poll(self, app: App[Any]) -> None:
        """Tell the agent once when the store goes away or comes back."""
        if self.sync is None:
            return
        from mutum_copilot.team.seat import status_change

        status = self.sync.status
        notice = status_change(self._last, status)
        self._last = status
        if notice and status.state == "offline":
            notice = self.sync.status_line()  # with the queue's length
        if notice:
            if "sem conexão" in notice:
                app.notify(notice, severity="warning", timeout=10)
            else:
                app.notify(notice, timeout=10)

    def status_line(self) -> str:
        return self.sync.status_line() if self.sync is not None else ""

    def stop(self) -> None:
        if self.sync is not None and not self.sync.stop():
            _log.warning("team sync did not stop in time; what is pending goes next start")


def open_supervisor(app: App[Any], services: Services) -> None:
    """F6: the supervisor screen (imported on first use: the start stays as fast)."""
    from mutum_copilot.tui.screens.supervisor import SupervisorScreen

    if not isinstance(app.screen, SupervisorScreen):
        app.push_screen(SupervisorScreen(services))
