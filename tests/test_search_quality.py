"""Search quality on the hand-written query set: how agents really type, and what they want.

Every query's expected entry (or one of its ``also``) must be in the top 3,
and at least 90% must be first. Plain rapidfuzz WRatio over the same texts is
the baseline the index must beat (both printed with ``pytest -s``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from rapidfuzz import fuzz, process, utils

from mutum_copilot.packs.model import Pack
from mutum_copilot.search import SearchIndex

QUERY_SET = Path(__file__).resolve().parent / "data" / "search_queries.yaml"
MIN_HIT_AT_1 = 0.9

Search = Callable[[str], list[str]]


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    if not QUERY_SET.exists():
        pytest.skip(f"{QUERY_SET} not written yet")
    data = yaml.safe_load(QUERY_SET.read_text(encoding="utf-8"))
    return list(data["queries"])


def evaluate(search: Search, cases: list[dict[str, Any]]) -> tuple[float, float, list[str]]:
    """hit@1, hit@3, and a line per query whose expected entry is not in the top 3."""
    at1 = at3 = 0
    misses = []
    for case in cases:
        good = {case["expect"], *case.get("also", ())}
        found = search(str(case["query"]))
        at1 += bool(found[:1]) and found[0] in good
        if good & set(found[:3]):
            at3 += 1
        else:
            misses.append(f"{case['query']!r}: expected {case['expect']}, got {found[:3]}")
    return at1 / len(cases), at3 / len(cases), misses


def test_expected_ids_exist(pack: Pack, cases: list[dict[str, Any]]) -> None:
    ids = {e.id for e in pack.faq}
    unknown = [
        (c["query"], i) for c in cases for i in (c["expect"], *c.get("also", ())) if i not in ids
    ]
    assert not unknown, f"query set names entries the pack does not have: {unknown}"


def test_search_quality(pack: Pack, cases: list[dict[str, Any]]) -> None:
    index = SearchIndex.build(pack.faq, pack.synonyms)
    at1, at3, misses = evaluate(lambda q: [h.id for h in index.search(q, limit=3)], cases)
    print(f"\nmutum search: hit@1 {at1:.3f}, hit@3 {at3:.3f} on {len(cases)} queries")
    assert not misses, "expected entry not in the top 3:\n" + "\n".join(misses)
    assert at1 >= MIN_HIT_AT_1


def test_the_index_beats_plain_wratio(pack: Pack, cases: list[dict[str, Any]]) -> None:
    """The baseline the index replaces: rapidfuzz WRatio over each entry's whole text."""
    texts = [
        utils.default_process(" ".join((e.question, *e.aliases, *e.tags, e.say, e.guidance)))
        for e in pack.faq
    ]

    def search(query: str) -> list[str]:
        found = process.extract(
            utils.default_process(query), texts, scorer=fuzz.WRatio, processor=None, limit=3
        )
        return [pack.faq[i].id for _, _, i in found]

    at1, at3, _ = evaluate(search, cases)
    print(f"\nplain rapidfuzz WRatio: hit@1 {at1:.3f}, hit@3 {at3:.3f} on {len(cases)} queries")
    index = SearchIndex.build(pack.faq, pack.synonyms)
    ours = evaluate(lambda q: [h.id for h in index.search(q, limit=3)], cases)
    assert ours[0] > at1 and ours[1] > at3


HOLDOUT_SET = QUERY_SET.with_name("search_queries_holdout.yaml")


def test_search_generalises_to_held_out_queries(pack: Pack) -> None:
    """Queries written apart from the aliases: a softer bar, but the same shape."""
    data = yaml.safe_load(HOLDOUT_SET.read_text(encoding="utf-8"))
    index = SearchIndex.build(pack.faq, pack.synonyms)
    at1, at3, misses = evaluate(lambda q: [h.id for h in index.search(q, limit=3)], data["queries"])
    assert at3 >= 0.95 and at1 >= 0.85, f"hit@1 {at1:.2f}, hit@3 {at3:.2f}; misses: {misses}"
