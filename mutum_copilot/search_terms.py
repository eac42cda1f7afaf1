"""The query side of the FAQ search: what a typed word may mean in the pack's vocabulary.

A typed word is compared with the *vocabulary* (a few thousand distinct
words even for a large pack), never with the entries, so typo tolerance costs
the same for 40 entries or 100,000. Lookups are cached per word: while an
agent types "internet lent", only the last word is new on each keystroke.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from mutum_copilot.textnorm import (
    FRAME_WORDS,
    GENERIC_WORDS,
    STOP_PAIRS,
    WEAK_WORDS,
    is_content,
    stem,
    words,
)


def _near(word: str, choices: Sequence[str], max_distance: int) -> list[tuple[str, int, int]]:
    """``choices`` within ``max_distance`` OSA edits of ``word``: (choice, distance, index).

    rapidfuzz is imported on the first typo lookup, not with the module: the
    TUI's first screen and ``ask`` with exact words do not wait ~10 ms for it.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return process.extract(
        word, choices, scorer=OSA.distance, score_cutoff=max_distance, limit=None
    )


MAX_FUZZY_WORD = 24  # longer "words" are pasted junk; an exact match still works
# Completions kept for a prefix of 2, 3, 4+ letters: "ca" says little yet, and each
# completion costs its postings and its synonyms.
MAX_COMPLETIONS = (12, 20, 32)
MAX_SCAN = 4000  # bound on the sorted-vocabulary walk for a short prefix
MAX_NEAR = 12
CACHE_SIZE = 4096
STEM_LENGTHS = range(5, 13)  # typed prefixes long enough to carry a typo ("desbloqe")

MAX_QUERY_WORDS = 12
SYNONYM = 0.85  # a synonym counts a little less than the word typed
STEM = 0.85  # another form of the word typed ("pagou" for "paguei") counts like a synonym
STOP_PREFIX = 0.3  # "com" being typed may become "comprovante", but weakly; "os" may be an OS
GENERIC = 0.35  # "cliente", "novo", "ontem": searchable, but they must not decide the ranking
STEM_MARK = "~"  # index terms that are stems ("~pag") never meet a typed word by spelling

Match = tuple[tuple[str, float], ...]


@dataclass
class Unit:
    """One thing the query asks for: alternatives (term -> similarity), the best one counts."""

    alternatives: dict[str, float]
    factor: float = 1.0  # how much the unit weighs next to the others
    words: tuple[str, ...] = ()  # the query words it came from, to split a phrase that misses
    #: What the unit tells about the subject: "info" names it, "frame" frames the
    #: question ("quanto custa"), "generic" is chat filler ("cliente", "ontem").
    kind: str = "info"
    #: A word of a synonym phrase that no entry has (see SearchIndex._split_missing).
    split: bool = False


@lru_cache(maxsize=65536)
def stem_term(norm: str) -> str:
    """The index term of a word's stem: ``pagamento`` -> ``~pag``."""
    return STEM_MARK + stem(norm)


def word_kind(word: str) -> str:
    """``info``, ``frame`` or ``generic`` (see :class:`Unit`)."""
    if word in GENERIC_WORDS or word in WEAK_WORDS:
        return "generic"
    return "frame" if word in FRAME_WORDS else "info"


def prefix_similarity(typed: str, term: str) -> float:
    """0.6..0.95: "mudan" -> "mudanca" scores more than "ca" -> "cancelamento"."""
    return 0.6 + 0.35 * len(typed) / len(term)


def typo_similarity(typed: str, term: str, distance: int) -> float:
    """0.9 at best: a corrected word never counts as much as one typed right."""
    return 0.9 * (1.0 - distance / max(len(typed), len(term)))


class Vocabulary:
    """Every indexed word and synonym, with exact, prefix and typo-tolerant lookup."""

    def __init__(
        self,
        df: dict[str, int],
        groups: list[tuple[str, ...]],
        by_first: dict[str, list[tuple[str, ...]]],
    ) -> None:
        self.df = df
        self.groups = groups
        self._group_ids: dict[str, list[int]] = {}
        self._stem_group_ids: dict[str, list[int]] = {}  # "~cancel" -> the cancelar group
        for gid, group in enumerate(groups):
            for key in group:
                self._group_ids.setdefault(key, []).append(gid)
                if " " not in key and len(key) > 3:
                    ids = self._stem_group_ids.setdefault(stem_term(key), [])
                    if gid not in ids:
                        ids.append(gid)
        self._phrases = sorted((p for ps in by_first.values() for p in ps), key=len, reverse=True)
        self._phrase_words = sorted({w for p in self._phrases for w in p})
        self._phrase_set = frozenset(self._phrase_words)
        self._phrase_cache: dict[tuple[str, bool], dict[str, float]] = {}
        known = {w for w in df if " " not in w and not w.startswith(STEM_MARK)}
        known.update(k for g in groups for k in g if " " not in k)
        self._known = frozenset(known)
        self._sorted = sorted(known)
        self._by_len: dict[int, list[str]] = {}
        for word in self._sorted:
            self._by_len.setdefault(len(word), []).append(word)
        self._stems: dict[int, tuple[list[str], dict[str, list[str]]]] = {}
        self._cache: dict[tuple[str, bool, bool], Match] = {}

    def clear_cache(self) -> None:
        self._cache.clear()
        self._phrase_cache.clear()

    def lookup(self, word: str, typing: bool, prefix_only: bool = False) -> Match:
        """Vocabulary terms ``word`` may stand for, with a similarity in 0..1.

        ``typing`` means the word may be unfinished (the last one of a query
        that does not end in a space); ``prefix_only`` skips the word itself
        (a stop word being typed).
        """
        key = (word, typing, prefix_only)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        found: dict[str, float] = {}
        exact = word in self._known and not prefix_only
        if exact:
            found[word] = 1.0
        if len(word) <= MAX_FUZZY_WORD:
            self._add_prefixes(found, word, typing, exact, prefix_only)
            # A word the pack knows, or an unfinished word that some word completes, is
            # taken as typed; only the rest is spell-checked (the costly part).
            if not prefix_only and not exact and not (typing and found):
                self._add_near(found, word)
                if typing and not found:
                    self._add_typo_prefixes(found, word)
        result = tuple(sorted(found.items(), key=lambda p: (-p[1], p[0])))
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = result
        return result

    def group_members(self, key: str, sim: float, synonym: float) -> Iterator[tuple[str, float]]:
        """Every member of the synonym groups of ``key``, the others counting ``synonym``."""
        for gid in self._group_ids.get(key, ()):
            for member in self.groups[gid]:
                yield member, sim if member == key else sim * synonym

    def stem_group_members(self, word: str, sim: float) -> Iterator[tuple[str, float]]:
        """The synonyms of another form of ``word`` ("cancelou" -> the group of "cancelar")."""
        for gid in self._stem_group_ids.get(stem_term(word), ()):
            for member in self.groups[gid]:
                yield member, sim

    def phrase_at(self, words: list[str], i: int, typing: bool) -> tuple[int, str, float] | None:
        """A multi-word synonym starting at ``words[i]``: (length, its key, similarity).

        ``typing``: the last of ``words`` may be unfinished. Longest phrases win.
        """
        last = len(words) - 1
        if not self._phrase_sims(words[i], typing and i == last):
            return None
        for parts in self._phrases:
            end = i + len(parts)
            if end > len(words):
                continue
            sim = 1.0
            for j, part in enumerate(parts):
                sims = self._phrase_sims(words[i + j], typing and i + j == last)
                sim = min(sim, sims.get(part, 0.0))
                if sim == 0.0:
                    break
            if sim > 0.0:
                return len(parts), " ".join(parts), sim
        return None

    def _phrase_sims(self, typed: str, typing: bool) -> dict[str, float]:
        """The words of multi-word synonyms that ``typed`` may be, with a similarity each."""
        key = (typed, typing)
        cached = self._phrase_cache.get(key)
        if cached is None:
            cached = {}
            if typed in self._phrase_set:
                cached[typed] = 1.0
            if typing and len(typed) >= 2:
                for word in self._phrase_words:
                    if word.startswith(typed) and word != typed:
                        cached[word] = prefix_similarity(typed, word)
            if len(typed) >= 5:
                for word, _, _ in _near(typed, self._phrase_words, 1):
                    if len(word) >= 5 and word not in cached:
                        cached[word] = typo_similarity(typed, word, 1)
            if len(self._phrase_cache) >= CACHE_SIZE:
                self._phrase_cache.clear()
            self._phrase_cache[key] = cached
        return cached

    # -- the three ways a typed word reaches the vocabulary -----------------

    def _add_prefixes(
        self, found: dict[str, float], word: str, typing: bool, exact: bool, prefix_only: bool
    ) -> None:
        if typing and len(word) >= 2:
            factor = 1.0
        elif not typing and not exact and not prefix_only and len(word) >= 4:
            factor = 0.9  # "cancel plano": an abbreviation in the middle of a query
        else:
            return
        start = bisect_left(self._sorted, word)
        candidates = []
        for term in self._sorted[start : start + MAX_SCAN]:
            if not term.startswith(word):
                break
            if term != word:
                candidates.append(term)
        best = heapq.nsmallest(
            MAX_COMPLETIONS[min(len(word), 4) - 2],
            candidates,
            key=lambda t: (len(t), -self.df.get(t, 0), t),
        )
        for term in best:
            _raise(found, term, factor * prefix_similarity(word, term))

    def _add_near(self, found: dict[str, float], word: str) -> None:
        if len(word) < 4:
            return
        max_distance = 1 if len(word) < 8 else 2
        near: list[tuple[int, str]] = []
        for length in range(len(word) - max_distance, len(word) + max_distance + 1):
            bucket = self._by_len.get(length)
            if not bucket:
                continue
            for term, distance, _ in _near(word, bucket, max_distance):
                if term != word:
                    near.append((int(distance), term))
        for distance, term in heapq.nsmallest(
            MAX_NEAR, near, key=lambda p: (p[0], -self.df.get(p[1], 0), p[1])
        ):
            _raise(found, term, typo_similarity(word, term, distance))

    def _add_typo_prefixes(self, found: dict[str, float], word: str) -> None:
        """An unfinished word with a typo: "desbloqe" is one edit from "desbloqu"(eio)."""
        if len(word) not in STEM_LENGTHS:
            return
        keys, stems = self._stems_of(len(word))
        hits = _near(word, keys, 1)
        terms = [(int(d), t) for stem, d, _ in hits for t in stems[stem]]
        for distance, term in heapq.nsmallest(
            MAX_NEAR, terms, key=lambda p: (p[0], len(p[1]), -self.df.get(p[1], 0), p[1])
        ):
            sim = prefix_similarity(word, term) * (1.0 - distance / len(word))
            _raise(found, term, 0.9 * sim)

    def _stems_of(self, length: int) -> tuple[list[str], dict[str, list[str]]]:
        cached = self._stems.get(length)
        if cached is None:
            stems: dict[str, list[str]] = {}
            for term in self._sorted:
                if len(term) > length:
                    stems.setdefault(term[:length], []).append(term)
            cached = self._stems[length] = (list(stems), stems)
        return cached


def parse_query(text: str, vocab: Vocabulary) -> list[Unit]:
    """The units of a query: synonym phrases first ("segunda via"), then single words.

    The last word counts as unfinished when the text does not end in a space
    or punctuation; a stop word being typed ("com") becomes a weak prefix unit,
    and so does a word that is also a trade term ("os", see ``WEAK_WORDS``).
    """
    typing = bool(text) and text[-1].isalnum()
    tokens = _without_stop_pairs([t.norm for t in words(text)])
    last = tokens[-1] if tokens and typing else None
    kept = list(dict.fromkeys(t for t in tokens if is_content(t)))[:MAX_QUERY_WORDS]
    partial = last is not None and bool(kept) and kept[-1] == last
    units: list[Unit] = []
    i = 0
    while i < len(kept):
        match = vocab.phrase_at(kept, i, partial)
        if match is not None:
            size, key, sim = match
            alternatives = dict(vocab.group_members(key, sim, SYNONYM))
            units.append(Unit(alternatives, words=tuple(kept[i : i + size])))
            i += size
            continue
        kind = word_kind(kept[i])
        factor = STOP_PREFIX if kept[i] in WEAK_WORDS else GENERIC if kind == "generic" else 1.0
        units.append(word_unit(kept[i], vocab, partial and i == len(kept) - 1, factor=factor))
        i += 1
    if last is not None and not is_content(last) and len(last) >= 2:
        units.append(word_unit(last, vocab, True, prefix_only=True, factor=STOP_PREFIX))
    return units


def word_unit(
    word: str, vocab: Vocabulary, typing: bool, prefix_only: bool = False, factor: float = 1.0
) -> Unit:
    """A query word with what it may stand for: itself, completions, corrections, synonyms."""
    alternatives: dict[str, float] = {}
    for term, sim in vocab.lookup(word, typing, prefix_only):
        _raise(alternatives, term, sim)
        for key, value in vocab.group_members(term, sim, SYNONYM):
            _raise(alternatives, key, value)
    if prefix_only:
        return Unit(alternatives, factor, (word,), "generic")
    if len(word) > 3:
        _raise(alternatives, stem_term(word), STEM)
        if not typing and word not in alternatives:
            for key, value in vocab.stem_group_members(word, STEM * SYNONYM):
                _raise(alternatives, key, value)
    # Other forms of the synonyms too: "grátis" finds "gratuitos" through "gratuito".
    for key, value in list(alternatives.items()):
        if value < 1.0 and " " not in key and len(key) > 3 and not key.startswith(STEM_MARK):
            _raise(alternatives, stem_term(key), value * STEM)
    return Unit(alternatives, factor, (word,), word_kind(word))


def _without_stop_pairs(norms: list[str]) -> list[str]:
    """The words of a query without pairs that mean something else ("de novo": again)."""
    out: list[str] = []
    skip = False
    for first, second in zip(norms, [*norms[1:], ""], strict=False):
        if skip:
            skip = False
            continue
        if (first, second) in STOP_PAIRS:
            skip = True
            continue
        out.append(first)
    return out


def _raise(values: dict[str, float], key: str, value: float) -> None:
    if value > values.get(key, 0.0):
        values[key] = value
