"""Does the best FAQ entry really answer the query? The "Nada no documento sobre isso" test.

The ranking always has a best entry; this decides whether to trust it. An agent
reads our text to a customer, so a near miss ("tem TV a cabo?" finding the Olé
TV answer on "TV") must be shown as a weak match, never as the answer.

Only the query's *deciding* words count (see :func:`deciding`): chat filler
("cliente", "ontem", "de novo") and the words that frame a question ("quanto
custa", "como funciona", "tem") say what kind of question it is, not what it is
about. An entry answers the query when

1. it has one of those words in its own subject (question, aliases, tags), not
   only somewhere in the body of its texts; and
2. it covers at least :data:`MIN_COVERAGE` of their weight. A word weighs its
   rarity in the pack (the ranking's IDF), and a word the pack never uses
   weighs more than any: the pack most likely has nothing on it. A word found
   by a typo or a prefix being typed counts in part (:meth:`UnitEvidence.credit`).

The constants were chosen on the tuning query sets of ``tests/data`` and checked
on their held-out halves (``tests/test_search_answered.py``).

Plain Python on bitsets (bit ``i`` = entry ``i``), like the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Share of the deciding weight the best entry must cover.
MIN_COVERAGE = 0.6
#: Weight of a word the pack never uses, against the rarest word it has.
UNKNOWN = 1.25
#: A word found in more than this share of the entries names no subject ("internet").
COMMON_SHARE = 0.3
#: How much a word found with a similarity counts: fully from FULL_SIM (a synonym,
#: another form of the word), nothing up to NO_SIM (a two-letter prefix being typed).
FULL_SIM, NO_SIM = 0.8, 0.55


@dataclass(frozen=True)
class UnitEvidence:
    """Where one query unit (a word or a synonym phrase) was found."""

    kind: str  # "info", "frame" or "generic" (mutum_copilot.search_terms.word_kind)
    weight: float  # its rarity; UNKNOWN x the rarest when the pack never uses it
    #: Entries that have it, split by the best similarity it has in them, best first.
    sims: tuple[tuple[float, int], ...]
    subject: int  # entries that have it in their question, aliases or tags
    share: float = 0.0  # share of the pack's entries that have it at all

    @property
    def common(self) -> bool:
        return self.share > COMMON_SHARE

    def credit(self, doc: int) -> float:
        """0..1: how well entry ``doc`` has this unit."""
        bit = 1 << doc
        for sim, bits in self.sims:
            if bits & bit:
                return min(1.0, max(0.0, (sim - NO_SIM) / (FULL_SIM - NO_SIM)))
        return 0.0


@dataclass(frozen=True)
class Verdict:
    """Whether an entry answers the query, and why (for tests and ``ask --json``)."""

    answers: bool
    coverage: float  # 0..1, share of the deciding weight the entry covers
    subject: bool  # a deciding word is in the entry's own subject


def deciding(units: Sequence[UnitEvidence]) -> list[UnitEvidence]:
    """The units that say what the query is about.

    The informative ones that most entries do not share; if a query has none
    ("quanto custa?", "internet"), its framing and common words. Chat filler
    never decides: a query of nothing else ("cliente novo") has no subject.
    """
    chosen = [u for u in units if u.kind == "info" and not u.common]
    return chosen or [u for u in units if u.kind in ("info", "frame")]


def judge(units: Sequence[UnitEvidence], doc: int) -> Verdict:
    """Whether entry ``doc`` answers a query made of ``units``."""
    bit = 1 << doc
    covered = total = 0.0
    subject = False
    for unit in deciding(units):
        credit = unit.credit(doc)
        covered += unit.weight * credit
        total += unit.weight
        if credit > 0.5 and unit.subject & bit:
            subject = True
    coverage = covered / total if total else 0.0
    return Verdict(subject and coverage >= MIN_COVERAGE, round(coverage, 4), subject)
