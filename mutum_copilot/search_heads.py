"""The questions and aliases of every FAQ entry, packed for the search's coverage bonus.

After ranking by the words matched, :class:`mutum_copilot.search.SearchIndex`
gives its best few dozen candidates a bonus for how much of one of their heads
(the question or one alias) the query covers, so a query equal to an alias
wins. This module holds those heads as word ids in flat arrays.
"""

from __future__ import annotations

from array import array
from itertools import repeat


class Heads:
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
