"""The background sync: a thread that pushes what the seat saved to the team store.

The seat never waits for it. It writes its SQLite history as always and calls
:meth:`SyncWorker.wake` (it only sets an event); the worker, in its own
thread, reads the pending batch from its :class:`~.records.SyncSource`, pushes
it (:meth:`~.store.TeamStore.push`, one transaction) and only then marks it
synced. Whatever happens in between (server stopped, network gone, process
killed) leaves the batch pending, and the next push is idempotent.

When the store cannot be reached the worker backs off (1 s, 2 s, 4 s... up to
a minute, with jitter so twenty seats do not knock at once) and catches up,
batch after batch, as soon as it is back. A store that refuses this copilot
(a newer schema) stops the sync with a message instead of retrying forever.
Without ``team.url`` no worker is ever created: SQLite alone, as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import psycopg

from mutum_copilot.logs import get_logger
from mutum_copilot.team.connect import TeamUnavailable
from mutum_copilot.team.records import SyncSource
from mutum_copilot.team.schema import TeamSchemaError
from mutum_copilot.team.store import TeamStore

State = Literal["starting", "idle", "syncing", "offline", "stopped", "refused"]
BATCH_SIZE = 200
#: How often an idle worker looks for work it was not woken for (a call saved elsewhere).
IDLE_POLL_S = 10.0
BACKOFF_MIN_S = 1.0
BACKOFF_MAX_S = 60.0

_log = get_logger("team")


@dataclass(frozen=True)
class SyncStatus:
    """What a status line shows: the state, what went, and the last problem."""

    state: State
    pushed_calls: int = 0
    pushed_searches: int = 0
    failures: int = 0
    """Failed attempts since the last success."""
    message: str = ""
    """pt-BR, for the agent or the supervisor: why it is offline or refused."""


class SyncWorker:
    """Push pending batches from ``open_source()`` to ``open_store()`` in a daemon thread.

    Both factories run inside the thread (a SQLite connection belongs to the
    thread that opened it). ``open_store`` raises TeamUnavailable when the
    store cannot be reached, TeamSchemaError when it refuses this copilot.
    """

    def __init__(
        self,
        open_source: Callable[[], SyncSource],
        open_store: Callable[[], TeamStore],
        *,
        batch_size: int = BATCH_SIZE,
        idle_poll_s: float = IDLE_POLL_S,
        backoff_min_s: float = BACKOFF_MIN_S,
        backoff_max_s: float = BACKOFF_MAX_S,
    ) -> None:
        self._open_source = open_source
        self._open_store = open_store
        self.batch_size = batch_size
        self.idle_poll_s = idle_poll_s
        self.backoff_min_s = backoff_min_s
        self.backoff_max_s = backoff_max_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._status = SyncStatus("starting")
        self._thread = threading.Thread(target=self._run, name="mutum-team-sync", daemon=True)
        self._random = random.Random()

    # --- the seat's side: none of these waits on the network ------------------------
    def start(self) -> SyncWorker:
        self._thread.start()
        return self

    def wake(self) -> None:
        """Something was saved: push it soon (returns at once)."""
        self._wake.set()

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the thread to end after its current push; True if it did within ``timeout``."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- the thread -----------------------------------------------------------------
    def _set(self, **changes: Any) -> None:
        with self._lock:
            self._status = dataclasses.replace(self._status, **changes)

    def _run(self) -> None:
        source: SyncSource | None = None
        store: TeamStore | None = None
        try:
            while not self._stop.is_set():
                try:
                    if source is None:
                        source = self._open_source()
                    if store is None:
                        store = self._open_store()
                    if not self._push_once(source, store):
                        self._set(state="idle", failures=0, message="")
                        self._wake.wait(self.idle_poll_s)
                        self._wake.clear()
                except TeamSchemaError as exc:
                    self._set(state="refused", message=str(exc))
                    _log.error("team sync refused: %s", exc)
                    return
                except (TeamUnavailable, psycopg.Error, OSError) as exc:
                    store = self._drop(store)
                    self._offline(exc)
                except Exception as exc:  # the local history: busy, damaged... retried, logged
                    if self.status.failures == 0:
                        _log.exception("team sync cannot read the local history")
                    self._offline(exc, "histórico local indisponível para a sincronização")
        finally:
            self._drop(store)
            close = getattr(source, "close", None)
            if callable(close):
                close()
            if self.status.state != "refused":
                self._set(state="stopped")

    def _push_once(self, source: SyncSource, store: TeamStore) -> bool:
        """Push one pending batch; False when there was nothing to push."""
        batch = source.pending(self.batch_size)
        if batch.empty:
            return False
        self._set(state="syncing")
        result = store.push(batch)
        source.mark_synced(batch)
        with self._lock:
            self._status = SyncStatus(
                "syncing",
                pushed_calls=self._status.pushed_calls + result.calls_written,
                pushed_searches=self._status.pushed_searches + result.searches_written,
            )
        return True

    def _offline(self, exc: BaseException, message: str = "") -> None:
        failures = self.status.failures + 1
        delay = min(self.backoff_max_s, self.backoff_min_s * 2 ** min(failures - 1, 16))
        delay *= 0.75 + self._random.random() / 2
        if not message:
            message = str(exc) if isinstance(exc, TeamUnavailable) else f"base da equipe: {exc}"
        self._set(state="offline", failures=failures, message=" ".join(message.split()))
        if failures == 1:
            _log.warning("team store unavailable, retrying: %s", message)
        self._stop.wait(delay)  # a wake does not shorten the backoff; a stop does

    @staticmethod
    def _drop(store: TeamStore | None) -> None:
        if store is not None:
            with contextlib.suppress(psycopg.Error):
                store.close()
