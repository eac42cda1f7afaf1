"""``mutum-copilot shift [--at ISO_DATETIME] [--json]``: is N1 on shift, and until when?

Shows both clocks the agent juggles: the provider's N1 team (provider's zone)
and the call center's own coverage window (agent's zone), every time with its
zone, plus an *estimate* of the last-resort "24 horas úteis" for the agent: the
provider allows saying "24 horas úteis" and nothing more, so the date is never
for the customer. ``--json`` prints one object for scripts and imports neither
rich nor Textual; the readable view imports rich lazily.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from mutum_copilot.clock import system_clock
from mutum_copilot.commands.common import (
    add_provider_option,
    chosen_entries,
    load_catalog_or_report,
    parse_typed_instant,
    shown_input,
)
from mutum_copilot.errors import InputError
from mutum_copilot.knowledge.models import Facts
from mutum_copilot.shift import ShiftClock, to_utc
from mutum_copilot.shift_format import (
    format_countdown,
    format_sla_estimate,
    gmt_label,
)
from mutum_copilot.shift_status import ShiftStatus, closing_soon
from mutum_copilot.weekdays import WEEKDAY_NAMES_PT

#: What the working-hours estimate counts, for ``--json`` readers.
SLA_COUNTS = (
    "horas de atendimento do N1 no fuso do provedor; almoço, noites, domingos e feriados não contam"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "shift",
        help="o N1 do provedor está no turno agora (ou num instante dado)?",
        description=(
            "Mostra se o N1 está no turno e quando isso muda, a cobertura do call "
            "center e a estimativa das 24 horas úteis (só para o atendente)."
        ),
    )
    parser.add_argument(
        "--at",
        metavar="DATA_HORA",
        help=(
            "instante a consultar em vez de agora, ex.: 2026-11-24T19:00 (lido no fuso "
            "do call center), 2026-11-24T23:00Z ou 2026-11-24T19:00-04:00"
        ),
    )
    parser.add_argument("--json", action="store_true", help="imprime um objeto JSON")
    add_provider_option(parser)
    parser.set_defaults(run=run)


def parse_at(text: str, zone: tzinfo) -> datetime:
    """An ISO 8601 instant typed by a person; naive ones are read in ``zone``.

    A date alone means local midnight. Anything unusable raises
    :class:`InputError` with a one-line message that echoes (a bit of) the input.
    """
    hint = f"use ISO 8601, ex.: 2026-11-24T19:00 (lido como {zone}) ou 2026-11-24T23:00Z"
    at = parse_typed_instant(text, zone, "--at", hint)
    try:
        to_utc(at)  # the calendar's own range check, reported as an input problem
    except (ValueError, OverflowError) as exc:
        raise InputError(f"--at {shown_input(text)!r}: {exc}") from None
    return at


def status_json(status: ShiftStatus) -> dict[str, Any]:
    """One calendar's status as JSON-ready values (ISO 8601 with offsets)."""

    def iso(moment: datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    left = status.time_to_change
    return {
        "on_shift": status.on_shift,
        "state": status.state,
        "label": status.label,
        "holiday": status.holiday_name,
        "next_change": iso(status.next_change),
        "next_open": iso(status.next_open),
        "closes_at": iso(status.closes_at),
        "countdown": None if left is None else format_countdown(left),
        "closing_soon": closing_soon(status),
    }


@dataclass(frozen=True)
class ShiftSnapshot:
    """Both clocks and the working-hours estimate at one instant."""

    at: datetime
    n1: ShiftStatus
    call_center: ShiftStatus
    #: None for a pack without the rule (rules.sla_last_resort_working_hours).
    sla_hours: int | None
    sla_due: datetime | None


def take_snapshot(facts: Facts, at: datetime, clock: ShiftClock | None = None) -> ShiftSnapshot:
    """Compute everything the command shows for the aware instant ``at``.

    ``clock``: the pack's shift clock (its calendars read the seat's holiday
    cache); None builds one from ``facts`` with holidays kept in memory only.
    """
    if clock is None:
        clock = ShiftClock.from_facts(facts, lambda: at)
    n1_cal = clock.n1
    hours = facts.rules.sla_last_resort_working_hours
    return ShiftSnapshot(
        at=at,
        n1=n1_cal.status(at),
        call_center=clock.call_center.status(at),
        sla_hours=hours,
        sla_due=None if hours is None else n1_cal.add_working_hours(at, hours),
    )


def shift_report(facts: Facts, snap: ShiftSnapshot) -> dict[str, Any]:
    """Everything ``shift --json`` prints."""
    agent_zone = facts.call_center.time_zone
    return {
        "at": snap.at.astimezone(UTC).isoformat(),
        "provider_time": snap.n1.at.isoformat(),
        "provider_zone": str(snap.n1.at.tzinfo),
        "agent_time": snap.at.astimezone(agent_zone).isoformat(),
        "agent_zone": str(agent_zone),
        **status_json(snap.n1),
        "call_center": status_json(snap.call_center),
        # None: the pack declares no last-resort working-hours rule.
        "sla_estimate": None
        if snap.sla_due is None
        else {
            "working_hours": snap.sla_hours,
            "until": snap.sla_due.isoformat(),
            "counts": SLA_COUNTS,
            "for_customer": False,
        },
    }


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog_or_report(args, cached=True)
    entries = None if catalog is None else chosen_entries(args, catalog)
    if entries is None:
        return 2
    try:
        zone = entries[0].pack.facts.call_center.time_zone
        at = system_clock() if args.at is None else parse_at(args.at, zone)
        snaps = [(e, take_snapshot(e.pack.facts, at, e.shift_clock)) for e in entries]
    except (InputError, ValueError, OverflowError) as exc:
        print(f"mutum-copilot shift: {exc}", file=sys.stderr)
        return 2
    if args.json:
        # One pack: the object as always (and its pack); several: {"providers": [...]}.
        reports = [
            {**shift_report(e.pack.facts, snap), "pack": {"id": e.id, "version": e.version}}
            for e, snap in snaps
        ]
        shown = reports[0] if len(reports) == 1 else {"providers": reports}
        print(json.dumps(shown, ensure_ascii=False))
    else:
        for number, (entry, snap) in enumerate(snaps):
            if number:
                print()
            _render(entry.pack.facts, snap)
    return 0


def _render(facts: Facts, snap: ShiftSnapshot) -> None:
    """The readable view: both clocks, with colours, in pt-BR."""
    from rich.console import Console  # lazily: --json never pays for rich
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    rows = ((f"N1 {facts.provider.name}", snap.n1), (facts.call_center.name, snap.call_center))
    for name, status in rows:
        local = status.at
        day = WEEKDAY_NAMES_PT[local.weekday()][:3]
        colour = "green" if status.on_shift else "red"
        line = (
            f"[bold]{escape(name)}[/] · {day} {local:%d/%m %H:%M} ({gmt_label(local)}) · "
            f"[{colour}]{escape(status.label)}[/]"
        )
        left = status.time_to_change
        if left is not None:
            line += f" · faltam {format_countdown(left)}"
        console.print(line)
        if closing_soon(status) and left is not None:
            console.print(f"  [bold yellow]⚠ fecha em {format_countdown(left)}[/]")
    due = snap.sla_due
    if due is None or snap.sla_hours is None:
        return
    estimate = format_sla_estimate(due, snap.n1.at, snap.sla_hours, facts.provider.time_zone_label)
    console.print(f"Só para você: {escape(estimate)}.")
