"""``mutum-copilot ask "PERGUNTA" [--limit N] [--json]``: search the FAQ from the shell.

The same search as the TUI's side pane (:mod:`mutum_copilot.search`), for a
quick answer without opening the TUI, or for scripts (``--json``: one object,
best result first, with a top-level ``answered``). When nothing in the pack
answers the query, the readable view says "Nada no documento sobre isso" and
what to do, above the weak matches, marked as such. Textual is never imported
here, and rich only for the readable view. Pack texts pass through
:func:`mutum_copilot.safetext.clean` on their way to the terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from mutum_copilot.commands.common import (
    add_provider_option,
    chosen_entries,
    load_catalog_or_report,
)
from mutum_copilot.packs.catalog import CatalogResult, PackEntry
from mutum_copilot.safetext import clean, clean_line
from mutum_copilot.search import SearchHit, highlight_spans
from mutum_copilot.search_hits import NO_ANSWER, NO_ANSWER_ADVICE, WEAK_MARK

DEFAULT_LIMIT = 5
MAX_LIMIT = 100


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="busca no FAQ e mostra as melhores respostas",
        description=(
            "Busca no FAQ como o painel do TUI (acentos, erros de digitação, sinônimos e "
            "a ordem das palavras não importam) e mostra as melhores respostas. Diz "
            '"Nada no documento sobre isso" quando o pacote não tem a resposta.'
        ),
    )
    parser.add_argument(
        "query", nargs="+", metavar="PERGUNTA", help='o que o cliente pergunta, ex.: "net caiu"'
    )
    parser.add_argument(
        "--limit",
        default=str(DEFAULT_LIMIT),
        metavar="N",
        help=f"quantas respostas, de 1 a {MAX_LIMIT} (padrão {DEFAULT_LIMIT})",
    )
    parser.add_argument("--json", action="store_true", help="imprime um objeto JSON")
    add_provider_option(parser)
    parser.set_defaults(run=run)


def parse_limit(text: str) -> int:
    """``--limit`` as typed; a ValueError (pt-BR) names the accepted range."""
    try:
        limit = int(text.strip())
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"--limit precisa ser um número inteiro de 1 a {MAX_LIMIT}: {text!r}")
    return limit


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """One result as ``ask --json`` prints it."""
    entry = hit.entry
    return {
        "id": entry.id,
        "question": clean(entry.question),
        "answer": clean(entry.answer),
        "score": round(hit.score, 4),
        "weak": hit.weak,
        "say": clean(entry.say),
        "if_asked": clean(entry.if_asked),
        "guidance": clean(entry.guidance),
        "matched": [clean(t) for t in hit.matched_terms],
    }


def report_json(result: CatalogResult, entries: Sequence[PackEntry]) -> dict[str, Any]:
    """Everything ``ask --json`` prints: ``answered`` is False when nothing answers."""
    return {
        "query": clean(result.query),
        "answered": result.answered,
        "packs": [{"id": e.id, "version": e.version, "name": clean_line(e.name)} for e in entries],
        "results": [{**hit_json(h.hit), "pack": h.pack_id} for h in result.hits],
    }


def run(args: argparse.Namespace) -> int:
    try:
        limit = parse_limit(args.limit)
    except ValueError as exc:
        print(f"mutum-copilot ask: {exc}", file=sys.stderr)
        return 2
    catalog = load_catalog_or_report(args, cached=True)
    entries = None if catalog is None else chosen_entries(args, catalog)
    if catalog is None or entries is None:
        return 2
    query = clean_line(" ".join(args.query))  # echoed back: no control character
    result = catalog.find(query, limit, pack_id=entries[0].id if len(entries) == 1 else None)
    if args.json:
        print(json.dumps(report_json(result, entries), ensure_ascii=False))
    else:
        _render(result, several=len(entries) > 1)
    return 0


def _render(result: CatalogResult, several: bool = False) -> None:
    """The readable view: question in bold, what to say apart from the agent's guidance.

    ``several``: more than one pack was searched, so each hit names its provider.
    """
    from rich.console import Console  # lazily: --json never pays for rich
    from rich.padding import Padding
    from rich.text import Text

    console = Console(highlight=False)
    query = clean(result.query).strip()
    if not result.hits:
        console.print(Text(f"{NO_ANSWER} Nada encontrado para “{query}”.", "bold yellow"))
        console.print(Text(f"O que fazer: {NO_ANSWER_ADVICE}", "yellow"))
        return
    if not result.answered:
        console.print(Text(f"{NO_ANSWER} (“{query}”)", "bold yellow"))
        console.print(Text(f"O que fazer: {NO_ANSWER_ADVICE}", "yellow"))
        console.print(Text("Resultados fracos, que não respondem à pergunta:", "dim"))

    def marked(text: str, matched: tuple[str, ...], style: str = "") -> Text:
        out = Text(clean(text), style)
        for start, end in highlight_spans(out.plain, matched):
            out.stylize("bold reverse", start, end)
        return out

    def block(label: str, style: str, text: Text) -> None:
        console.print(Padding(Text(label, style), (0, 0, 0, 2), expand=False))
        console.print(Padding(text, (0, 0, 0, 4), expand=False))

    for number, labelled in enumerate(result.hits, 1):
        hit = labelled.hit
        entry, matched = hit.entry, hit.matched_terms
        if number > 1 or not result.answered:
            console.rule(style="dim")
        title = Text(f"{number}. ", "bold")
        title.append_text(marked(entry.question, matched, "dim" if hit.weak else "bold"))
        where = f"{clean_line(labelled.provider)} · " if several else ""
        title.append(f"  {where}{clean(entry.section)} · {hit.score:.0%}", "dim")
        if hit.weak:
            title.append(f" · {WEAK_MARK}", "yellow")
        console.print(title)
        if entry.say:
            block("Diga ao cliente:", "green", marked(entry.say, matched))
        if entry.if_asked:
            block("Só se o cliente perguntar:", "yellow", marked(entry.if_asked, matched))
        if entry.guidance:
            block("Orientação ao atendente:", "cyan", marked(entry.guidance, matched, "italic"))
