"""The ``mutum-copilot`` command: parse arguments and hand over to a subcommand.

Every exit status means something: 0 done, 1 a check found something (or an
unexpected error, logged with its traceback, never shown), 2 bad input or a
broken pack/config, 130 interrupted.

Subcommands live in :mod:`mutum_copilot.commands` and are imported only when
chosen, so quick answers (``ask``, ``shift``) never pay for the TUI's imports,
nor for the other commands' (the whole process must answer in well under
0.3 s; see BENCHMARKS.md). Help and usage errors still list every command.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from mutum_copilot import gcpause

COMMANDS = ("check", "ask", "shift", "flows", "history", "vault", "pack", "lookup", "report")
#: Answered in a fraction of a second: the cyclic GC stays paused until they return.
QUICK_COMMANDS = ("ask", "shift")
#: Global options that take a value (argparse also accepts any unambiguous prefix).
_VALUE_OPTIONS = ("--knowledge", "--config")


class _VersionAction(argparse.Action):
    """``--version``, reading the installed version only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from mutum_copilot import __version__

        print(f"{parser.prog} {__version__}")  # to stdout, as argparse's own action does
        parser.exit()


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names; ``""`` for none (the TUI); None when unsure.

    None (help, an unknown word) means: register every command, so argparse
    shows them all in the help or in its "invalid choice" message.
    """
    args = iter(argv)
    for arg in args:
        if arg in ("-h", "--help"):
            return None
        if arg == "--":
            arg = next(args, "")
            return arg if arg in COMMANDS else None
        if arg.startswith("--") and "=" not in arg:
            if len(arg) > 2 and any(o.startswith(arg) for o in _VALUE_OPTIONS):
                next(args, None)  # the option's value, whatever it looks like
            continue
        if arg.startswith("-") and arg != "-":
            continue
        return arg if arg in COMMANDS else None
    return ""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with ``command`` registered (``""``: none; None: every command)."""
    from mutum_copilot import argtext

    argtext.install()  # argparse's own texts (usage, errors, -h) in pt-BR
    parser = argparse.ArgumentParser(
        prog="mutum-copilot",
        description="Copiloto de atendimento da Mutum Fibra: triagem guiada, FAQ e relógio do N1.",
    )
    parser.add_argument("--version", action=_VersionAction, help="mostra a versão e sai")
    parser.add_argument(
        "--knowledge",
        metavar="PASTA",
        help="pasta do pacote de conhecimento (padrão: o pacote embutido)",
    )
    parser.add_argument(
        "--config", metavar="ARQUIVO", help="arquivo de configuração (padrão: o do usuário)"
    )
    subparsers = parser.add_subparsers(title="comandos", metavar="COMANDO")
    for name in COMMANDS if command is None else (command,) if command else ():
        importlib.import_module(f"mutum_copilot.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    gcpause.pause()  # start-up makes objects that live as long as the process
    try:
        return _dispatch(argv)
    finally:
        gcpause.resume()


def _dispatch(argv: Sequence[str]) -> int:
    command = chosen_command(argv)
    parser = build_parser(command)
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    if run is None:  # no command: the TUI (it resumes the GC after its first frame)
        from mutum_copilot.commands.app import run as run_tui

        run = run_tui
    elif command not in QUICK_COMMANDS:
        gcpause.resume()  # a report or a history export may run for a long time
    try:
        return int(run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug: a short message, the traceback in the log, status 1
        return _crashed(exc)


def _crashed(error: Exception) -> int:
    """An unexpected error: logged with its traceback (scrubbed), one line for the person."""
    from mutum_copilot.logs import get_logger, setup_error_log

    log = setup_error_log()
    get_logger("cli").error("unexpected error", exc_info=error)
    where = f" Detalhes em {log}." if log is not None else ""
    print(f"mutum-copilot: erro inesperado ({type(error).__name__}).{where}", file=sys.stderr)
    return 1
