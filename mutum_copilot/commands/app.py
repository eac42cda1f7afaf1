"""``mutum-copilot`` with no command: start the TUI on the configured pack.

A broken config or pack stops here with the same ``path:line: message`` lines
as ``check``, before any screen is drawn: the app never starts with half a pack.
So does a keymap that gives one key two actions (the clash is named). The
exit status is the app's: an unexpected crash exits 1, never 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mutum_copilot.errors import ProblemsError

if TYPE_CHECKING:
    from mutum_copilot.tui.app import CopilotApp


def run(args: argparse.Namespace) -> int:
    # The cyclic GC is paused by the CLI (mutum_copilot.gcpause) and stays so while
    # the app is built and its first frame drawn; the app resumes it then.
    app = _build(args)
    if app is None:
        return 2
    app.run()
    return app.return_code or 0


def _build(args: argparse.Namespace) -> CopilotApp | None:
    """The app over the configured pack, or None after printing the problems."""
    from mutum_copilot.config import default_config_path, load_settings
    from mutum_copilot.logs import setup_error_log
    from mutum_copilot.services import build_services

    try:
        settings = load_settings(Path(args.config) if getattr(args, "config", None) else None)
        services = build_services(
            settings, knowledge=Path(args.knowledge) if args.knowledge else None, cached=True
        )
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("mutum-copilot: não iniciado; corrija os problemas acima.", file=sys.stderr)
        return None
    setup_error_log(redact=services.vault.redact)

    from mutum_copilot.tui.app import keymap_problems
    from mutum_copilot.tui.factory import build_app

    clashes = keymap_problems(settings.keymap) if settings.keymap else []
    if clashes:
        config = Path(args.config) if getattr(args, "config", None) else default_config_path()
        for clash in clashes:
            print(f"{config}: {clash}", file=sys.stderr)
        print("mutum-copilot: não iniciado; corrija o keymap acima.", file=sys.stderr)
        return None
    return build_app(services)
