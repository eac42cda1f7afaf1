"""FAQ search as the agent types: accent-, case-, typo- and word-order-insensitive.

Built once per pack (:meth:`SearchIndex.build`), queried on every keystroke
(:meth:`SearchIndex.search`). Scanning every entry per keystroke does not
scale (``rapidfuzz`` WRatio over 10,000 texts costs ~25 ms), so the index
works on the *vocabulary* instead:

1. Every entry field is folded into words (:mod:`mutum_copilot.textnorm`) and
   put in an inverted index: term -> entries, kept at the entry's best field
   (question and aliases above tags above the say/guidance texts).
2. Each query word is looked up in the vocabulary, not in the entries: exact,
   as a prefix of longer words (the word being typed), and by OSA edit
   distance with rapidfuzz (typos and swapped letters), with a similarity each.
3. Pack synonyms widen a query word, or a run of query words ("segunda via",
   "fora do ar"), to its whole group. Multi-word synonyms are indexed as
   phrase terms, so matching them needs no positions.
4. An entry's match is the weighted share of query words it has (rarer words
   weigh more), each at its best similarity x field weight. It is computed for
   all entries at once with bitsets (:mod:`mutum_copilot.bitscore`), so a
   common word costs the same at 40 entries or 100,000.
5. The best matches get a bonus for how much of their question, or of one
   alias, the query covers, so a query equal to an alias wins.
6. Every word is also indexed by its stem (``~pag`` for "pagamento"), so
   "pagou" meets "paguei" at a synonym's similarity.
7. Each result is judged (:mod:`mutum_copilot.search_answer`): does it really
   answer the query, or is it a weak match? :meth:`SearchIndex.find` says so
   in :attr:`SearchResult.answered`; the agent then reads "Nada no documento".

``SearchHit.score`` is in 0..1: 0.8 x match (to 1/1023) + 0.2 x coverage, so
1.0 means every query word matched exactly in the question or an alias and the
query covers that question or alias completely. Searching from a worker thread
is fine: concurrent searches share only caches, where a race costs a recompute.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeAlias

from mutum_copilot import bitscore
from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.search_answer import NO_SIM, UNKNOWN, UnitEvidence, judge
from mutum_copilot.search_heads import Heads
from mutum_copilot.search_hits import SearchHit, SearchResult, highlight_spans
from mutum_copilot.search_terms import (
    STEM_MARK,
    Unit,
    Vocabulary,
    parse_query,
    stem_term,
    word_unit,
)
from mutum_copilot.textnorm import (
    Token,
    compounds,
    content_norms,
    find_terms,
    fold_aligned,
    phrase,
    stem,
    words,
)

__all__ = ["SearchHit", "SearchIndex", "SearchResult", "highlight_spans"]

# Entry fields, best first, and what a match in each is worth.
QUESTION, ALIAS, TAG, SAY, GUIDANCE = range(5)
FIELD_WEIGHTS = (1.0, 0.95, 0.7, 0.45, 0.4)
COVERAGE = 0.2  # share of the score that rewards covering a whole question/alias
MAX_QUERY_CHARS = 256  # a pasted chat message: its start says what it is about
RERANK_POOL = 64  # entries, best by match, that the coverage bonus may reorder
TEXT_CACHE = 4096  # entries whose joined and folded texts are kept for highlighting
PREPARED_TEXTS = 1024  # ... and how many of them are prepared when the index is built
SCALE = 1023  # match scores are integers 0..SCALE inside the bit-sliced arithmetic

# The entries of one term in one field: a sorted array when few, a bitset when many
# (whichever is smaller: a bitset costs n/8 bytes, an array 4 bytes per entry).
Posting: TypeAlias = "array[int] | int"


class SearchIndex:
    """An inverted index over one pack's FAQ entries; build once, search per keystroke."""

    def __init__(
        self,
        entries: tuple[FaqEntry, ...],
        postings: dict[str, tuple[tuple[int, Posting], ...]],
        vocabulary: Vocabulary,
        heads: Heads,
    ) -> None:
        self.entries = entries
        self._postings = postings
        self._vocab = vocabulary
        self._heads = heads
        # For highlighting, see _texts_of; a small pack has it all ready before the first query.
        self._texts: dict[int, tuple[str, str | None, tuple[Token, ...]]] = {}
        self._stem_spans: dict[int, dict[str, list[tuple[int, int]]]] = {}
        for doc in range(min(len(entries), PREPARED_TEXTS)):
            self._texts_of(doc)

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def build(
        cls, entries: Iterable[FaqEntry], synonyms: Iterable[Sequence[str]] = ()
    ) -> SearchIndex:
        """Index ``entries`` (a pack's ``faq``) with the pack's synonym groups."""
        entries = tuple(entries)
        groups = [tuple(" ".join(p) for p in map(phrase, g) if p) for g in synonyms]
        groups = [g for g in groups if len(g) > 1]
        phrases = sorted({w for g in groups for w in g if " " in w}, key=len, reverse=True)
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in phrases:
            by_first.setdefault(key.split(" ", 1)[0], []).append(tuple(key.split(" ")))
        lists: dict[str, list[list[int]]] = {}
        heads = Heads()
        for doc, entry in enumerate(entries):
            best: dict[str, int] = {}  # term -> best field of this entry that has it
            for level, text in _fields(entry):
                tokens = content_norms(text)
                if level <= ALIAS:
                    heads.add(tokens)
                solid = {t.norm for t in compounds(text)}
                stems = {stem_term(t) for t in set(tokens) if len(t) > 3}
                for term in (*tokens, *solid, *stems, *_phrases_in(tokens, by_first)):
                    if best.get(term, 99) > level:
                        best[term] = level
            heads.end_entry()
            for term, level in best.items():
                slots = lists.get(term)
                if slots is None:
                    slots = lists[term] = [[], [], [], [], []]
                slots[level].append(doc)
        n = len(entries)
        postings = {
            term: tuple((lv, _posting(docs, n)) for lv, docs in enumerate(slots) if docs)
            for term, slots in lists.items()
        }
        df = {term: sum(map(len, slots)) for term, slots in lists.items()}
        return cls(entries, postings, Vocabulary(df, groups, by_first), heads)

    def clear_cache(self) -> None:
        """Forget per-word lookups (benchmarks measure cold queries with this)."""
        self._vocab.clear_cache()

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """The best entries for ``query``, best first; never raises on odd input."""
        return list(self.find(query, limit).hits)

    def find(self, query: str, limit: int = 10) -> SearchResult:
        """The best entries for ``query`` and whether the best one answers it.

        Every hit carries ``weak``: True when the entry does not answer the query
        with confidence. Never raises on odd input.
        """
        if not isinstance(query, str):
            return SearchResult("", ())
        if limit <= 0 or not self.entries:
            return SearchResult(query, ())
        units, absent = self._split_missing(parse_query(query[:MAX_QUERY_CHARS], self._vocab))
        found = [(u, self._classes(u)) for u in units]
        n = len(self.entries)
        unknown = UnitEvidence("info", UNKNOWN * _idf(n, 1), (), 0)
        evidence = [
            UnitEvidence(
                u.kind,
                _idf(n, m.seen.bit_count()),
                tuple(m.sims),
                m.subject,
                m.seen.bit_count() / n,
            )
            if m.seen
            else replace(unknown, kind=u.kind)
            for u, m in found
            if not u.split
        ]
        evidence += [unknown] * absent
        plans = [(u, m.classes, m.seen) for u, m in found if m.seen]
        if not plans:
            return SearchResult(query, ())
        # Rarer units weigh more (an IDF over the entries the unit matches at all).
        weights = [u.factor * _idf(n, seen.bit_count()) for u, _, seen in plans]
        width = SCALE.bit_length()
        planes = [0] * width
        anything = 0
        for (_, classes, seen), share in zip(plans, _apportion(weights, SCALE), strict=True):
            scores: dict[int, int] = {}
            for value, bits in classes:
                score = round(value * share)
                scores[score] = scores.get(score, 0) | bits
            planes = bitscore.add(planes, bitscore.planes_of(scores.items(), width))
            anything |= seen
        pool = bitscore.top(planes, anything, max(RERANK_POOL, limit * 4))
        raw = [(bitscore.score_of(planes, d) / SCALE, d) for d in bitscore.lowest(pool)]
        units = [u for u, _, _ in plans]
        ranked = self._rerank(raw, _query_values(units), limit)
        terms = {key for u in units for key in u.alternatives}
        hits: list[SearchHit] = []
        for final, doc in ranked:
            verdict = judge(evidence, doc)
            # Below a weak best match everything is weak: the ranking found nothing better.
            weak = not verdict.answers or bool(hits and hits[0].weak)
            entry, matched = self.entries[doc], self._matched(doc, terms)
            hits.append(SearchHit(entry, round(final, 6), matched, weak, verdict.coverage))
        return SearchResult(query, tuple(hits))

    def _split_missing(self, units: list[Unit]) -> tuple[list[Unit], int]:
        """A synonym phrase found nowhere falls back to its words ("sem" + "conexão").

        Also how many there were: a concept of the pack's vocabulary that no
        entry has ("tv a cabo") is one the pack has no answer for.
        """
        out: list[Unit] = []
        absent = 0
        for unit in units:
            if len(unit.words) > 1 and not any(t in self._postings for t in unit.alternatives):
                for word in unit.words:
                    split = word_unit(word, self._vocab, False)
                    split.split = True
                    out.append(split)
                absent += 1
            else:
                out.append(unit)
        return out, absent

    def _classes(self, unit: Unit) -> _Found:
        """Where the unit is: its entries split by the value it has in each, and more.

        Value = similarity of the alternative x weight of the field it is in; an
        entry counts once, at its best value.
        """
        groups = [
            (sim * FIELD_WEIGHTS[level], sim, level, payload)
            for term, sim in unit.alternatives.items()
            for level, payload in self._postings.get(term, ())
        ]
        groups.sort(key=lambda g: -g[0])
        n = len(self.entries)
        found = _Found([], 0, [], 0)
        by_sim: dict[float, int] = {}
        for value, sim, level, payload in groups:
            bits = payload if isinstance(payload, int) else bitscore.to_bits(payload, n)
            if sim > NO_SIM:
                by_sim[sim] = by_sim.get(sim, 0) | bits
                if level <= TAG:
                    found.subject |= bits
            new = bits & ~found.seen
            if new:
                found.classes.append((value, new))
                found.seen |= new
        taken = 0
        for sim in sorted(by_sim, reverse=True):
            new = by_sim[sim] & ~taken
            if new:
                found.sims.append((sim, new))
                taken |= new
        return found

    def _rerank(
        self, raw: list[tuple[float, int]], values: dict[str, float], limit: int
    ) -> list[tuple[float, int]]:
        """Add the coverage bonus to the best matches and keep the ``limit`` best."""
        by_id = self._heads.weights(values)
        coverage = self._heads.coverage
        raw.sort(key=lambda p: (-p[0], p[1]))
        final: list[tuple[float, int]] = []
        floor = 0.0  # the limit-th best final score so far
        for score, doc in raw:
            if (1.0 - COVERAGE) * score + COVERAGE <= floor:
                break  # neither this entry nor any after it can enter the top
            final.append(((1.0 - COVERAGE) * score + COVERAGE * coverage(doc, by_id), doc))
            if len(final) >= limit:
                final.sort(key=lambda p: (-p[0], p[1]))
                del final[limit:]
                floor = final[-1][0]
        final.sort(key=lambda p: (-p[0], p[1]))
        return [p for p in final if p[0] > 0.0]

    def _matched(self, doc: int, terms: set[str]) -> tuple[str, ...]:
        """The entry's words that the query's terms matched, spelled as in the entry."""
        full, folded, solid = self._texts_of(doc)
        extra = [(t.start, t.end) for t in solid if t.norm in terms]
        stems = [t for t in terms if t.startswith(STEM_MARK)]
        if stems:  # words of the entry that matched by their stem only
            by_stem = self._stem_spans_of(doc, full)
            extra += [span for key in stems for span in by_stem.get(key, ())]
        spans = find_terms(
            full,
            {t for t in terms if " " not in t and not t.startswith(STEM_MARK)},
            tuple(tuple(t.split(" ")) for t in terms if " " in t),
            extra,
            folded,
        )
        return tuple(dict.fromkeys(full[a:b] for a, b in spans))

    def _stem_spans_of(self, doc: int, full: str) -> dict[str, list[tuple[int, int]]]:
        """Where each stem of an entry's words is in its joined texts (for highlighting)."""
        cached = self._stem_spans.get(doc)
        if cached is None:
            if len(self._stem_spans) >= TEXT_CACHE:
                self._stem_spans.clear()
            cached = {}
            for token in words(full):
                if len(token.norm) > 3:
                    key = STEM_MARK + stem(token.norm)
                    cached.setdefault(key, []).append((token.start, token.end))
            self._stem_spans[doc] = cached
        return cached

    def _texts_of(self, doc: int) -> tuple[str, str | None, tuple[Token, ...]]:
        """An entry's texts in one string, that string folded, and its hyphenated words."""
        cached = self._texts.get(doc)
        if cached is None:
            if len(self._texts) >= TEXT_CACHE:
                self._texts.clear()
            full = "\n".join(text for _, text in _fields(self.entries[doc]))
            cached = self._texts[doc] = (full, fold_aligned(full), tuple(compounds(full)))
        return cached


@dataclass
class _Found:
    """Where one query unit is in the index (bitsets of entries)."""

    classes: list[tuple[float, int]]  # (value, entries with that best value), best first
    seen: int  # every entry that has it at all
    sims: list[tuple[float, int]]  # (similarity, entries with that best one), best first
    subject: int  # entries that have it in their question, aliases or tags


def _fields(entry: FaqEntry) -> list[tuple[int, str]]:
    return [
        (QUESTION, entry.question),
        *((ALIAS, a) for a in entry.aliases),
        *((TAG, t) for t in entry.tags),
        (SAY, entry.say),
        (SAY, entry.if_asked),
        (GUIDANCE, entry.guidance),
    ]


def _idf(entries: int, having: int) -> float:
    """A unit's weight: rarer in the pack, heavier."""
    return 1.0 + 0.5 * math.log(entries / having)


def _phrases_in(tokens: list[str], by_first: dict[str, list[tuple[str, ...]]]) -> list[str]:
    found = []
    for i, token in enumerate(tokens):
        for words_ in by_first.get(token, ()):
            if tuple(tokens[i : i + len(words_)]) == words_:
                found.append(" ".join(words_))
    return found


def _apportion(weights: list[float], total: int) -> list[int]:
    """Integer shares of ``total`` proportional to ``weights`` that add up to it exactly.

    Largest remainders: so an entry that matches every unit perfectly scores
    exactly ``total``, and no sum can overflow the bit-sliced planes.
    """
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: shares[i] - exact[i])
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _posting(docs: list[int], n: int) -> Posting:
    return bitscore.to_bits(docs, n) if len(docs) * 32 > n else array("i", docs)


def _raise(values: dict[str, float], key: str, value: float) -> None:
    if value > values.get(key, 0.0):
        values[key] = value


def _query_values(units: list[Unit]) -> dict[str, float]:
    values: dict[str, float] = {}
    for unit in units:
        for key, value in unit.alternatives.items():
            _raise(values, key, value * unit.factor)
            if " " in key:
                for part in key.split(" "):
                    _raise(values, part, value * unit.factor)
    return values
