"""Reloading every pack of a seat (ctrl+l): the new packs, the broken ones, and what changed.

Each configured pack is read again from its folder. A pack that no longer
loads is refused and its old version stays in use; one that loads is compared
with the old (:func:`mutum_copilot.packs.diff.diff_packs`), so the running
app can say, in a supervisor's words, what the edit changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from mutum_copilot.errors import PackError
from mutum_copilot.logs import get_logger
from mutum_copilot.packs.catalog import Catalog, PackEntry
from mutum_copilot.packs.diff import PackDiff, diff_packs
from mutum_copilot.packs.model import Pack

log = get_logger("packs")


@dataclass(frozen=True)
class PackReload:
    """One pack read again: the new pack and its diff, or why it stays as it was."""

    old: PackEntry
    new: Pack | None = None
    diff: PackDiff | None = None
    #: The pack's problems: it was refused, the old one stays.
    refused: PackError | None = None
    #: Something unexpected went wrong (logged); the old one stays.
    failed: bool = False

    @property
    def changed(self) -> bool:
        return self.diff is not None and not self.diff.empty


def reload_catalog(catalog: Catalog) -> list[PackReload]:
    """Every pack of ``catalog`` read again from its folder, in order (blocking: off the UI)."""
    from mutum_copilot.packs.loader import load_pack

    found: list[PackReload] = []
    for entry in catalog:
        root = entry.pack.root
        try:
            pack = load_pack(root, entry.holidays)
            diff = diff_packs(entry.pack, pack)
        except PackError as exc:
            found.append(PackReload(entry, refused=exc))
            continue
        except Exception as exc:  # logged, and the old pack stays
            log.error("reloading the pack at %s failed", root, exc_info=exc)
            found.append(PackReload(entry, failed=True))
            continue
        found.append(PackReload(entry, pack, diff))
    return found
