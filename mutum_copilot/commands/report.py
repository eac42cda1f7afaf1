"""``mutum-copilot report``: the night's figures for a supervisor, from the team store.

Reads the team's PostgreSQL when ``team.url`` is configured (the password from
the vault, key ``team_db``, or ``~/.pgpass``), else the seat's own local
history, counted the same way (:mod:`mutum_copilot.team.reports_local`). Dates are
typed as Brazilians write them (``05/12/2026``, ``05/12/2026 19:30``) or in
ISO 8601, read in the call center's zone; a date alone as ``--until`` includes
that whole day. Output: readable tables at 80 columns (``--charts`` adds the
calls per hour and the exit nodes as terminal charts), ``--format json`` for
scripts, ``--format csv`` for a spreadsheet. Every message is in pt-BR; a
missing server is a clean message and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mutum_copilot.clock import system_clock
from mutum_copilot.commands.common import MAX_INSTANT_LENGTH, shown_input
from mutum_copilot.errors import InputError, MutumError, PackError, ProblemsError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mutum_copilot.config import Settings
    from mutum_copilot.packs.model import Pack
    from mutum_copilot.team.reports import ReportBackend, ReportQuery

Clock = Callable[[], datetime]
PROG = "mutum-copilot report"
DEFAULT_DAYS = 7
_BR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?")
DATE_HINT = "use dd/mm/aaaa (ex.: 05/12/2026), dd/mm/aaaa hh:mm ou ISO (2026-12-05T19:30)"


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, with its one English word ("usage") in pt-BR."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = subparsers.add_parser(
        "report",
        help="relatório da equipe: desfechos, nós de saída, tempos, horas, lacunas do FAQ",
        description=(
            "Relatório para a supervisão: atendimentos por assunto e desfecho, nós de saída, "
            "tempo por chamada e por passo (mediana e p90), chamadas por hora contra o turno "
            "do N1, lacunas do FAQ e conhecimento vencido. Lê a base da equipe (team.url) "
            "ou, sem ela, o histórico local deste posto."
        ),
        add_help=False,
        formatter_class=_HelpFormatter,
    )
    parser = command.add_argument_group("opções")
    parser.add_argument("-h", "--help", action="help", help="mostra esta ajuda e sai")
    parser.add_argument(
        "--since",
        metavar="DATA",
        help=f"desde (inclusive); padrão: {DEFAULT_DAYS} dias atrás. {DATE_HINT}",
    )
    parser.add_argument(
        "--until", metavar="DATA", help="até (uma data sozinha inclui o dia todo); padrão: agora"
    )
    parser.add_argument("--agent", metavar="NOME", help="só as chamadas deste atendente")
    parser.add_argument("--pack", metavar="ID", help="só as chamadas deste pacote de conhecimento")
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table (padrão, 80 colunas), json ou csv",
    )
    parser.add_argument(
        "--charts", action="store_true", help="inclui gráficos no terminal (formato table)"
    )
    command.set_defaults(run=run)


# --- what the supervisor typed ---------------------------------------------------------
def parse_date(text: str, zone: tzinfo, option: str, *, end: bool = False) -> datetime:
    """``05/12/2026``, ``05/12/2026 19:30`` or ISO; naive ones in ``zone``.

    With ``end``, a date alone means the end of that day (the next midnight).
    """
    typed = text.strip()
    refusal = f"{option} {shown_input(text)!r} não é uma data; {DATE_HINT}"
    if not typed or len(typed) > MAX_INSTANT_LENGTH:
        raise InputError(refusal)
    whole_day = False
    match = _BR_DATE.fullmatch(typed)
    try:
        if match:
            day, month, year, hour, minute = match.groups()
            moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
            whole_day = hour is None
        else:
            moment = datetime.fromisoformat(typed)
            whole_day = "T" not in typed and " " not in typed and len(typed) <= 10
    except (ValueError, OverflowError):
        raise InputError(refusal) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    if end and whole_day:
        moment = datetime.combine(moment.date() + timedelta(days=1), time(), zone)
    return moment


def period(
    args: argparse.Namespace, zone: tzinfo, clock: Clock = system_clock
) -> tuple[datetime, datetime]:
    try:
        until = parse_date(args.until, zone, "--until", end=True) if args.until else clock()
        since = (
            parse_date(args.since, zone, "--since")
            if args.since
            else until - timedelta(DEFAULT_DAYS)
        )
        since.astimezone(UTC), until.astimezone(UTC)  # the store compares UTC instants
    except (OverflowError, ValueError):
        raise InputError("data fora do calendário; " + DATE_HINT) from None
    if since >= until:
        raise InputError("--since precisa ser antes de --until")
    return since, until


# --- the run ---------------------------------------------------------------------------
def run(args: argparse.Namespace, clock: Clock = system_clock) -> int:
    from mutum_copilot.team.reports import ReportQuery, build_report, report_json

    settings = _settings(args)
    pack = _pack(args, settings) if settings is not None else None
    if settings is None or pack is None:
        return 2
    zone = pack.facts.call_center.time_zone
    try:
        since, until = period(args, zone, clock)
    except InputError as exc:
        return _fail(exc)
    query = ReportQuery(
        since=since,
        until=until,
        agent=args.agent or None,
        pack_id=args.pack or None,
        zone=str(getattr(zone, "key", zone)),
        zone_label=_gmt(until.astimezone(zone)),
    )
    stale, review_days = _stale(pack, args.pack, clock)
    try:
        with open_backend(settings, query) as backend:
            report = build_report(backend, query, stale=stale, review_days=review_days)
    except MutumError as exc:
        return _fail(exc)
    from mutum_copilot.commands.report_render import cleaned, render_csv, render_table

    data = cleaned(report_json(report))
    if args.format == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        sys.stdout.write(render_csv(data))
    else:
        width = min(80, shutil.get_terminal_size((80, 24)).columns)
        sys.stdout.write(render_table(data, width=max(60, width), charts=args.charts))
    return 0


def open_backend(settings: Settings, query: ReportQuery) -> AbstractContextManager[ReportBackend]:
    """The backend the report reads: the team store when configured, else the local history."""
    if not settings.team.url:
        return _local_backend(settings, query)
    return _team_backend(settings)


@contextmanager
def _local_backend(settings: Settings, query: ReportQuery) -> Iterator[ReportBackend]:
    import sqlite3

    from mutum_copilot.paths import data_dir
    from mutum_copilot.services import HISTORY_FILE
    from mutum_copilot.team.reports_local import local_backend

    path = Path(settings.history_path) if settings.history_path else data_dir() / HISTORY_FILE
    if not path.is_file():
        raise MutumError(
            f"team.url não está configurado e não há histórico local em {path}: nada a relatar. "
            "Para o relatório da equipe, veja docs/team-store.md."
        )
    try:
        yield local_backend(path, query)
    except sqlite3.Error as exc:
        raise MutumError(f"não foi possível ler o histórico local em {path}: {exc}") from exc


@contextmanager
def _team_backend(settings: Settings) -> Iterator[ReportBackend]:
    from mutum_copilot.team.connect import team_target
    from mutum_copilot.team.reports_sql import SqlReports
    from mutum_copilot.team.store import TeamStore
    from mutum_copilot.vault import load_vault

    try:
        vault = load_vault()
    except ProblemsError as exc:
        raise MutumError("; ".join(str(p) for p in exc.problems)) from exc
    target = team_target(settings.team, vault)
    assert target is not None
    store = TeamStore.open(target)
    try:
        yield SqlReports(store.conn)
    except Exception as exc:
        import psycopg

        if isinstance(exc, psycopg.Error):
            raise MutumError(f"a base da equipe não respondeu ao relatório: {exc}") from exc
        raise
    finally:
        store.close()


def _stale(pack: Pack, wanted: str | None, clock: Clock) -> tuple[list[Any], int]:
    from mutum_copilot.team.reports import DEFAULT_REVIEW_DAYS, pack_knowledge, stale_knowledge

    days = getattr(pack.meta, "review_interval_days", None) or DEFAULT_REVIEW_DAYS
    if wanted and wanted != pack.id:
        return [], int(days)
    today = clock().astimezone(pack.facts.call_center.time_zone).date()
    return stale_knowledge(pack_knowledge(pack), today, int(days)), int(days)


def _gmt(moment: datetime) -> str:
    seconds = int((moment.utcoffset() or timedelta()).total_seconds())
    hours, rest = divmod(abs(seconds), 3600)
    return f"GMT{'-' if seconds < 0 else '+'}{hours}" + (f":{rest // 60:02d}" if rest else "")


def _fail(problem: object) -> int:
    print(f"{PROG}: {problem}", file=sys.stderr)
    return 2


def _settings(args: argparse.Namespace) -> Settings | None:
    from mutum_copilot.config import load_settings

    try:
        return load_settings(Path(args.config) if getattr(args, "config", None) else None)
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None


def _pack(args: argparse.Namespace, settings: Settings) -> Pack | None:
    from mutum_copilot.packs.loader import load_pack
    from mutum_copilot.services import pack_dir_for

    knowledge = Path(args.knowledge) if getattr(args, "knowledge", None) else None
    try:
        return load_pack(pack_dir_for(settings, knowledge))
    except PackError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None
