"""``mutum-copilot`` with no command: start the TUI on the configured pack.

A broken config or pack stops here with the same ``path:line: message`` lines
as ``check``, before any screen is drawn: the app never starts with half a pack.
So does a keymap that gives one key two actions (the clash is named). The
exit status is the app's: an unexpected crash exits 1, never 0.

A start whose boot record is current (:mod:`mutum_copilot.boot_record`:
nothing it was made from has changed since the last start) draws its first
frame from it before importing the pack's models, and builds the services
right after. If the config or pack broke in between (a file the record's key
did not cover), the app closes and the same lines are printed, exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mutum_copilot.services import Services
    from mutum_copilot.tui.app import CopilotApp
    from mutum_copilot.tui.boot import RecordPlace


def run(args: argparse.Namespace) -> int:
    # The cyclic GC is paused by the CLI (mutum_copilot.gcpause) and stays so while
    # the app is built and its first frame drawn; the app resumes it then.
    app = _boot(args)
    if app is None:
        problems = _services(args)
        if isinstance(problems, list):
            _print(problems)
            return 2
        app = _app(problems, _record_place(args))
    app.run()
    if app.exit_problems:
        _print(app.exit_problems)
        return 2
    return app.return_code or 0


def _config_path(args: argparse.Namespace) -> Path:
    from mutum_copilot.paths import default_config_path

    config = getattr(args, "config", None)
    return Path(config) if config else default_config_path()


def _record_place(args: argparse.Namespace) -> RecordPlace | None:
    """Where this start's boot record lives; None when caches are switched off."""
    from mutum_copilot.packs.cache_files import NO_CACHE_ENV

    if os.environ.get(NO_CACHE_ENV):  # the pack cache's switch turns the record off too
        return None
    from mutum_copilot.tui.boot import RecordPlace

    knowledge = str(Path(args.knowledge).resolve()) if args.knowledge else None
    return RecordPlace(_config_path(args).resolve(), knowledge)


def _boot(args: argparse.Namespace) -> CopilotApp | None:
    """The app drawn from a current boot record, or None (start the normal way)."""
    place = _record_place(args)
    if place is None:
        return None
    from mutum_copilot.boot_record import read_record
    from mutum_copilot.clock import system_clock

    record = read_record(place.config, place.knowledge, system_clock())
    if record is None:
        return None
    from mutum_copilot.tui.app import CopilotApp
    from mutum_copilot.tui.boot import BootStart

    boot = BootStart(record, system_clock, lambda: _services(args))
    return CopilotApp.booting(boot, record_place=place)


def _services(args: argparse.Namespace) -> Services | list[str]:
    """The services over the configured pack, or the lines saying why they cannot be built."""
    from mutum_copilot.config import load_settings
    from mutum_copilot.errors import ProblemsError
    from mutum_copilot.logs import setup_error_log
    from mutum_copilot.services import build_services

    try:
        settings = load_settings(Path(args.config) if getattr(args, "config", None) else None)
        services = build_services(
            settings, knowledge=Path(args.knowledge) if args.knowledge else None, cached=True
        )
    except ProblemsError as exc:
        return [str(p) for p in exc.problems] + [
            "mutum-copilot: não iniciado; corrija os problemas acima."
        ]
    setup_error_log(redact=services.vault.redact)

    from mutum_copilot.tui.app import keymap_problems

    clashes = keymap_problems(settings.keymap) if settings.keymap else []
    if clashes:
        config = _config_path(args)
        return [f"{config}: {clash}" for clash in clashes] + [
            "mutum-copilot: não iniciado; corrija o keymap acima."
        ]
    return services


def _app(services: Services, place: RecordPlace | None) -> CopilotApp:
    from mutum_copilot.tui.factory import build_app

    app = build_app(services)
    app.record_place = place
    return app


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)
