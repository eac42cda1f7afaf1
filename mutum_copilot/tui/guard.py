"""Errors at the edge of the TUI: the agent sees a short message, the log gets the traceback.

Textual stops a widget's message loop when one of its handlers raises, so
catching at the app level is too late to keep the screen alive. Every handler
and action that runs the agent's intent is wrapped with :func:`guarded`
instead: the error is logged, a notification says what happened, and the call
(already saved after its last step) goes on.
"""

from __future__ import annotations

import functools
import inspect
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


def _report_unless_testing(node: Any, error: Exception) -> None:
    """Report ``error``; an app built with ``catch_errors=False`` (the tests) raises it."""
    if not getattr(node.app, "catch_errors", True):
        raise error
    report_error(node, error)


def guarded(method: F) -> F:
    """Run a handler; an unexpected exception is reported instead of stopping the screen.

    Works on plain methods and on coroutines (an action that waits for a widget).
    """
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def waiting(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return await method(self, *args, **kwargs)
            except SkipAction:
                raise
            except Exception as error:
                _report_unless_testing(self, error)
                return None

        return waiting  # type: ignore[return-value]

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except SkipAction:  # the key goes on to the focused widget, as Textual intends
            raise
        except Exception as error:
            _report_unless_testing(self, error)
            return None

    return wrapper  # type: ignore[return-value]
