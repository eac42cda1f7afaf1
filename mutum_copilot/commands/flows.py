"""``mutum-copilot flows [ID] [--full]``: list the triage flows, or show one as a tree.

The tree lets a supervisor review a flow without reading YAML (see
:mod:`mutum_copilot.commands.flows_render`, imported only when needed so that
the other commands never load rich).
"""

from __future__ import annotations

import argparse
import sys

from mutum_copilot.commands.common import load_pack_or_report
from mutum_copilot.safetext import clean_line
from mutum_copilot.yamlkit.suggest import suggest


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "flows",
        help="list the triage flows, or show one as a tree",
        description="List the triage flows, or print one as a tree for review.",
    )
    parser.add_argument("flow_id", nargs="?", metavar="ID", help="the flow to show")
    parser.add_argument("--full", action="store_true", help="also show the shared opening")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    pack = load_pack_or_report(args)
    if pack is None:
        return 2
    from rich.console import Console

    from mutum_copilot.commands.flows_render import flow_table, flow_tree
    from mutum_copilot.knowledge.facts import FactTable

    console = Console(highlight=False)
    if not args.flow_id:
        console.print(flow_table(pack.flows))
        return 0
    flow = pack.flows.get(args.flow_id)
    if flow is None:
        hint = suggest(args.flow_id, pack.flows)
        shown = clean_line(args.flow_id)
        print(f'unknown flow "{shown}"{hint}; see: mutum-copilot flows', file=sys.stderr)
        return 2
    console.print(flow_tree(flow, FactTable(pack.facts), full=args.full))
    return 0
