"""``mutum-copilot ask "QUERY" [--limit N] [--json]``: search the FAQ from the shell.

The same search as the TUI's side pane (:mod:`mutum_copilot.search`), for a
quick answer without opening the TUI, or for scripts (``--json``: one object,
best result first). Textual is never imported here, and rich only for the
readable view.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from mutum_copilot.commands.common import load_pack_or_report
from mutum_copilot.safetext import clean, clean_line
from mutum_copilot.search import SearchHit, SearchIndex, highlight_spans

DEFAULT_LIMIT = 5
MAX_LIMIT = 100


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="search the FAQ and print the best answers",
        description=(
            "Search the FAQ as the TUI does (accents, typos, synonyms and word "
            "order do not matter) and print the best answers, best first."
        ),
    )
    parser.add_argument("query", nargs="+", help='what the customer asks, e.g. "net caiu"')
    parser.add_argument(
        "--limit",
        default=str(DEFAULT_LIMIT),
        metavar="N",
        help=f"how many answers, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run)


def parse_limit(text: str) -> int:
    """``--limit`` as typed; a ValueError names the accepted range."""
    try:
        limit = int(text.strip())
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"--limit must be a whole number from 1 to {MAX_LIMIT}, got {text!r}")
    return limit


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """One result as ``ask --json`` prints it."""
    entry = hit.entry
    return {
        "id": entry.id,
        "question": entry.question,
        "answer": clean(entry.answer),
        "score": round(hit.score, 4),
        "say": clean(entry.say),
        "guidance": clean(entry.guidance),
        "matched": list(hit.matched_terms),
    }


def run(args: argparse.Namespace) -> int:
    try:
        limit = parse_limit(args.limit)
    except ValueError as exc:
        print(f"mutum-copilot ask: {exc}", file=sys.stderr)
        return 2
    pack = load_pack_or_report(args)
    if pack is None:
        return 2
    query = clean_line(" ".join(args.query))  # echoed back: no control character
    hits = SearchIndex.build(pack.faq, pack.synonyms).search(query, limit=limit)
    if args.json:
        report = {"query": query, "results": [hit_json(h) for h in hits]}
        print(json.dumps(report, ensure_ascii=False))
    else:
        _render(query, hits)
    return 0


def _render(query: str, hits: list[SearchHit]) -> None:
    """The readable view: question in bold, what to say apart from the agent's guidance."""
    from rich.console import Console  # lazily: --json never pays for rich
    from rich.padding import Padding
    from rich.text import Text

    console = Console(highlight=False)
    if not hits:
        console.print(
            Text(f"Nada encontrado para “{query.strip()}”. Tente outras palavras.", "yellow")
        )
        return

    def marked(text: str, matched: tuple[str, ...], style: str = "") -> Text:
        text = clean(text)  # the pack's loader refuses them; the terminal never sees one
        out = Text(text, style)
        for start, end in highlight_spans(text, matched):
            out.stylize("bold reverse", start, end)
        return out

    for number, hit in enumerate(hits, 1):
        entry, matched = hit.entry, hit.matched_terms
        if number > 1:
            console.rule(style="dim")
        title = Text(f"{number}. ", "bold")
        title.append_text(marked(entry.question, matched, "bold"))
        title.append(f"  {entry.section} · {hit.score:.0%}", "dim")
        console.print(title)
        if entry.say:
            console.print(Padding(Text("Diga ao cliente:", "green"), (0, 0, 0, 2), expand=False))
            console.print(Padding(marked(entry.say, matched), (0, 0, 0, 4), expand=False))
        if entry.guidance:
            console.print(
                Padding(Text("Orientação ao atendente:", "cyan"), (0, 0, 0, 2), expand=False)
            )
            console.print(
                Padding(marked(entry.guidance, matched, "italic"), (0, 0, 0, 4), expand=False)
            )
