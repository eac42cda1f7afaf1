"""``mutum-copilot history purge|export``: the supervisor's side of the call history.

The app already purges calls older than ``retention_days`` at every start
(LGPD: keep customer data no longer than needed); ``purge`` does it on demand,
e.g. before a machine changes hands. ``export`` gives a supervisor the calls
started since a date, as CSV (one row per call, for a spreadsheet) or JSON
(``{"calls": [...]}``, for scripts). An export carries nothing the history does
not keep: CPFs are stored masked, and a finished call's phones live only in its
OS note (``note_text``), which is what the provider receives anyway.

Neither action creates a history: a missing or unreadable database is a clean
message and exit 2, like every bad input of the CLI. Textual is never imported.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mutum_copilot.clock import system_clock
from mutum_copilot.commands.common import parse_typed_instant, shown_input
from mutum_copilot.config import MAX_RETENTION_DAYS, Settings, load_settings
from mutum_copilot.errors import InputError, MutumError, PackError, ProblemsError

if TYPE_CHECKING:  # sqlite3 is loaded only when a history action runs, not for every command
    from mutum_copilot.history import CallRecord, HistoryStore, StepRecord

Clock = Callable[[], datetime]
PROG = "mutum-copilot history"
#: A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id",
    "started_agent",
    "started_provider",
    "finished_agent",
    "finished_provider",
    "flow_id",
    "flow_title",
    "outcome",
    "urgency",
    "agent",
    "notes",
    "note_text",
    "steps",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--history",
        metavar="FILE",
        help="history database (default: the config's history_path, else the user's data folder)",
    )
    parser = subparsers.add_parser(
        "history",
        help="purge or export the call history (supervisors)",
        description="Purge old calls from the call history, or export calls since a date.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    purge = actions.add_parser(
        "purge",
        parents=[common],
        help="delete calls older than N days",
        description="Delete every call started more than DAYS days ago.",
    )
    purge.add_argument(
        "--older-than",
        metavar="DAYS",
        help=f"age in days, 1 to {MAX_RETENTION_DAYS} (default: the config's retention_days, 90)",
    )
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purge.set_defaults(run=run_purge)
    export = actions.add_parser(
        "export",
        parents=[common],
        help="export the calls started since a date (CSV or JSON)",
        description="Export the calls started since DATE, one row (CSV) or object (JSON) each.",
    )
    export.add_argument(
        "--since",
        metavar="DATE",
        required=True,
        help="YYYY-MM-DD or an ISO date-time such as 2026-11-01T08:00 (read in the agent's zone)",
    )
    export.add_argument(
        "--format",
        choices=("csv", "json"),
        help="output format (default: from --output's extension, else csv)",
    )
    export.add_argument("--output", metavar="FILE", help="write here instead of the screen")
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
            f"--older-than must be a whole number from 1 to {MAX_RETENTION_DAYS}, got {text!r}"
        )
    return days


def parse_since(text: str, zone: tzinfo) -> datetime:
    """``--since`` as typed: a date (local midnight) or an ISO date-time, naive ones in ``zone``."""
    hint = f"use YYYY-MM-DD or an ISO date-time, e.g. 2026-11-01 or 2026-11-01T08:00 ({zone})"
    since = parse_typed_instant(text, zone, "--since", hint)
    try:
        if since.microsecond:  # calls are stored to the second: the next whole one is the same
            since = since.replace(microsecond=0) + timedelta(seconds=1)
        since.astimezone(UTC)  # the history compares UTC instants
    except (OverflowError, ValueError):
        raise InputError(f"--since {shown_input(text)!r} is out of the calendar's range") from None
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
            return _fail("nothing deleted: add --yes to confirm (no terminal to ask)")
        if not _confirmed(f"Delete every call started before {when} from {path}?"):
            print("Nothing deleted.")
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
    print(f"{gone} call{'s' if gone != 1 else ''} started before {when} deleted from {path}")
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
        rows = [call_row(call, store.steps(call.id), *zones) for call in store.since(since)]
    except MutumError as exc:
        return _fail(exc)
    except (ValueError, TypeError, IndexError) as exc:  # rows another program wrote
        return _fail(f"{path} is damaged or not a mutum-copilot history ({exc})")
    finally:
        store.close()
    output = Path(args.output) if args.output else None
    fmt = args.format or ("json" if output and output.suffix.lower() == ".json" else "csv")
    text = to_json(rows) if fmt == "json" else to_csv(rows)
    if output is None:
        sys.stdout.write(text)
        return 0
    try:  # a BOM, so that a spreadsheet reads the accents of a CSV as UTF-8
        output.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
    except (OSError, ValueError) as exc:
        return _fail(f"cannot write {output}: {getattr(exc, 'strerror', None) or exc}")
    print(f"{len(rows)} call{'s' if len(rows) != 1 else ''} written to {output}")
    return 0


# --- rows -----------------------------------------------------------------------------
def _times(moment: datetime | None, agent: tzinfo, provider: tzinfo) -> tuple[str, str]:
    if moment is None:
        return "", ""
    return moment.astimezone(agent).isoformat(), moment.astimezone(provider).isoformat()


def _step_time(text: str, agent: tzinfo) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.astimezone(agent).isoformat() if moment.tzinfo else text


def call_row(
    call: CallRecord, steps: list[StepRecord], agent: tzinfo, provider: tzinfo
) -> dict[str, Any]:
    """One call as the export shows it: times in both zones, the stored steps."""
    started_agent, started_provider = _times(call.started_at, agent, provider)
    finished_agent, finished_provider = _times(call.finished_at, agent, provider)
    return {
        "id": call.id,
        "started_agent": started_agent,
        "started_provider": started_provider,
        "finished_agent": finished_agent,
        "finished_provider": finished_provider,
        "flow_id": call.flow_id,
        "flow_title": call.flow_title,
        "outcome": call.outcome,
        "urgency": call.urgency,
        "agent": call.agent,
        "notes": call.notes,
        "note_text": call.note_text,
        "steps": [
            {
                "at": _step_time(step.at, agent),
                "node_id": step.node_id,
                "title": step.title,
                "answer": step.answer,
                "value": step.value,
                "verdict": step.verdict,
            }
            for step in steps
        ],
    }


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps({"calls": rows}, ensure_ascii=False, indent=2) + "\n"


def steps_text(steps: list[dict[str, Any]]) -> str:
    """The steps as one text cell: ``1. 19:00:10 Title: answer = value [verdict]`` per line."""
    lines = []
    for number, step in enumerate(steps, start=1):
        at = step["at"][11:19] if len(step["at"]) >= 19 else step["at"]
        line = f"{number}. {at} {step['title'] or step['node_id']}: {step['answer']}"
        if step["value"] and step["value"] != step["answer"]:
            line += f" = {step['value']}"
        if step["verdict"]:
            line += f" [{step['verdict']}]"
        lines.append(line)
    return "\n".join(lines)


def _cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading quote (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        flat = {**row, "steps": steps_text(row["steps"])}
        writer.writerow([_cell(flat[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


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
        what = "is not a file" if path.exists() else "does not exist"
        _fail(f"no call history at {path} (it {what}); see --history")
        return None
    try:
        return HistoryStore(path)
    except HistoryError as exc:
        _fail(exc)
        return None


def _confirmed(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "s", "sim")
