"""The ``mutum-copilot`` command: parse arguments and hand over to a subcommand.

Subcommands live in :mod:`mutum_copilot.commands` and are imported only when
chosen, so quick answers (``ask``, ``shift``) never pay for the TUI's imports.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mutum_copilot import __version__

COMMANDS = ("check", "shift", "flows", "ask", "history")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mutum-copilot",
        description="Copiloto de atendimento da Mutum Fibra: triagem guiada, FAQ e relógio do N1.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--knowledge", metavar="DIR", help="knowledge pack folder (default: the bundled pack)"
    )
    parser.add_argument("--config", metavar="FILE", help="config file (default: the user's)")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"mutum_copilot.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    if run is None:  # no command: the TUI
        from mutum_copilot.commands.app import run
    try:
        return int(run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0
