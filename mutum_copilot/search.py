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

``SearchHit.score`` is in 0..1: 0.8 x match (to 1/1023) + 0.2 x coverage, so
1.0 means every query word matched exactly in the question or an alias and the
query covers that question or alias completely. Searching from a worker thread
is fine: concurrent searches share only caches, where a race costs a recompute.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TypeAlias

from mutum_copilot import bitscore
from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.search_terms import Unit, Vocabulary, parse_query, word_unit
from mutum_copilot.textnorm import (
    Token,
    compounds,
    content_norms,
    find_terms,
    fold_aligned,
    phrase,
    words,
)

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

    @property
    def id(self) -> str:
        return self.entry.id


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


class SearchIndex:
    """An inverted index over one pack's FAQ entries; build once, search per keystroke."""

    def __init__(
        self,
        entries: tuple[FaqEntry, ...],
        postings: dict[str, tuple[tuple[int, Posting], ...]],
        vocabulary: Vocabulary,
        heads: _Heads,
    ) -> None:
        self.entries = entries
        self._postings = postings
        self._vocab = vocabulary
        self._heads = heads
        # For highlighting, see _texts_of; a small pack has it all ready before the first query.
        self._texts: dict[int, tuple[str, str | None, tuple[Token, ...]]] = {}
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
        heads = _Heads()
        for doc, entry in enumerate(entries):
            best: dict[str, int] = {}  # term -> best field of this entry that has it
            for level, text in _fields(entry):
                tokens = content_norms(text)
                if level <= ALIAS:
                    heads.add(tokens)
                solid = {t.norm for t in compounds(text)}
                for term in (*tokens, *solid, *_phrases_in(tokens, by_first)):
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
        if limit <= 0 or not self.entries or not isinstance(query, str):
            return []
        units = self._split_missing(parse_query(query[:MAX_QUERY_CHARS], self._vocab))
        plans = [(u, *self._classes(u)) for u in units]
        plans = [p for p in plans if p[2]]
        if not plans:
            return []
        n = len(self.entries)
        # Rarer units weigh more (an IDF over the entries the unit matches at all).
        weights = [u.factor * (1.0 + 0.5 * math.log(n / seen.bit_count())) for u, _, seen in plans]
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
        return [
            SearchHit(self.entries[doc], round(score, 6), self._matched(doc, terms))
            for score, doc in ranked
        ]

    def _split_missing(self, units: list[Unit]) -> list[Unit]:
        """A synonym phrase found nowhere falls back to its words ("sem" + "conexão")."""
        out: list[Unit] = []
        for unit in units:
            if len(unit.words) > 1 and not any(t in self._postings for t in unit.alternatives):
                out += [word_unit(w, self._vocab, False) for w in unit.words]
            else:
                out.append(unit)
        return out

    def _classes(self, unit: Unit) -> tuple[list[tuple[float, int]], int]:
        """The unit's entries split by the value it has in each, best first, and all of them.

        Value = similarity of the alternative x weight of the field it is in; an
        entry counts once, at its best value.
        """
        groups = [
            (sim * FIELD_WEIGHTS[level], payload)
            for term, sim in unit.alternatives.items()
            for level, payload in self._postings.get(term, ())
        ]
        groups.sort(key=lambda g: -g[0])
        n = len(self.entries)
        seen = 0
        classes: list[tuple[float, int]] = []
        for value, payload in groups:
            bits = payload if isinstance(payload, int) else bitscore.to_bits(payload, n)
            new = bits & ~seen
            if new:
                classes.append((value, new))
                seen |= new
        return classes, seen

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
        spans = find_terms(
            full,
            {t for t in terms if " " not in t},
            tuple(tuple(t.split(" ")) for t in terms if " " in t),
            [(t.start, t.end) for t in solid if t.norm in terms],
            folded,
        )
        return tuple(dict.fromkeys(full[a:b] for a, b in spans))

    def _texts_of(self, doc: int) -> tuple[str, str | None, tuple[Token, ...]]:
        """An entry's texts in one string, that string folded, and its hyphenated words."""
        cached = self._texts.get(doc)
        if cached is None:
            if len(self._texts) >= TEXT_CACHE:
                self._texts.clear()
            full = "\n".join(text for _, text in _fields(self.entries[doc]))
            cached = self._texts[doc] = (full, fold_aligned(full), tuple(compounds(full)))
        return cached


class _Heads:
    """The question and aliases of every entry as word ids, packed flat in arrays.

    Coverage (how much of a question or alias the query covers) is computed
    for a few dozen candidates per keystroke; packing keeps 100,000 entries
    in a few MB instead of a tuple of tuples per entry.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.words = array("i")  # the distinct word ids of every head, one head after another
        self.bounds = array("i", [0])  # head j is words[bounds[j]:bounds[j + 1]]
        self.first = array("i", [0])  # entry i has heads first[i] .. first[i + 1] - 1

    def add(self, tokens: list[str]) -> None:
        distinct = dict.fromkeys(tokens)
        if distinct:
            self.words.extend(self.ids.setdefault(t, len(self.ids)) for t in distinct)
            self.bounds.append(len(self.words))

    def end_entry(self) -> None:
        self.first.append(len(self.bounds) - 1)

    def weights(self, values: dict[str, float]) -> dict[int, float]:
        ids = self.ids
        return {ids[t]: v for t, v in values.items() if t in ids}

    def coverage(self, doc: int, weights: dict[int, float]) -> float:
        """The best share (0..1) of one head's words that the query covers."""
        bounds, first, last = self.bounds, self.first[doc], self.first[doc + 1]
        start, end = bounds[first], bounds[last]
        values = list(map(weights.get, self.words[start:end], repeat(0.0, end - start)))
        if not any(values):
            return 0.0
        best = 0.0
        for head in range(first, last):
            low, high = bounds[head] - start, bounds[head + 1] - start
            best = max(best, sum(values[low:high]) / (high - low))
        return best


def _fields(entry: FaqEntry) -> list[tuple[int, str]]:
    return [
        (QUESTION, entry.question),
        *((ALIAS, a) for a in entry.aliases),
        *((TAG, t) for t in entry.tags),
        (SAY, entry.say),
        (GUIDANCE, entry.guidance),
    ]


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
