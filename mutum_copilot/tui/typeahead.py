"""Keys typed ahead of the screen: each lands where it belongs, in the order typed.

Textual routes a key to the focused widget's own queue and moves on, so keys
sent in a burst (``1`` then ``Maria``) can reach a widget the screen is just
replacing. The call's keys are priority bindings instead (run in arrival order,
see :mod:`mutum_copilot.tui.keys`), focus moves at once, and these two helpers
cover the rest: a shortcut gives plain text back to the box being typed in, and
Enter in a box waits for the keys typed before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

from textual.actions import SkipAction
from textual.app import App
from textual.events import Key
from textual.widget import Widget
from textual.widgets import Input

TEXT_KEYS = frozenset({"backspace", "enter"})


def key_in_flight(app: App[object]) -> Key | None:
    """The key whose priority bindings are running now (None outside a key press)."""
    return getattr(app, "key_in_flight", None)


def give_text_back(app: App[object], focused: Widget | None) -> None:
    """Raise SkipAction when the key in flight is text for the focused box."""
    key = key_in_flight(app)
    if key is None or not is_text_box(focused):
        return
    if key.is_printable or key.key in TEXT_KEYS:
        raise SkipAction()


def is_text_box(widget: Widget | None) -> bool:
    """An Input or a TextArea (imported only by the screens that use one: it is costly)."""
    if isinstance(widget, Input):
        return True
    text_area = sys.modules.get("textual.widgets._text_area")
    return text_area is not None and isinstance(widget, text_area.TextArea)


async def settle(widget: Widget, timeout: float = 1.0) -> None:
    """Wait until ``widget`` has handled every message queued before now (typed keys)."""
    done = asyncio.Event()
    widget.call_later(done.set)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), timeout)
