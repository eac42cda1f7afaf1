"""Errors at the edge of the TUI: the agent sees a short message, the log gets the traceback.

Textual stops a widget's message loop when one of its handlers raises, so
catching at the app level is too late to keep the screen alive. Every handler
and action that runs the agent's intent is wrapped with :func:`guarded`
instead: the error is logged, a notification says what happened, and the call
(already saved after its last step) goes on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from textual.actions import SkipAction

from mutum_copilot.logs import get_logger

log = get_logger("tui")
F = TypeVar("F", bound=Callable[..., Any])

MESSAGE = "Erro inesperado; a chamada continua salva. Detalhes no log do copiloto."


def report_error(node: Any, error: BaseException) -> None:
    """Log ``error`` with its traceback and tell the agent in one line."""
    log.error("unexpected error in %s", type(node).__name__, exc_info=error)
    node.app.notify(MESSAGE, title="Erro", severity="error", timeout=8)


def guarded(method: F) -> F:
    """Run a handler; an unexpected exception is reported instead of stopping the screen."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except SkipAction:  # the key goes on to the focused widget, as Textual intends
            raise
        except Exception as error:
            if not getattr(self.app, "catch_errors", True):
                raise
            report_error(self, error)
            return None

    return wrapper  # type: ignore[return-value]
