"""The seat's side of the team sync: one worker over this seat's history, and its status line.

:func:`seat_sync` builds it from the config (None without ``team.url``, or
when the history is only in memory: nothing changes then). The app starts it
at start, makes the history wake it after every committed write
(``HistoryStore.on_saved``) and stops it at exit; the agent only ever sees
:meth:`SeatSync.status_line`, and :func:`status_change` says when a change
is worth one discreet notice (not every retry of an outage).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from mutum_copilot.config import TeamSettings
from mutum_copilot.team.connect import TeamTarget, TeamUnavailable, team_target
from mutum_copilot.team.history_source import HistorySource
from mutum_copilot.team.store import TeamStore
from mutum_copilot.team.sync import SyncStatus, SyncWorker
from mutum_copilot.vault import Vault


class SeatSync:
    """A :class:`~.sync.SyncWorker` reading ``history_path`` and pushing to ``target``."""

    def __init__(self, target: TeamTarget, history_path: Path, **worker: Any) -> None:
        self.target = target
        self.history_path = Path(history_path)
        self.queued = 0
        """What was waiting at the last failed attempt (for the status line)."""
        self._source: HistorySource | None = None
        self.worker = SyncWorker(self._open_source, self._open_store, **worker)

    # both factories run in the sync thread
    def _open_source(self) -> HistorySource:
        self._source = HistorySource(self.history_path)
        return self._source

    def _open_store(self) -> TeamStore:
        try:
            return TeamStore.open(self.target)
        except TeamUnavailable:
            if self._source is not None:
                # the history busy: the count waits for the next attempt
                with contextlib.suppress(Exception):
                    self.queued = self._source.count_pending()
            raise

    def start(self) -> SeatSync:
        self.worker.start()
        return self

    def wake(self) -> None:
        """Something was saved (returns at once)."""
        self.worker.wake()

    def stop(self, timeout: float = 5.0) -> bool:
        return self.worker.stop(timeout)

    @property
    def status(self) -> SyncStatus:
        return self.worker.status

    def status_line(self) -> str:
        """pt-BR, short: empty while all is well, else what the agent may want to know."""
        return status_text(self.status, self.queued)


def status_text(status: SyncStatus, queued: int = 0) -> str:
    if status.state == "offline":
        waiting = f", {queued} na fila" if queued else ""
        return f"equipe: sem conexão{waiting} (o atendimento segue normal)"
    if status.state == "refused":
        return "equipe: sincronização recusada (versão do copiloto); avise o supervisor"
    return ""


def status_change(previous: SyncStatus | None, current: SyncStatus) -> str:
    """The one notice a change of state deserves, or '' (retries of an outage say nothing)."""
    before = previous.state if previous is not None else "starting"
    if current.state == before or current.state in ("starting", "stopped"):
        return ""
    if current.state == "offline" and before != "offline":
        return "equipe: sem conexão com a base da equipe; as chamadas ficam na fila deste posto."
    if current.state == "refused":
        return status_text(current)
    if before == "offline" and current.state in ("idle", "syncing"):
        return "equipe: conexão de volta; enviando a fila."
    return ""


def seat_sync(
    settings: TeamSettings, vault: Vault | None, history_path: Path | None, **worker: Any
) -> SeatSync | None:
    """The seat's sync, not started; None without ``team.url`` or without a history file."""
    target = team_target(settings, vault)
    if target is None or history_path is None or str(history_path) == ":memory:":
        return None
    return SeatSync(target, history_path, **worker)
