"""The FAQ searches an agent runs, kept in the seat's history for the supervisors' FAQ gaps.

The FAQ pane searches as the agent types; a search here is what the agent
*meant*, not every keystroke. :meth:`SearchLog.typed` is called on every
change and only remembers the latest query; the search is written when it
settles: the agent opens an entry (:meth:`SearchLog.opened`), starts another
search (a query that is not the same one being typed or corrected, or one
typed after a pause of :data:`SETTLE_S`), or leaves (:meth:`SearchLog.flush`:
pane closed, new call, app exit). An entry opened later updates the same
search (its revision goes up, the sync sends it again). What is written is
scrubbed of CPFs, CNPJs and phones (:mod:`mutum_copilot.history_sync`), and
every search has a global uid. Without a history nothing is kept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from mutum_copilot.history import HistoryError, HistoryStore
from mutum_copilot.history_sync import SearchRecord
from mutum_copilot.logs import get_logger
from mutum_copilot.textnorm import fold

#: A change typed this long after the previous one starts a new search.
SETTLE_S = 4.0
#: A query shorter than this (folded, without spaces) is not worth a record.
MIN_CHARS = 3

_log = get_logger("search_log")


@dataclass(frozen=True)
class SearchContext:
    """Who searches, on which pack, in which call (None outside one)."""

    agent: str = ""
    pack_id: str = ""
    pack_version: str = ""
    call_uid: str | None = None


def _same_search(before: str, after: str) -> bool:
    """``after`` is ``before`` being typed on or corrected (one is a prefix of the other)."""
    a, b = fold(before).strip(), fold(after).strip()
    return a.startswith(b) or b.startswith(a)


class SearchLog:
    """Debounces the pane's searches and writes the settled ones to the history."""

    def __init__(
        self,
        history: HistoryStore | None,
        clock: Callable[[], dt.datetime],
        context: Callable[[], SearchContext],
    ) -> None:
        self.history = history
        self.clock = clock
        self.context = context
        self._current: SearchRecord | None = None
        """The search being typed (not written yet) or the last one written."""
        self._written = False
        self._last_change: dt.datetime | None = None

    # --- the pane's two calls ---------------------------------------------------------
    def typed(self, query: str, shown: Sequence[str], answered: bool) -> None:
        """The query in the box changed to ``query``, showing ``shown`` (entry ids, best first)."""
        now = self.clock()
        query = " ".join(query.split())
        current = self._current
        last = self._last_change
        paused = last is not None and (now - last).total_seconds() > SETTLE_S
        self._last_change = now
        if current is not None and (
            self._written or paused or not _same_search(current.query, query)
        ):
            self.flush()
            current = self._current = None
        if len(fold(query).replace(" ", "")) < MIN_CHARS:
            return  # a box emptied to type again keeps what was being typed
        context = self.context()
        self._current = SearchRecord(
            uid=current.uid if current is not None else uuid.uuid4().hex,
            at=now,
            query=query,
            shown=tuple(shown),
            answered=answered,
            agent=context.agent,
            pack_id=context.pack_id,
            pack_version=context.pack_version,
            call_uid=context.call_uid or "",
        )
        self._written = False

    def opened(self, entry_id: str) -> None:
        """The agent opened ``entry_id`` from the current search's results: written now."""
        current = self._current
        if current is None:
            return
        if entry_id not in current.opened:
            self._current = replace(current, opened=(*current.opened, entry_id))
        self._write()

    def flush(self) -> None:
        """Write the search being typed, if any (the pane closed, a new call, exit)."""
        if self._current is not None and not self._written:
            self._write()

    # --- writing ----------------------------------------------------------------------
    def _write(self) -> None:
        if self._current is None:
            return
        self._written = True
        if self.history is None:
            return
        try:
            self.history.store_search(self._current)
        except HistoryError as exc:  # a busy disk loses a statistic, never a keystroke
            _log.warning("FAQ search not recorded: %s", exc)


def search_log_for(
    history: HistoryStore | None,
    clock: Callable[[], dt.datetime],
    agent: str,
    pack: Callable[[], tuple[str, str]],
    call_uid: Callable[[], str | None],
) -> SearchLog:
    """A log whose context is read at each search: the pack and the call change under it."""

    def context() -> SearchContext:
        pack_id, pack_version = pack()
        return SearchContext(agent, pack_id, pack_version, call_uid())

    return SearchLog(history, clock, context)
