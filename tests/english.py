"""English words that must never reach the agent or the supervisor (issue #10).

:func:`english_words` finds them in a text a person sees. It reads the words,
not what the copilot quotes back: a ``path:line: key:`` prefix, paths, option
names (``--help``), quoted or braced text (``"amout"``, ``{fees.visit}``) and
identifiers (``verified_on``) are left out, since those are the person's own
input or names of the pack format, not sentences.
"""

from __future__ import annotations

import re

#: Words that betray an English message (argparse, PyYAML, Textual, our own old texts).
ENGLISH = (
    "usage",
    "error",
    "expected",
    "unknown",
    "missing",
    "required",
    "invalid",
    "must",
    "should",
    "options",
    "arguments",
    "argument",
    "show",
    "help",
    "message",
    "mean",
    "cannot",
    "found",
    "not",
    "the",
    "file",
    "refused",
    "got",
    "valid",
    "deleted",
    "written",
    "quit",
    "search",
    "commands",
    "press",
    "matches",
    "palette",
)
_WORD = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"\n]*\"|'[^'\n]*'|“[^”\n]*”|\{[^}\n]*\}|`[^`\n]*`")
_CODE = re.compile(r"(?<![\w-])--?[\w-]+|(?<!\w)/\S+|\S+\.(?:ya?ml|sqlite3|csv|json)\b|\w+_\w+")
_PREFIX = re.compile(r"^\S+:\d+: (?:[\w.\[\]/-]+: )?", re.MULTILINE)
#: After these words, the copilot lists names of the pack format, not prose.
_NAME_LISTS = re.compile(r"(chaves válidas|válidos|vereditos|valores|n1 tem|escolha entre):[^;\n]*")


def visible_words(text: str) -> str:
    """``text`` without what the copilot only quotes (names, paths, the person's input)."""
    text = _PREFIX.sub("", text)
    text = _NAME_LISTS.sub(" ", text)
    text = _QUOTED.sub(" ", text)
    return _CODE.sub(" ", text)


def english_words(text: str) -> list[str]:
    """Each line of ``text`` that holds an English word, with the word first."""
    found = []
    for line in text.splitlines():
        words = _WORD.findall(visible_words(line))
        if words:
            found.append(f"{words[0]!r} in: {line.strip()}")
    return found
