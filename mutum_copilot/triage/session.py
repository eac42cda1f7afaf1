"""A triage session: a plain, immutable value that can be saved and restored.

The session holds only what was *decided*: the flow, each recorded answer
(node, choice or value, verdict, time), the context values the agent typed in
the panel, and the agent's free notes. Where the call stands is derived by
replaying the answers over the flow (see :mod:`mutum_copilot.triage.engine`),
so undo is simply "drop the last answers" and a restored session is exactly
the one that was saved. Automatic steps (a branch, the N1 clock) are recorded
with their verdict, so replaying a saved session never asks the clock again.

A session also keeps the agent's *draft*: the half-typed value of the
current step (or, after going back, the answer that was there), so leaving
for the FAQ or a dialog, or a crash, never empties the box. Every subject and
every answer carries a ``uid`` (uuid4 hex), so a team store can sync them
idempotently.

Privacy: a CPF is only ever stored masked (the engine masks it before it gets
here) and values of kind phone/phones are flagged ``personal`` so
:meth:`Session.without_personal` can drop them once the call has ended. Text
read back from a saved session loses any control character
(:func:`mutum_copilot.safetext.clean`): a planted history row cannot drive
the terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from mutum_copilot.errors import MutumError
from mutum_copilot.safetext import clean

FORMAT_VERSION = 2
#: Versions :meth:`Session.from_dict` reads (1: before uids and drafts).
READABLE_VERSIONS = (1, 2)
REMOVED = ""


class SessionError(MutumError):
    """A saved session cannot be used (damaged, or its flow changed since)."""


@dataclass(frozen=True)
class Answer:
    """One recorded step: a choice (1-based), a value (None if skipped), or an automatic verdict."""

    node: str
    at: dt.datetime
    choice: int | None = None
    value: str | None = None
    verdict: str = ""
    auto: bool = False
    personal: bool = False
    #: Answered from what the call already knew (another subject of the same customer).
    carried: bool = False
    uid: str = ""


@dataclass(frozen=True)
class Draft:
    """What is in the box of step ``node`` but not confirmed yet.

    ``kept``: the answer the step had before the agent went back to it (already
    checked once, e.g. a masked CPF), offered to confirm or edit.
    """

    node: str
    text: str
    kept: bool = False


@dataclass(frozen=True)
class ContextEdit:
    """A call value typed in the context panel, after ``position`` recorded answers."""

    name: str
    value: str
    position: int
    personal: bool = False


@dataclass(frozen=True)
class Session:
    """Everything needed to resume a call's triage."""

    flow_id: str
    started_at: dt.datetime
    answers: tuple[Answer, ...] = ()
    notes: str = ""
    edits: tuple[ContextEdit, ...] = field(default=())
    uid: str = ""
    draft: Draft | None = None

    def with_notes(self, notes: str) -> Session:
        return replace(self, notes=notes)

    def without_personal(self) -> Session:
        """The session with personal values (phones) and the draft blanked, once the call ends."""
        answers = tuple(replace(a, value=REMOVED) if a.personal else a for a in self.answers)
        edits = tuple(e for e in self.edits if not e.personal)
        return replace(self, answers=answers, edits=edits, draft=None)

    @property
    def ended_at(self) -> dt.datetime | None:
        """When the last step was recorded (None before the first)."""
        return self.answers[-1].at if self.answers else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (times as ISO 8601 with offset)."""
        found: dict[str, Any] = {
            "version": FORMAT_VERSION,
            "uid": self.uid,
            "flow_id": self.flow_id,
            "started_at": self.started_at.isoformat(),
            "answers": [_answer_dict(a) for a in self.answers],
            "notes": self.notes,
            "edits": [
                {"name": e.name, "value": e.value, "position": e.position, "personal": e.personal}
                for e in self.edits
            ],
        }
        if self.draft is not None:
            found["draft"] = {
                "node": self.draft.node,
                "text": self.draft.text,
                "kept": self.draft.kept,
            }
        return found

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Session:
        """The session saved by :meth:`to_dict`; SessionError if it is not one."""
        try:
            if data.get("version") not in READABLE_VERSIONS:
                raise SessionError(f"sessão salva em formato desconhecido: {data.get('version')!r}")
            draft = data.get("draft")
            return cls(
                flow_id=_text(data["flow_id"]),
                started_at=_time(data["started_at"]),
                answers=tuple(_answer(a) for a in data.get("answers", [])),
                notes=_text(data.get("notes", "")),
                edits=tuple(
                    ContextEdit(
                        _text(e["name"]),
                        _text(e["value"]),
                        _int(e["position"]),
                        bool(e.get("personal", False)),
                    )
                    for e in data.get("edits", [])
                ),
                uid=_text(data.get("uid", "")),
                draft=None
                if draft is None
                else Draft(
                    _text(draft["node"]), _text(draft["text"]), bool(draft.get("kept", False))
                ),
            )
        except SessionError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SessionError(f"sessão salva danificada ({type(exc).__name__})") from None


def _answer_dict(answer: Answer) -> dict[str, Any]:
    found: dict[str, Any] = {"node": answer.node, "at": answer.at.isoformat()}
    if answer.choice is not None:
        found["choice"] = answer.choice
    if answer.value is not None:
        found["value"] = answer.value
    if answer.verdict:
        found["verdict"] = answer.verdict
    if answer.auto:
        found["auto"] = True
    if answer.personal:
        found["personal"] = True
    if answer.carried:
        found["carried"] = True
    if answer.uid:
        found["uid"] = answer.uid
    return found


def _answer(data: Mapping[str, Any]) -> Answer:
    choice = data.get("choice")
    value = data.get("value")
    return Answer(
        node=_text(data["node"]),
        at=_time(data["at"]),
        choice=None if choice is None else _int(choice),
        value=None if value is None else _text(value),
        verdict=_text(data.get("verdict", "")),
        auto=bool(data.get("auto", False)),
        personal=bool(data.get("personal", False)),
        carried=bool(data.get("carried", False)),
        uid=_text(data.get("uid", "")),
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return clean(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected a whole number")
    return value


def _time(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(_text(value))
    if moment.tzinfo is None:
        raise ValueError("naive time")
    return moment
