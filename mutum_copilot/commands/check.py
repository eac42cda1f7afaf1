"""``mutum-copilot check [PACK_DIR]``: validate knowledge packs and report every problem.

Without ``PACK_DIR``, every pack the seat serves (the same resolver as the
app: ``--knowledge``, else the config's ``knowledge:``, else the bundled
pack), including a pack id used twice or a ``provider:`` preset no pack has.
A valid pack may still hold knowledge overdue for review: that is listed as
a warning, after the pack's ``ok`` line, and does not fail the check.

A control character in any text of the pack (ESC, BEL, C1, bidi overrides, raw or
written as a YAML escape) is one of the problems, with its file and line (see
:mod:`mutum_copilot.yamlkit.yamlio`); the report itself is printed clean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mutum_copilot.commands.common import load_settings_or_report
from mutum_copilot.errors import PackError, ProblemsError

if TYPE_CHECKING:
    from mutum_copilot.packs.catalog import PackEntry


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="valida um pacote de conhecimento",
        description=(
            "Valida pacotes de conhecimento: sai com 0 quando estão corretos (conhecimento "
            "com revisão vencida é listado como aviso), e com 2 e todos os problemas quando não."
        ),
    )
    parser.add_argument(
        "pack_dir",
        nargs="?",
        type=Path,
        metavar="PASTA",
        help="pasta do pacote (padrão: as configuradas)",
    )
    parser.add_argument(
        "--today",
        metavar="AAAA-MM-DD",
        help="o dia em que as revisões são julgadas (padrão: hoje, no fuso do provedor)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        print(f"mutum-copilot check: --today {args.today!r}: use AAAA-MM-DD", file=sys.stderr)
        return 2
    entries = _one(args.pack_dir) if args.pack_dir is not None else _configured(args)
    if entries is None:
        return 2
    for entry in entries:
        _report(entry, today)
    return 0


def _one(pack_dir: Path) -> list[PackEntry] | None:
    """The pack in ``pack_dir`` alone (the config is not read)."""
    from mutum_copilot.clock import system_clock
    from mutum_copilot.packs.catalog import PackEntry
    from mutum_copilot.packs.loader import load_pack

    try:
        pack = load_pack(pack_dir)
    except PackError as exc:
        _problems(exc, str(pack_dir))
        return None
    return [PackEntry(pack, system_clock)]


def _configured(args: argparse.Namespace) -> list[PackEntry] | None:
    """Every pack the seat serves, as the app would load them."""
    from mutum_copilot.clock import system_clock
    from mutum_copilot.packs.catalog import load_configured

    settings = load_settings_or_report(args)
    if settings is None:
        return None
    knowledge = Path(args.knowledge) if getattr(args, "knowledge", None) else None
    try:
        return list(load_configured(settings, knowledge, system_clock))
    except ProblemsError as exc:
        _problems(exc, ", ".join(str(d) for d in settings.pack_dirs(knowledge)))
        return None


def _problems(exc: ProblemsError, where: str) -> None:
    from mutum_copilot.safetext import clean_line

    for problem in exc.problems:
        print(clean_line(str(problem)), file=sys.stderr)  # a key may carry an escape
    count = len(exc.problems)
    print(f"{where}: {count} problema{'s' if count != 1 else ''}", file=sys.stderr)


def _report(entry: PackEntry, today: dt.date | None) -> None:
    from mutum_copilot.clock import system_clock
    from mutum_copilot.packs.review import describe_stale, pack_today, stale_knowledge
    from mutum_copilot.safetext import clean_line

    pack = entry.pack
    flows = len(pack.flows)
    line = (
        f"{pack.root}: ok: {pack.meta.name} ({entry.id}, versão {entry.version}), "
        f"{len(pack.faq)} entradas do FAQ, {flows} fluxo{'s' if flows != 1 else ''}, "
        f"{len(pack.synonyms)} grupos de sinônimos"
    )
    print(clean_line(line))
    day = today or pack_today(pack, system_clock())
    stale = stale_knowledge(pack, day)
    if not stale:
        return
    interval = pack.meta.review_interval_days
    print(
        f"  aviso: {len(stale)} ite{'ns' if len(stale) != 1 else 'm'} com revisão vencida "
        f"em {day:%d/%m/%Y} (revisar a cada {interval} dias; confira com o documento do "
        "provedor e atualize verified_on):"
    )
    for item in stale:
        print(f"    {item.path}:{item.line}: {clean_line(describe_stale(item))}")
