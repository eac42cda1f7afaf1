"""Helpers shared by the subcommands: which packs to load, and instants typed by a person.

The pack resolver is the same for every command (and the TUI, through
:func:`mutum_copilot.packs.catalog.load_configured`): ``--knowledge DIR``
overrides; else the config's ``knowledge:`` (one folder or a list); else the
bundled pack. On top of that, ``--provider ID`` picks one pack of the catalog:

- :func:`load_catalog_or_report`: every configured pack (problems printed);
- :func:`chosen_entries`: ``--provider``'s pack, else every pack (``ask``,
  ``shift`` and the list of ``flows`` cover them all, labelled);
- :func:`load_pack_or_report`: the one pack a command works on
  (``--provider``, else the only pack, else the seat's ``provider:`` preset;
  with several packs and neither, the command is refused with the ids).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from mutum_copilot.errors import InputError, ProblemsError

if TYPE_CHECKING:
    from mutum_copilot.config import Settings
    from mutum_copilot.holiday_table import HolidayTable
    from mutum_copilot.packs.catalog import Catalog, PackEntry
    from mutum_copilot.packs.model import Pack


def add_provider_option(parser: argparse.ArgumentParser) -> None:
    """``--provider ID``: the pack (by the id in its pack.yaml) a command works on."""
    parser.add_argument(
        "--provider",
        metavar="ID",
        help="o id do pacote do provedor (id do pack.yaml); padrão: o único pacote, ou todos",
    )


def resolve_pack_dir(args: argparse.Namespace) -> Path:
    """The first configured pack folder (``--knowledge``, the config's, else the bundled)."""
    settings = load_settings_or_report(args)
    return _pack_dirs(args, settings)[0]


def _pack_dirs(args: argparse.Namespace, settings: Settings | None) -> tuple[Path, ...]:
    from mutum_copilot.config import Settings

    knowledge = getattr(args, "knowledge", None)
    return (settings or Settings()).pack_dirs(Path(knowledge) if knowledge else None)


def load_settings_or_report(args: argparse.Namespace) -> Settings | None:
    """The config (``--config`` or the user's); on problems print them and return None."""
    from mutum_copilot.config import load_settings

    config = getattr(args, "config", None)
    try:
        return load_settings(Path(config) if config else None)
    except ProblemsError as exc:
        report_problems(exc)
        return None


def report_problems(exc: ProblemsError) -> None:
    """Every problem as ``path:line: key: message``, one per line, on stderr."""
    for problem in exc.problems:
        print(problem, file=sys.stderr)


def user_holiday_table() -> HolidayTable:
    """The holiday table of this seat: cached in the user's cache folder unless turned off."""
    from mutum_copilot.holiday_table import HolidayTable
    from mutum_copilot.paths import holiday_cache_dir

    return HolidayTable.in_folder(holiday_cache_dir())


def load_catalog_or_report(args: argparse.Namespace, *, cached: bool = False) -> Catalog | None:
    """Every pack the seat serves; on problems print them all and return None.

    ``cached``: validated packs and indexes from the user's pack cache when their
    files are unchanged (the quick commands, ``ask`` and ``shift``; see packs/cache.py).
    """
    from mutum_copilot.clock import system_clock
    from mutum_copilot.packs.catalog import load_configured

    settings = load_settings_or_report(args)
    if settings is None:
        return None
    knowledge = Path(args.knowledge) if getattr(args, "knowledge", None) else None
    try:
        return load_configured(
            settings, knowledge, system_clock, cached=cached, holidays=user_holiday_table()
        )
    except ProblemsError as exc:
        report_problems(exc)
        return None


def chosen_entries(args: argparse.Namespace, catalog: Catalog) -> tuple[PackEntry, ...] | None:
    """``--provider``'s pack alone, else every pack; None (refusal printed) for an unknown id."""
    from mutum_copilot.packs.catalog import UnknownPackError

    provider = getattr(args, "provider", None)
    if not provider:
        return tuple(catalog)
    try:
        return (catalog.get(provider),)
    except UnknownPackError as exc:
        print(f"mutum-copilot: --provider: {exc}", file=sys.stderr)
        return None


def one_entry(args: argparse.Namespace, catalog: Catalog) -> PackEntry | None:
    """The one pack a command works on; None after printing why there is none."""
    from mutum_copilot.packs.catalog import UnknownPackError

    provider = getattr(args, "provider", None)
    try:
        if provider:
            return catalog.get(provider)
    except UnknownPackError as exc:
        print(f"mutum-copilot: --provider: {exc}", file=sys.stderr)
        return None
    if len(catalog) == 1 or catalog.preset:
        return catalog.default
    print(
        f"mutum-copilot: esta posição atende {len(catalog)} provedores "
        f"({', '.join(catalog.ids)}); escolha um com --provider ID "
        "(ou defina provider: no config)",
        file=sys.stderr,
    )
    return None


def load_pack_or_report(args: argparse.Namespace) -> Pack | None:
    """The one pack of :func:`one_entry`; problems or a refusal printed, None returned."""
    catalog = load_catalog_or_report(args)
    if catalog is None:
        return None
    entry = one_entry(args, catalog)
    return None if entry is None else entry.pack


def pack_label(entry: PackEntry) -> str:
    """``Mutum Fibra (mutum-fibra, versão 2026.12.01)``: how CLI output names a pack."""
    from mutum_copilot.safetext import clean_line

    return clean_line(f"{entry.name} ({entry.id}, versão {entry.version})")


MAX_INSTANT_LENGTH = 64  # no ISO date-time is longer; refuse pasted novels early


def shown_input(text: str) -> str:
    """A bit of what the person typed, for an error message."""
    return text if len(text) <= 40 else text[:40] + "…"


def parse_typed_instant(text: str, zone: tzinfo, option: str, hint: str) -> datetime:
    """An ISO 8601 date or date-time typed after ``option``; naive ones are read in ``zone``.

    A date alone means local midnight. Anything unusable raises InputError with
    one line that names the option, echoes (a bit of) the input and gives ``hint``.
    """
    refusal = f"{option} {shown_input(text)!r} não é uma data e hora; {hint}"
    if len(text) > MAX_INSTANT_LENGTH or not text.strip():
        raise InputError(refusal)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(refusal) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
