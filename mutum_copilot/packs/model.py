"""A loaded, validated knowledge pack: what every shell and engine is handed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from mutum_copilot.knowledge.models import Facts, FaqEntry, PackFile
from mutum_copilot.triage.models import Flow


def _no_flows() -> Mapping[str, Flow]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Pack:
    """A provider's facts, FAQ, synonyms and flows, all validated together."""

    root: Path
    meta: PackFile
    facts: Facts
    faq: tuple[FaqEntry, ...]
    synonyms: tuple[tuple[str, ...], ...]
    flows: Mapping[str, Flow] = field(default_factory=_no_flows)
    #: A digest of the pack's files, so two seats with the same files agree on the version.
    digest: str = ""

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        """What history rows and reports record: ``pack.yaml``'s version, else the digest."""
        return self.meta.version or (f"sha-{self.digest[:12]}" if self.digest else "")

    def faq_entry(self, entry_id: str) -> FaqEntry | None:
        return next((e for e in self.faq if e.id == entry_id), None)
