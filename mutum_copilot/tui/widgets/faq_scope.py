"""What the FAQ pane searches: the call's pack, or every pack while no provider is picked.

With one pack this is the pane as it always was (that pack's index, no
labels). With several, a search without a call covers every pack
(:meth:`mutum_copilot.packs.catalog.Catalog.find`) and each hit is labelled
with its provider; within a call, only the call's pack. Each entry also says
when it was last verified, and whether its review is overdue
(:mod:`mutum_copilot.packs.review`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.packs.catalog import Catalog, PackEntry
from mutum_copilot.packs.review import due_on, pack_today
from mutum_copilot.search import SearchHit, SearchResult
from mutum_copilot.tui.widgets.entry_view import OVERDUE_MARK
from mutum_copilot.vault import Vault

__all__ = ["OVERDUE_MARK", "FaqScope", "ScopedHits"]


@dataclass(frozen=True)
class ScopedHits:
    """One search's result, each hit with its option id and its pack."""

    result: SearchResult
    option_ids: tuple[str, ...]
    packs: tuple[PackEntry, ...]


class FaqScope:
    """The packs a search covers now, and the pack, vault and review state of each entry."""

    def __init__(
        self,
        catalog: Catalog,
        vault_for: Callable[[str], Vault],
        clock: Callable[[], dt.datetime],
        pack_id: str | None = None,
    ) -> None:
        self.catalog = catalog
        self.vault_for = vault_for
        self.clock = clock
        #: The call's pack; None: every pack (no provider picked yet).
        self.pack_id = pack_id if pack_id is not None or len(catalog) > 1 else catalog.default_id

    @property
    def labelled(self) -> bool:
        """True when hits come from several packs and each names its provider."""
        return self.pack_id is None and len(self.catalog) > 1

    @property
    def home(self) -> PackEntry:
        """The call's pack (else the default): where an entry opened by id is looked up."""
        return self.catalog.get(self.pack_id) if self.pack_id else self.catalog.default

    def find(self, query: str, limit: int) -> ScopedHits:
        if not self.labelled:
            entry = self.home
            result = entry.search.find(query, limit=limit)
            return ScopedHits(result, tuple(h.id for h in result.hits), (entry,) * len(result.hits))
        found = self.catalog.find(query, limit=limit)
        return ScopedHits(
            SearchResult(query, tuple(h.hit for h in found.hits)),
            tuple(f"{h.pack_id}/{h.entry.id}" for h in found.hits),
            tuple(self.catalog.get(h.pack_id) for h in found.hits),
        )

    def hit_by_id(self, entry_id: str) -> tuple[SearchHit, PackEntry] | None:
        """The entry ``entry_id`` of the home pack, as a full-score hit."""
        pack = self.home
        entry = next((e for e in pack.pack.faq if e.id == entry_id), None)
        return None if entry is None else (SearchHit(entry, 1.0, ()), pack)

    def overdue(self, pack: PackEntry, entry: FaqEntry) -> bool:
        """True when ``entry``'s review is overdue today (the provider's day)."""
        today = pack_today(pack.pack, self.clock())
        return today > due_on(entry.verified_on, pack.pack.meta.review_interval_days)
