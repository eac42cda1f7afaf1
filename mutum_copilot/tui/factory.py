"""The one factory: CLI, tests and the screenshot script build the app the same way."""

from __future__ import annotations

from mutum_copilot.services import Services
from mutum_copilot.tui.app import CopilotApp


def build_app(
    services: Services, *, cursor_blink: bool = True, catch_errors: bool = True
) -> CopilotApp:
    """The app over already-built services (see :func:`mutum_copilot.services.build_services`)."""
    return CopilotApp(services, cursor_blink=cursor_blink, catch_errors=catch_errors)
