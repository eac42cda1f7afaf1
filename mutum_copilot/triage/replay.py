"""Where a session stands: replay its answers over the flow, without any clock.

:func:`replay` is pure: the same flow and session always give the same
current node, values and path. The engine uses it before every step; the OS
note uses it to list what was done. A session that does not fit its flow any
more (a node gone, a choice removed) raises :class:`SessionError` with a
message for the agent, never a KeyError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from mutum_copilot.triage.checks import MISSING, describe
from mutum_copilot.triage.context import ContextField
from mutum_copilot.triage.models import (
    AskNode,
    BranchNode,
    EndNode,
    Flow,
    InfoNode,
    ShiftNode,
    ValueNode,
    display_title,
)
from mutum_copilot.triage.render import show_value
from mutum_copilot.triage.session import Answer, Session, SessionError

SHIFT_VERDICTS = ("on_shift", "off_shift")
SHIFT_ANSWERS = {"on_shift": "N1 no turno", "off_shift": "N1 fora do turno"}


@dataclass(frozen=True)
class Step:
    """One recorded step as the path, the history and the note show it."""

    node_id: str
    title: str
    kind: str
    #: The choice's label, the value as kept, or the automatic verdict in words.
    answer: str
    value: str
    verdict: str
    #: The check's sentence, e.g. "-27 dBm: fora da faixa ideal (-15 a -22 dBm)".
    verdict_text: str
    at: dt.datetime
    auto: bool = False
    personal: bool = False


@dataclass(frozen=True)
class Position:
    """The current node, the values known so far, and the path that led here."""

    node: Any
    values: Mapping[str, str]
    steps: tuple[Step, ...]

    @property
    def ended(self) -> bool:
        return isinstance(self.node, EndNode)


def value_verdict(answer: Answer) -> str:
    """The verdict a value answer branches on ("valid" for a value with no check)."""
    if answer.value is None:
        return MISSING
    return answer.verdict or "valid"


def replay(
    flow: Flow,
    session: Session,
    zone: ZoneInfo,
    fields: Mapping[str, ContextField] | None = None,
) -> Position:
    """Walk ``session``'s answers from the flow's entry; SessionError if they do not fit.

    ``fields``: the pack's context fields, so a branch on the area is told by its label.
    """
    if session.flow_id != flow.id:
        raise SessionError(f"a sessão é do fluxo {session.flow_id}, não de {flow.id}")
    values: dict[str, str] = {}
    steps: list[Step] = []
    node = _node(flow, flow.entry)
    edits = sorted(session.edits, key=lambda e: e.position)
    for index, answer in enumerate(session.answers):
        _apply_edits(values, edits, index)
        if answer.node != node.id:
            raise SessionError(
                f'o fluxo "{flow.title}" mudou desde que a chamada foi salva: '
                f'a etapa "{answer.node}" não é mais a que vem aqui'
            )
        target, step = _step(flow, node, answer, values, zone, fields or {})
        steps.append(step)
        node = _node(flow, target)
    _apply_edits(values, edits, len(session.answers), last=True)
    return Position(node, values, tuple(steps))


def _apply_edits(values: dict[str, str], edits: list[Any], index: int, last: bool = False) -> None:
    for edit in edits:
        reached = edit.position == index or (last and edit.position > index)
        if reached and edit.value:
            values[edit.name] = edit.value


def _node(flow: Flow, node_id: str) -> Any:
    node = flow.nodes.get(node_id)
    if node is None:
        raise SessionError(
            f'o fluxo "{flow.title}" mudou desde que a chamada foi salva: '
            f'a etapa "{node_id}" não existe mais'
        )
    return node


def _broken(flow: Flow, node: Any) -> SessionError:
    return SessionError(
        f'o fluxo "{flow.title}" mudou desde que a chamada foi salva: '
        f'a resposta salva não cabe mais na etapa "{node.id}"'
    )


def _step(
    flow: Flow,
    node: Any,
    answer: Answer,
    values: dict[str, str],
    zone: ZoneInfo,
    fields: Mapping[str, ContextField],
) -> tuple[str, Step]:
    """The target after ``answer`` at ``node``, and the step it records; updates ``values``."""
    title = display_title(node)

    def make(answer_text: str, value: str = "", verdict: str = "", verdict_text: str = "") -> Step:
        return Step(
            node.id, title, node.type, answer_text, value, verdict, verdict_text,
            answer.at, answer.auto, answer.personal,
        )  # fmt: skip

    if isinstance(node, AskNode):
        if answer.choice is None or not 1 <= answer.choice <= len(node.choices):
            raise _broken(flow, node)
        choice = node.choices[answer.choice - 1]
        values.update(choice.assign)
        return choice.next, make(choice.label)
    if isinstance(node, ValueNode):
        if answer.choice is not None or answer.auto:
            raise _broken(flow, node)
        verdict = value_verdict(answer)
        if verdict not in (*_verdicts(node), "valid"):
            raise _broken(flow, node)
        if answer.value:
            values[node.value.name] = answer.value
        today = answer.at.astimezone(zone).date()
        text = answer.value if answer.value is not None else "não informado"
        explained = describe(node.value.kind, answer.value or "", node.check_spec, today)
        kept = answer.verdict if answer.value is not None else MISSING
        return node.target(verdict), make(text, answer.value or "", kept, explained)
    if isinstance(node, InfoNode):
        if answer.choice is not None or answer.value is not None or answer.auto:
            raise _broken(flow, node)
        return node.next, make("ok")
    if isinstance(node, ShiftNode):
        if not answer.auto or answer.verdict not in SHIFT_VERDICTS:
            raise _broken(flow, node)
        said = SHIFT_ANSWERS[answer.verdict]
        return node.target(answer.verdict), make(said, answer.value or "", answer.verdict)
    if isinstance(node, BranchNode):
        if not answer.auto or not node.target(answer.verdict):
            raise _broken(flow, node)
        shown = show_value(node.on, answer.verdict, fields) if answer.verdict else "(sem valor)"
        return node.target(answer.verdict), make(shown, answer.verdict, answer.verdict)
    raise SessionError(f'a chamada já terminou em "{node.id}"; não cabe outra resposta')


def _verdicts(node: ValueNode) -> tuple[str, ...]:
    found = node.check_spec.verdicts if node.check_spec is not None else ()
    return (*found, MISSING) if node.value.optional else tuple(found)
