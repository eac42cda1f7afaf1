"""``mutum-copilot history purge|export``: the supervisor's side of the call history.

The app already purges calls older than ``retention_days`` at every start
(LGPD: keep customer data no longer than needed); ``purge`` does it on demand,
e.g. before a machine changes hands. ``export`` gives a supervisor the calls
started since a date, as CSV (one row per call, for a spreadsheet) or JSON
(``{"calls": [...]}``, for scripts). An export carries nothing the history does
not keep: CPFs are stored masked, and a finished call's phones live only in its
OS note (``note_text``), which is what the provider receives anyway. Every text
of an export is cleaned of control characters and masked once more (a row
planted in the file cannot drive the terminal it is printed to), and a file
written with ``--output`` is owner-only.

Neither action creates a history: a missing or unreadable database is a clean
message and exit 2, like every bad input of the CLI. Textual is never imported.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from mutum_copilot.clock import system_clock
from mutum_copilot.commands.common import parse_typed_instant, shown_input
from mutum_copilot.commands.history_rows import CSV_COLUMNS, call_row, to_csv, to_json
from mutum_copilot.config import MAX_RETENTION_DAYS, Settings, load_settings
from mutum_copilot.errors import InputError, MutumError, PackError, ProblemsError
from mutum_copilot.files import open_private

if TYPE_CHECKING:  # sqlite3 is loaded only when a history action runs, not for every command
    from mutum_copilot.history import HistoryStore

__all__ = ["CSV_COLUMNS", "parse_days", "parse_since", "register", "run_export", "run_purge"]

Clock = Callable[[], datetime]
PROG = "mutum-copilot history"
#: A spreadsheet runs a cell that starts with one of these as a formula.
#: ``01/11/2026`` (and ``01/11/2026 08:00``): the way a supervisor in Brazil writes a date.
_BRAZILIAN_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?\s*")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--history",
        metavar="ARQUIVO",
        help=(
            "banco do histórico (padrão: o history_path da configuração, senão a pasta de "
            "dados do usuário)"
        ),
    )
    parser = subparsers.add_parser(
        "history",
        help="apaga ou exporta o histórico de chamadas (supervisão)",
        description="Apaga chamadas antigas do histórico, ou exporta as chamadas desde uma data.",
    )
    actions = parser.add_subparsers(title="ações", metavar="AÇÃO", required=True)
    purge = actions.add_parser(
        "purge",
        parents=[common],
        help="apaga as chamadas com mais de N dias",
        description="Apaga toda chamada iniciada há mais de DIAS dias.",
    )
    purge.add_argument(
        "--older-than",
        metavar="DIAS",
        help=(
            f"idade em dias, de 1 a {MAX_RETENTION_DAYS} "
            "(padrão: o retention_days da configuração, 90)"
        ),
    )
    purge.add_argument("--yes", action="store_true", help="não pede confirmação")
    purge.set_defaults(run=run_purge)
    export = actions.add_parser(
        "export",
        parents=[common],
        help="exporta as chamadas iniciadas desde uma data (CSV ou JSON)",
        description=(
            "Exporta as chamadas iniciadas desde DATA, uma linha (CSV) ou um objeto (JSON) cada."
        ),
    )
    export.add_argument(
        "--since",
        metavar="DATA",
        required=True,
        help=(
            "dd/mm/aaaa (ex.: 01/11/2026), AAAA-MM-DD ou data e hora ISO, como"
            " 2026-11-01T08:00 (lida no fuso do atendente)"
        ),
    )
    export.add_argument(
        "--format",
        choices=("csv", "json"),
        help="formato da saída (padrão: pela extensão de --output, senão csv)",
    )
    export.add_argument("--output", metavar="ARQUIVO", help="grava aqui em vez de na tela")
    export.set_defaults(run=run_export)


# --- parsing what the supervisor typed ------------------------------------------------
def parse_days(text: str) -> int:
    """``--older-than`` as typed; InputError names the accepted range."""
    try:
        days = int(text.strip())
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise InputError(
            f"--older-than deve ser um número inteiro de 1 a {MAX_RETENTION_DAYS}; veio {text!r}"
        )
    return days


def parse_since(text: str, zone: tzinfo) -> datetime:
    """``--since`` as typed: a date (local midnight) or an ISO date-time, naive ones in ``zone``."""
    hint = (
        "use dd/mm/aaaa, AAAA-MM-DD ou data e hora ISO, ex.: 01/11/2026, 2026-11-01 ou "
        f"2026-11-01T08:00 ({zone})"
    )
    found = _BRAZILIAN_DATE.fullmatch(text)
    if found:
        day, month, year, hour, minute = found.groups()
        iso = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        if hour is not None:
            iso += f"T{int(hour):02d}:{minute}"
        text = iso
    since = parse_typed_instant(text, zone, "--since", hint)
    try:
        if since.microsecond:  # calls are stored to the second: the next whole one is the same
            since = since.replace(microsecond=0) + timedelta(seconds=1)
        since.astimezone(UTC)  # the history compares UTC instants
    except (OverflowError, ValueError):
        raise InputError(f"--since {shown_input(text)!r} está fora do calendário") from None
    return since


# --- the two actions ------------------------------------------------------------------
def run_purge(args: argparse.Namespace, clock: Clock = system_clock) -> int:
    settings = _settings(args)
    if settings is None:
        return 2
    try:
        days = settings.retention_days if args.older_than is None else parse_days(args.older_than)
    except InputError as exc:
        return _fail(exc)
    cutoff = clock() - timedelta(days=days)
    path = history_path(args, settings)
    when = f"{cutoff.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    if not args.yes:
        if not sys.stdin.isatty():
            return _fail("nada apagado: use --yes para confirmar (não há terminal para perguntar)")
        if not _confirmed(f"Apagar toda chamada iniciada antes de {when} de {path}?"):
            print("Nada apagado.")
            return 1
    store = _open(path)
    if store is None:
        return 2
    try:
        gone = store.purge(cutoff)
    except MutumError as exc:
        return _fail(exc)
    finally:
        store.close()
    plural = "s" if gone != 1 else ""
    print(f"{gone} chamada{plural} iniciada{plural} antes de {when} apagada{plural} de {path}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings is None:
        return 2
    zones = _zones(args, settings)
    if zones is None:
        return 2
    # argparse turns ``--since=--`` into [] instead of the text "--"
    typed = args.since if isinstance(args.since, str) else "--"
    try:
        since = parse_since(typed, zones[0])
    except InputError as exc:
        return _fail(exc)
    path = history_path(args, settings)
    store = _open(path)
    if store is None:
        return 2
    try:
        rows = [
            call_row(call, store.steps(call.id), *zones, subjects=store.subjects(call.id))
            for call in store.since(since)
        ]
    except MutumError as exc:
        return _fail(exc)
    except (ValueError, TypeError, IndexError) as exc:  # rows another program wrote
        return _fail(f"{path} está danificado ou não é um histórico do mutum-copilot ({exc})")
    finally:
        store.close()
    output = Path(args.output) if args.output else None
    fmt = args.format or ("json" if output and output.suffix.lower() == ".json" else "csv")
    text = to_json(rows) if fmt == "json" else to_csv(rows)
    if output is None:
        sys.stdout.write(text)
        return 0
    try:  # a BOM, so that a spreadsheet reads the accents of a CSV as UTF-8
        data = text.encode("utf-8-sig" if fmt == "csv" else "utf-8")
        with os.fdopen(open_private(output), "wb") as out:  # owner-only: customer data
            out.write(data)
    except (OSError, ValueError) as exc:
        return _fail(f"não foi possível gravar {output}: {getattr(exc, 'strerror', None) or exc}")
    plural = "s" if len(rows) != 1 else ""
    print(f"{len(rows)} chamada{plural} gravada{plural} em {output}")
    return 0


# --- plumbing -------------------------------------------------------------------------
def history_path(args: argparse.Namespace, settings: Settings) -> Path:
    """``--history``, else the config's ``history_path``, else the user's data folder."""
    from mutum_copilot.paths import data_dir
    from mutum_copilot.services import HISTORY_FILE

    if getattr(args, "history", None):
        return Path(args.history)
    if settings.history_path:
        return Path(settings.history_path)
    return data_dir() / HISTORY_FILE


def _fail(problem: object) -> int:
    print(f"{PROG}: {problem}", file=sys.stderr)
    return 2


def _settings(args: argparse.Namespace) -> Settings | None:
    try:
        return load_settings(Path(args.config) if getattr(args, "config", None) else None)
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None


def _zones(args: argparse.Namespace, settings: Settings) -> tuple[tzinfo, tzinfo] | None:
    """(agent's zone, provider's zone), from the pack the app would load."""
    from mutum_copilot.packs.loader import load_pack
    from mutum_copilot.services import pack_dir_for

    knowledge = Path(args.knowledge) if getattr(args, "knowledge", None) else None
    try:
        facts = load_pack(pack_dir_for(settings, knowledge)).facts
    except PackError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None
    return facts.call_center.time_zone, facts.provider.time_zone


def _open(path: Path) -> HistoryStore | None:
    """The existing history at ``path``; never creates one (a typo must not look empty)."""
    from mutum_copilot.history import HistoryError, HistoryStore

    if not path.is_file():
        what = "não é um arquivo" if path.exists() else "não existe"
        _fail(f"nenhum histórico de chamadas em {path} ({what}); veja --history")
        return None
    try:
        return HistoryStore(path)
    except HistoryError as exc:
        _fail(exc)
        return None


def _confirmed(question: str) -> bool:
    try:
        answer = input(f"{question} [s/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "s", "sim")
