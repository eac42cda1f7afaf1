"""What a search returns: hits, whether the best one answers, and where the words matched."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.textnorm import compounds, words


@dataclass(frozen=True)
class SearchHit:
    """One result. ``score`` is in 0..1 (see the module docstring).

    ``matched_terms`` are the words of the entry's texts that matched, spelled
    as in the entry (``"Mudança"``, ``"wi-fi"``), in the order of question,
    aliases, tags, say, guidance; :func:`highlight_spans` finds them in a text.
    """

    entry: FaqEntry
    score: float
    matched_terms: tuple[str, ...]
    #: True when the entry does not really answer the query (see search_answer).
    weak: bool = False
    #: 0..1: how much of what the query is about the entry covers (see search_answer).
    coverage: float = 1.0

    @property
    def id(self) -> str:
        return self.entry.id


@dataclass(frozen=True)
class SearchResult:
    """The results of one query, and whether the best of them answers it."""

    query: str
    hits: tuple[SearchHit, ...]

    @property
    def answered(self) -> bool:
        """False: nothing in the pack answers the query with confidence (all hits are weak)."""
        return bool(self.hits) and not self.hits[0].weak

    @property
    def answer(self) -> SearchHit | None:
        """The hit that answers the query, or None."""
        return self.hits[0] if self.answered else None

    @property
    def weak_hits(self) -> tuple[SearchHit, ...]:
        return tuple(h for h in self.hits if h.weak)


def highlight_spans(text: str, matched_terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``matched_terms`` (from a :class:`SearchHit`) occur in ``text``, as (start, end)."""
    wanted = set(matched_terms)
    if not wanted:
        return []
    spans = [(t.start, t.end) for t in compounds(text) if text[t.start : t.end] in wanted]
    taken: set[int] = set()
    for start, end in spans:
        taken.update(range(start, end))
    spans += [
        (t.start, t.end)
        for t in words(text)
        if text[t.start : t.end] in wanted and t.start not in taken
    ]
    return sorted(spans)


#: What the agent reads when nothing in the pack answers the query.
NO_ANSWER = "Nada no documento sobre isso."
#: ... and what to do then: the pack's rule for anything the call center cannot solve
#: (register under the customer's contract, forward to N1's triage), never a guess.
NO_ANSWER_ADVICE = (
    "Não leia ao cliente uma resposta parecida. Registre a pergunta no atendimento, no "
    "contrato do cliente, e encaminhe à triagem do N1; diga ao cliente que a equipe vai "
    "analisar e retornar, sem prometer resposta nem prazo."
)
#: How a weak match is marked wherever results are listed.
WEAK_MARK = "fraca"
