"""FAQ search benchmark: our index against plain rapidfuzz and Textual's fuzzy matcher.

Run from the repository root::

    .venv/bin/python -m bench.search_bench                      # shipped pack, 1k, 10k, 100k
    .venv/bin/python -m bench.search_bench --sizes 1000,10000 --json /tmp/search-bench.json

For the shipped pack and each synthetic size (:mod:`bench.synthetic`) it
reports, per method, the median and p99 time of one query (>= 200 queries of
3-25 characters with typos, accents dropped and unfinished last words, the
same for every method), the build time and the memory the build keeps
(tracemalloc). Methods:

- ``mutum``: :class:`mutum_copilot.search.SearchIndex`, word caches cleared
  before every query (cold: the worst case);
- ``mutum-typing``: the same, one query per keystroke as the agent types, with
  the caches of the previous keystrokes (what the TUI sees);
- ``wratio``: ``rapidfuzz.process.extract(query, texts, scorer=fuzz.WRatio)``
  over each entry's question, aliases, tags, say and guidance, pre-processed
  once with ``utils.default_process``;
- ``textual``: ``textual.fuzzy.Matcher(query).match(question)`` looped over
  the questions (what a command palette does).

Each query runs ``--repeat`` times (default 3) and counts its fastest run, so
that other processes on the machine do not pass for search latency; slow
methods stop after ``--budget`` seconds per size (at least 5 queries) and say
how many queries they ran. Quality: hit@1 and hit@3 of each method on
``tests/data/search_queries.yaml`` over the shipped pack.
"""

from __future__ import annotations

import argparse
import gc
import heapq
import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from bench.synthetic import REAL_PACK, generate
from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.search import SearchIndex

QUERY_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "search_queries.yaml"
Search = Callable[[str], list[str]]  # query -> entry ids, best first
LIMIT = 10


def make_queries(entries: list[FaqEntry], count: int, seed: int = 7) -> list[str]:
    """Queries as agents type them: 1-3 words of a question or alias, typos, no accents."""
    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        entry = rng.choice(entries)
        source = rng.choice([entry.question, entry.question, *entry.aliases, *entry.tags])
        words = source.rstrip("?.!").split()
        start = rng.randrange(len(words))
        query = " ".join(words[start : start + rng.randint(1, 3)])
        if rng.random() < 0.5:
            query = _strip_accents(query)
        if rng.random() < 0.7:
            query = query.lower()
        for _ in range(rng.choice((0, 1, 1, 2))):
            query = _typo(query, rng)
        if rng.random() < 0.3 and len(query) > 6:
            query = query[: rng.randint(len(query) - 3, len(query) - 1)]  # still typing
        query = query[:25].strip()
        if len(query) >= 3:
            queries.append(query)
    return queries


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == "drop":
        return text[:i] + text[i + 1 :]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    return text[:i] + rng.choice("aeiourstnm") + text[i + 1 :]


# -- the methods ---------------------------------------------------------------


def build_mutum(entries: list[FaqEntry], synonyms: Any) -> tuple[Search, Callable[[], None]]:
    index = SearchIndex.build(entries, synonyms)
    return (lambda q: [h.id for h in index.search(q, LIMIT)]), index.clear_cache


def build_wratio(entries: list[FaqEntry], synonyms: Any) -> tuple[Search, Callable[[], None]]:
    from rapidfuzz import fuzz, process, utils

    texts = [
        utils.default_process(" ".join((e.question, *e.aliases, *e.tags, e.say, e.guidance)))
        for e in entries
    ]
    ids = [e.id for e in entries]

    def search(query: str) -> list[str]:
        found = process.extract(
            utils.default_process(query), texts, scorer=fuzz.WRatio, processor=None, limit=LIMIT
        )
        return [ids[i] for _, _, i in found]

    return search, lambda: None


def build_textual(entries: list[FaqEntry], synonyms: Any) -> tuple[Search, Callable[[], None]]:
    from textual.fuzzy import Matcher

    questions = [e.question for e in entries]
    ids = [e.id for e in entries]

    def search(query: str) -> list[str]:
        matcher = Matcher(query)
        scores = [matcher.match(q) for q in questions]
        best = heapq.nlargest(LIMIT, range(len(scores)), key=scores.__getitem__)
        return [ids[i] for i in best if scores[i] > 0]

    return search, lambda: None


METHODS = {"mutum": build_mutum, "wratio": build_wratio, "textual": build_textual}


# -- measuring ---------------------------------------------------------------


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1e3, "p99_ms": p99 * 1e3, "n": len(times)}


def timed(run: Callable[[], object], clear: Callable[[], None], repeat: int) -> float:
    """The fastest of ``repeat`` runs, caches cleared before each."""
    best = float("inf")
    for _ in range(repeat):
        clear()
        begin = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - begin)
    return best


def measure(
    name: str,
    entries: list[FaqEntry],
    synonyms: Any,
    queries: list[str],
    budget: float,
    memory: bool,
    repeat: int,
) -> dict[str, Any]:
    gc.collect()
    started = time.perf_counter()
    search, clear = METHODS[name](entries, synonyms)
    figures: dict[str, Any] = {"build_s": time.perf_counter() - started}
    if memory:
        del search
        gc.collect()
        tracemalloc.start()
        search, clear = METHODS[name](entries, synonyms)
        figures["memory_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
    search(queries[0])  # warm up imports and lazy tables
    times: list[float] = []
    deadline = time.perf_counter() + budget
    for query in queries:
        times.append(timed(partial(search, query), clear, repeat))
        if time.perf_counter() > deadline and len(times) >= 5:
            break
    figures.update(percentiles(times))
    if name == "mutum":
        figures["typing"] = measure_typing(search, clear, queries, budget, repeat)
    return figures


def measure_typing(
    search: Search, clear: Callable[[], None], queries: list[str], budget: float, repeat: int
) -> dict[str, float]:
    """One search per keystroke, the caches kept between keystrokes of one query."""
    times: list[float] = []
    deadline = time.perf_counter() + budget
    for query in queries:
        best = [float("inf")] * len(query)
        for _ in range(repeat):
            clear()
            for end in range(1, len(query) + 1):
                begin = time.perf_counter()
                search(query[:end])
                best[end - 1] = min(best[end - 1], time.perf_counter() - begin)
        times += best
        if time.perf_counter() > deadline:
            break
    return percentiles(times)


def quality(entries: list[FaqEntry], synonyms: Any) -> dict[str, dict[str, float]]:
    """hit@1 and hit@3 of every method on the hand-written query set."""
    if not QUERY_SET.exists():
        return {}
    cases = yaml.safe_load(QUERY_SET.read_text(encoding="utf-8"))["queries"]
    out = {}
    for name, build in METHODS.items():
        search, _ = build(entries, synonyms)
        at1 = at3 = 0
        for case in cases:
            good = {case["expect"], *case.get("also", ())}
            found = search(str(case["query"]))
            at1 += bool(found[:1]) and found[0] in good
            at3 += bool(good & set(found[:3]))
        out[name] = {"hit@1": at1 / len(cases), "hit@3": at3 / len(cases), "n": len(cases)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="synthetic sizes")
    parser.add_argument("--queries", type=int, default=300, help="queries per size (>= 200)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per method and size")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated")
    parser.add_argument("--pack", type=Path, default=REAL_PACK, help="the shipped pack folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query, fastest counts")
    parser.add_argument("--no-memory", action="store_true", help="skip tracemalloc (faster)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args(argv)
    pack = load_pack(args.pack)
    methods = [m for m in args.methods.split(",") if m]
    sizes: list[tuple[str, list[FaqEntry]]] = [("shipped", list(pack.faq))]
    sizes += [(f"{int(n):,}", []) for n in args.sizes.split(",") if n]
    results: dict[str, Any] = {"sizes": {}, "quality": quality(list(pack.faq), pack.synonyms)}
    _print_header()
    for label, entries in sizes:
        if not entries:
            entries = generate(int(label.replace(",", "")))
        queries = make_queries(entries, max(200, args.queries))
        row: dict[str, Any] = {"entries": len(entries), "methods": {}}
        for name in methods:
            figures = measure(
                name, entries, pack.synonyms, queries, args.budget, not args.no_memory, args.repeat
            )
            row["methods"][name] = figures
            _print_row(label, len(entries), name, figures)
            if "typing" in figures:
                _print_row(label, len(entries), "mutum-typing", figures["typing"])
        results["sizes"][label] = row
        del entries
    _print_quality(results["quality"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def _print_header() -> None:
    print(
        f"{'size':>9} {'method':<13} {'median':>9} {'p99':>9} {'n':>6} {'build':>8} {'memory':>9}"
    )


def _print_row(label: str, n: int, name: str, f: dict[str, Any]) -> None:
    build = f"{f['build_s']:.2f}s" if "build_s" in f else ""
    memory = f"{f['memory_mb']:.1f}MB" if "memory_mb" in f else ""
    print(
        f"{label:>9} {name:<13} {f['median_ms']:>7.3f}ms {f['p99_ms']:>7.3f}ms "
        f"{f['n']:>6} {build:>8} {memory:>9}",
        flush=True,
    )


def _print_quality(quality: dict[str, dict[str, float]]) -> None:
    if not quality:
        print(f"(no {QUERY_SET}: no quality figures)")
        return
    n = next(iter(quality.values()))["n"]
    print(f"\nquality on {n} hand-written queries (shipped pack):")
    for name, q in quality.items():
        print(f"  {name:<8} hit@1 {q['hit@1']:.3f}  hit@3 {q['hit@3']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
