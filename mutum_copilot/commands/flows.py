"""``mutum-copilot flows [ID] [--full] [--provider ID]``: list the triage flows, or show one.

The tree lets a supervisor review a flow without reading YAML (see
:mod:`mutum_copilot.commands.flows_render`, imported only when needed so that
the other commands never load rich). With several packs the list shows each
pack's flows under its name, id and version; a flow id found in one pack only
is shown from it, one found in several needs ``--provider``.
"""

from __future__ import annotations

import argparse
import sys

from mutum_copilot.commands.common import (
    add_provider_option,
    chosen_entries,
    load_catalog_or_report,
    pack_label,
)
from mutum_copilot.safetext import clean_line
from mutum_copilot.yamlkit.suggest import suggest


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "flows",
        help="lista os fluxos de triagem, ou mostra um como árvore",
        description="Lista os fluxos de triagem, ou imprime um como árvore para revisão.",
    )
    parser.add_argument("flow_id", nargs="?", metavar="ID", help="o fluxo a mostrar")
    parser.add_argument("--full", action="store_true", help="mostra também a abertura comum")
    add_provider_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog_or_report(args)
    entries = None if catalog is None else chosen_entries(args, catalog)
    if catalog is None or entries is None:
        return 2
    from rich.console import Console
    from rich.markup import escape

    from mutum_copilot.commands.flows_render import flow_table, flow_tree
    from mutum_copilot.knowledge.facts import FactTable
    from mutum_copilot.triage.context import by_name, context_fields

    console = Console(highlight=False)
    if not args.flow_id:
        for number, entry in enumerate(entries):
            table = flow_table(entry.pack.flows)
            table.title = f"Fluxos de triagem: {escape(pack_label(entry))}"
            if number:
                console.print()
            console.print(table)
        return 0
    holding = [e for e in entries if args.flow_id in e.pack.flows]
    if len(holding) > 1 and catalog.preset and catalog.default in holding:
        holding = [catalog.default]
    if not holding:
        known = {f for e in entries for f in e.pack.flows}
        hint = suggest(args.flow_id, known)
        shown = clean_line(args.flow_id)
        print(f'fluxo desconhecido "{shown}"{hint}; veja: mutum-copilot flows', file=sys.stderr)
        return 2
    if len(holding) > 1:
        ids = ", ".join(e.id for e in holding)
        print(
            f'o fluxo "{clean_line(args.flow_id)}" existe em {len(holding)} provedores ({ids}); '
            "escolha um com --provider ID",
            file=sys.stderr,
        )
        return 2
    pack = holding[0].pack
    flow = pack.flows[args.flow_id]
    fields = by_name(context_fields(pack.facts))
    if len(catalog) > 1:
        console.print(f"[dim]{escape(pack_label(holding[0]))}[/]")
    console.print(flow_tree(flow, FactTable(pack.facts), full=args.full, fields=fields))
    return 0
