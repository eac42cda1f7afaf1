"""``mutum-copilot`` with no command: start the TUI on the configured pack.

A broken config or pack stops here with the same ``path:line: message`` lines
as ``check``, before any screen is drawn: the app never starts with half a pack.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mutum_copilot.errors import ProblemsError


def run(args: argparse.Namespace) -> int:
    from mutum_copilot.config import load_settings
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
        return 2
    setup_error_log(redact=services.vault.redact)

    from mutum_copilot.tui.factory import build_app

    build_app(services).run()
    return 0
