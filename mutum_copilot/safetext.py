"""Text safe to show, copy or export: no character that could drive a terminal.

A pack file, a paste into a box, a row of the history or a reply from a
provider's system can all carry control characters: ESC starts a terminal
escape sequence (move the cursor, rewrite the screen, set the clipboard with
OSC 52), BEL rings, C1 codes act like ESC on some terminals, and the bidi
overrides reorder what the agent reads. Every text that reaches the screen,
the clipboard or an export goes through :func:`clean` (or :func:`clean_line`
for a one-line field) first; :func:`control_characters` lets ``check`` name
them in a pack file.

Kept: newline and tab (texts have paragraphs); a carriage return becomes part
of a newline. Everything else in C0, DEL, C1, the line and paragraph
separators and the bidi embedding, override and isolate controls is removed.
"""

from __future__ import annotations

import re

#: C0 but tab and newline, DEL, C1, zero-width/bidi marks, line/paragraph separators,
#: bidi embeddings/overrides/isolates, and the byte-order mark.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")
#: What :func:`control_characters` reports: the same, but a CR that ends a CRLF line.
_REPORTED = re.compile(f"(?!\r\n){UNSAFE.pattern}")
_SPACES = re.compile(r"[\t\n]+")


def clean(text: str) -> str:
    """``text`` without unsafe characters; ``\\r\\n``, ``\\r`` and U+2028/9 become ``\\n``."""
    if not text:
        return text
    return UNSAFE.sub("", _NEWLINES.sub("\n", text))


def clean_line(text: str) -> str:
    """:func:`clean`, then tabs and newlines as single spaces: for one-line fields."""
    return _SPACES.sub(" ", clean(text))


def control_characters(text: str) -> list[tuple[int, str]]:
    """Every unsafe character of ``text`` (CRLF line ends are fine), as ``(index, "U+001B")``."""
    return [(match.start(), f"U+{ord(match.group()):04X}") for match in _REPORTED.finditer(text)]
