"""Every pack one copilot serves, by id: the call center's providers, side by side.

A call center answers for several providers, each with its own pack (facts,
FAQ, flows, N1 calendar). The :class:`Catalog` holds them in the configured
order, with the default one first in line (the seat's preset, else the first
configured), and builds per pack what hangs on it: the search index and the
shift clock, each on first use (``ask`` never pays for a shift clock, nor
``shift`` for an index).

Search without a call covers every pack and labels each hit with its pack;
within a call, only the call's pack (:meth:`Catalog.search`).

Plain Python: no Textual. The TUI reads ``catalog.default`` today; the call's
own pack (``catalog.get(call.pack_id)``) once the agent picks the provider.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mutum_copilot.errors import ConfigError, InputError, PackError, Problem
from mutum_copilot.holiday_table import IN_MEMORY, HolidayTable
from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.packs.model import Pack

if TYPE_CHECKING:  # imported when first used: ask never pays for shift, nor shift for search
    from mutum_copilot.config import Settings
    from mutum_copilot.search import SearchHit, SearchIndex
    from mutum_copilot.shift import ShiftClock
    from mutum_copilot.triage.engine import Triage

Clock = Callable[[], dt.datetime]


class UnknownPackError(InputError):
    """A pack id that no configured pack has (a ``--provider`` or the seat's preset)."""


def nearest(word: str, candidates: Sequence[str]) -> str | None:
    """The candidate closest to ``word``, if any is close enough to be a typo."""
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return found[0] if found else None


def unknown_pack_message(pack_id: str, ids: Sequence[str]) -> str:
    """``provedor desconhecido "x"; você quis dizer "y"? Provedores: a, b`` (pt-BR)."""
    guess = nearest(pack_id, ids)
    hint = f'; você quis dizer "{guess}"?' if guess else ""
    return f'provedor desconhecido "{pack_id}"{hint} Provedores: {", ".join(ids)}'


class PackEntry:
    """One pack and what is built from it, each part made on first use.

    ``holidays``: where the shift clock's public holidays come from (the
    seat's cache file, built once by the caller; memory only by default).
    """

    def __init__(
        self,
        pack: Pack,
        clock: Clock,
        search: SearchIndex | None = None,
        holidays: HolidayTable = IN_MEMORY,
    ) -> None:
        self.pack = pack
        self.clock = clock
        self.holidays = holidays
        if search is not None:
            self.__dict__["search"] = search  # an index from the cache: no rebuild

    @property
    def id(self) -> str:
        return self.pack.id

    @property
    def version(self) -> str:
        return self.pack.version

    @property
    def name(self) -> str:
        """The provider's name, as labels and status lines show it."""
        return self.pack.facts.provider.name

    @functools.cached_property
    def search(self) -> SearchIndex:
        from mutum_copilot.search import SearchIndex

        return SearchIndex.build(self.pack.faq, self.pack.synonyms)

    @functools.cached_property
    def shift_clock(self) -> ShiftClock:
        from mutum_copilot.shift import ShiftClock

        return ShiftClock.from_facts(self.pack.facts, self.clock, self.holidays)

    def triage(self) -> Triage:
        """A triage engine over this pack, on this pack's N1 calendar."""
        from mutum_copilot.triage.engine import Triage

        return Triage(self.pack, self.clock, n1=self.shift_clock.n1)

    def __repr__(self) -> str:
        return f"PackEntry({self.id!r}, {self.version!r})"


@dataclass(frozen=True)
class PackHit:
    """A search result and the pack it came from (the label a shared search shows)."""

    pack_id: str
    provider: str
    hit: SearchHit

    @property
    def entry(self) -> FaqEntry:
        return self.hit.entry

    @property
    def score(self) -> float:
        return self.hit.score


@dataclass(frozen=True)
class CatalogResult:
    """The hits of one query over one or several packs, and whether any answers it."""

    query: str
    hits: tuple[PackHit, ...]

    @property
    def answered(self) -> bool:
        """False: no pack answers the query with confidence (every hit is weak)."""
        return bool(self.hits) and not self.hits[0].hit.weak


class Catalog:
    """The configured packs in order, by id, and the default one."""

    def __init__(self, entries: Sequence[PackEntry], default_id: str | None = None) -> None:
        if not entries:
            raise ValueError("a catalog needs at least one pack")
        ids = [e.id for e in entries]
        if len(set(ids)) != len(ids):
            raise ValueError(f"pack ids repeat: {ids}")
        self.entries: tuple[PackEntry, ...] = tuple(entries)
        self._by_id = {e.id: e for e in self.entries}
        if default_id is not None and default_id not in self._by_id:
            raise UnknownPackError(unknown_pack_message(default_id, ids))
        self.default_id = default_id if default_id is not None else ids[0]
        #: Whether the default is the seat's preset (``provider:``) rather than the first pack.
        self.preset = default_id is not None

    # --- reading ---------------------------------------------------------------------
    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)

    @property
    def default(self) -> PackEntry:
        """The seat's preset pack, else the first configured."""
        return self._by_id[self.default_id]

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[PackEntry]:
        return iter(self.entries)

    def __contains__(self, pack_id: object) -> bool:
        return pack_id in self._by_id

    def get(self, pack_id: str) -> PackEntry:
        """The pack ``pack_id``; UnknownPackError (pt-BR, with the nearest id) if none."""
        entry = self._by_id.get(pack_id)
        if entry is None:
            raise UnknownPackError(unknown_pack_message(pack_id, self.ids))
        return entry

    def find(self, query: str, limit: int = 10, pack_id: str | None = None) -> CatalogResult:
        """The best FAQ entries for ``query``, each labelled with its pack, answers first.

        ``pack_id`` (the call's provider) searches that pack only; None searches
        every pack. An entry that answers (not weak) in its own pack comes before
        every weak one; then by score, ties keeping the configured order.
        """
        entries = [self.get(pack_id)] if pack_id is not None else list(self.entries)
        found = [
            (hit.weak, -hit.score, order, PackHit(entry.id, entry.name, hit))
            for order, entry in enumerate(entries)
            for hit in entry.search.find(query, limit=limit).hits
        ]
        found.sort(key=lambda item: item[:3])
        return CatalogResult(query, tuple(hit for *_, hit in found[:limit]))

    def search(self, query: str, limit: int = 10, pack_id: str | None = None) -> list[PackHit]:
        """:meth:`find`'s hits."""
        return list(self.find(query, limit, pack_id).hits)

    # --- changing --------------------------------------------------------------------
    def with_pack(self, pack: Pack, search: SearchIndex | None = None) -> Catalog:
        """This catalog with ``pack`` reloaded in place of the pack of the same folder or id."""
        model = self.default  # the clock and holiday table every entry shares
        new = PackEntry(pack, model.clock, search, model.holidays)
        slot = next(
            (i for i, e in enumerate(self.entries) if e.pack.root == pack.root),
            next((i for i, e in enumerate(self.entries) if e.id == pack.id), None),
        )
        if slot is None:
            raise ValueError(f"{pack.root} is not a pack of this catalog")
        entries = list(self.entries)
        old_id = entries[slot].id
        entries[slot] = new
        default: str | None = None  # the first pack, as before
        if self.preset:
            default = pack.id if self.default_id == old_id else self.default_id
        return Catalog(entries, default)


def load_catalog(
    dirs: Sequence[Path],
    clock: Clock,
    *,
    default_id: str | None = None,
    cached: bool = False,
    holidays: HolidayTable = IN_MEMORY,
) -> Catalog:
    """Load every pack folder of ``dirs``, in order.

    Raises :class:`PackError` with the problems of every broken pack at once
    (and a problem for a pack id used twice), or :class:`UnknownPackError`
    when ``default_id`` is no pack's id. ``cached``: packs and their indexes
    from the user's cache when unchanged (the TUI's start). ``holidays``: the
    holiday table every pack's checks and shift clock use.
    """
    entries: list[PackEntry] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for folder in dirs:
        try:
            if cached:
                from mutum_copilot.packs.cache import load_indexed_pack

                pack, index = load_indexed_pack(folder, holidays)
            else:
                from mutum_copilot.packs.loader import load_pack

                pack, index = load_pack(folder, holidays), None
        except PackError as exc:
            problems.extend(exc.problems)
            continue
        if pack.id in seen:
            problems.append(
                Problem(
                    str(folder / "pack.yaml"),
                    0,
                    f'o id "{pack.id}" já é de outro pacote configurado ({seen[pack.id]}); '
                    "cada pacote precisa de um id próprio",
                    "id",
                )
            )
            continue
        seen[pack.id] = folder
        entries.append(PackEntry(pack, clock, index, holidays))
    if problems:
        raise PackError(problems)
    return Catalog(entries, default_id)


def load_configured(
    settings: Settings,
    knowledge: Path | None,
    clock: Clock,
    *,
    cached: bool = False,
    holidays: HolidayTable = IN_MEMORY,
) -> Catalog:
    """The catalog of a seat: the one resolver of which packs the app and every command use.

    ``knowledge`` (``--knowledge DIR``) overrides the config's packs and its
    preset; else the config's ``knowledge:`` (one folder or a list) with its
    ``provider:`` preset as the default; else the bundled pack. Raises
    PackError (every problem of every pack) or ConfigError (an unknown preset,
    with the config's file and line and the nearest id).
    """
    preset = None if knowledge is not None else (settings.provider or None)
    try:
        return load_catalog(
            settings.pack_dirs(knowledge),
            clock,
            default_id=preset,
            cached=cached,
            holidays=holidays,
        )
    except UnknownPackError as exc:
        origin = settings.origin
        line = origin.line_of("provider") if origin.path else 0
        problem = Problem(origin.path or "config", line, str(exc), "provider")
        raise ConfigError([problem]) from None
