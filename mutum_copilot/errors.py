"""The one small error hierarchy of the project.

Every error that can reach an agent or a supervisor is one of these, so the
edges (CLI, TUI) can turn it into a clean message instead of a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Characters that would break ``path:line: message`` over lines or move the cursor.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with control characters escaped (``\\n``), as messages echo what was typed."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a file: where it is and what is wrong."""

    path: str
    line: int
    message: str
    key: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.key}: {self.message}" if self.key else self.message
        return one_line(f"{where}: {what}")


class MutumError(Exception):
    """Base of every error the copilot reports to a person."""


class ProblemsError(MutumError):
    """A file or a set of files with one or more problems, all collected."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class PackError(ProblemsError):
    """The knowledge pack cannot be loaded."""


class ConfigError(ProblemsError):
    """The user's config file cannot be used."""


class InputError(MutumError):
    """A value typed by a person (a date, a query, an option) is not usable."""
