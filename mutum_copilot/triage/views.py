"""What the TUI shows of the current step: plain values, texts already filled.

The engine builds a :class:`StepView` for the current node; the TUI renders it
and never looks at the flow models itself. ``say`` (read to the customer),
``do`` (what the agent does) and ``note`` (agent-only guidance) stay apart so
the TUI can show them apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mutum_copilot.triage.checks import PeriodCheck, SignalCheck
from mutum_copilot.triage.models import (
    OUTCOME_LABELS,
    AskNode,
    EndNode,
    Flow,
    ValueNode,
    display_title,
)
from mutum_copilot.triage.replay import Position
from mutum_copilot.triage.session import Draft


@dataclass(frozen=True)
class ChoiceView:
    number: int
    label: str
    #: The choice that sets a value the call already has (e.g. the area typed in the panel).
    suggested: bool = False
    #: The choice this step had before the agent went back to it.
    previous: bool = False


@dataclass(frozen=True)
class ValuePrompt:
    name: str
    kind: str
    label: str
    optional: bool
    hint: str
    #: What the field starts with: the value already known for this name, if any.
    default: str
    #: The rule the value is checked against, e.g. "faixa ideal: -15 a -22 dBm".
    check: str
    #: What the agent had typed (a draft), or the answer before going back; None: nothing.
    typed: str | None = None
    #: ``typed`` is the answer the step had (offered to confirm), not text being typed.
    kept: bool = False

    @property
    def offered(self) -> bool:
        """The box shows a value to confirm (typing replaces it), not the agent's own typing."""
        return self.typed is None or self.kept

    @property
    def text(self) -> str:
        """What the box shows: the draft if there is one, else the value already known."""
        return self.typed if self.typed is not None else self.default


@dataclass(frozen=True)
class OutcomeView:
    outcome: str
    label: str
    urgency: str
    opens_os: bool
    os_subject: str
    then_flow: str


@dataclass(frozen=True)
class StepView:
    """The current step, ready to show."""

    flow_id: str
    flow_title: str
    node_id: str
    kind: str
    title: str
    say: str
    do: str
    note: str
    question: str
    choices: tuple[ChoiceView, ...]
    value: ValuePrompt | None
    outcome: OutcomeView | None
    can_back: bool

    @property
    def ended(self) -> bool:
        return self.outcome is not None


@dataclass(frozen=True)
class Preview:
    """The live verdict of a value being typed (``ok`` False: the message says what is wrong)."""

    ok: bool
    message: str
    verdict: str


def describe_check(check: Any) -> str:
    if isinstance(check, SignalCheck):
        return f"faixa ideal: {check.range}"
    if isinstance(check, PeriodCheck):
        return f"regra: {check.describe_period()}"
    return ""


def build_view(
    flow: Flow,
    where: Position,
    can_back: bool,
    fill: Callable[[str], str],
    draft: Draft | None = None,
) -> StepView:
    """The view of ``where``; ``draft`` (of this node) fills the box or marks a choice."""
    node = where.node
    previous = int(draft.text) if draft and draft.kept and draft.text.isdigit() else None
    choices: tuple[ChoiceView, ...] = ()
    value = None
    outcome = None
    question = ""
    if isinstance(node, AskNode):
        question = fill(node.question)
        choices = tuple(
            ChoiceView(
                i,
                fill(c.label),
                bool(c.assign) and all(where.values.get(k) == v for k, v in c.assign.items()),
                previous == i,
            )
            for i, c in enumerate(node.choices, start=1)
        )
    elif isinstance(node, ValueNode):
        spec = node.value
        value = ValuePrompt(
            spec.name,
            spec.kind,
            fill(spec.label),
            spec.optional,
            fill(spec.hint),
            where.values.get(spec.name, ""),
            describe_check(node.check_spec),
            draft.text if draft is not None else None,
            draft.kept if draft is not None else False,
        )
    elif isinstance(node, EndNode):
        outcome = OutcomeView(
            node.outcome,
            OUTCOME_LABELS[node.outcome],
            node.effective_urgency,
            node.opens_os,
            fill(node.os_subject),
            node.then_flow,
        )
    return StepView(
        flow_id=flow.id,
        flow_title=flow.title,
        node_id=node.id,
        kind=node.type,
        title=fill(display_title(node)),
        say=fill(node.say),
        do=fill(node.do),
        note=fill(node.note),
        question=question,
        choices=choices,
        value=value,
        outcome=outcome,
        can_back=can_back,
    )
