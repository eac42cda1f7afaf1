"""Typed models of the guided triage: nodes, choices, value specs, flows.

A flow file (``flows/<id>.yaml``) and a fragment file (``flows/_<id>.yaml``)
are lists of nodes. Each node has one ``type`` and its own dataclass, so the
strict converter refuses keys that make no sense for that type (``choices`` on
an ``info`` node) with the file, the line and the nearest valid key.

After loading, fragments are inlined into every flow that uses them and the
result is a :class:`Flow`: one plain graph of nodes keyed by id, which the
engine walks and the validator checks without knowing fragments exist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from mutum_copilot.yamlkit.structs import Origin, origin_field

ValueKind = Literal["text", "number", "dbm", "date", "cpf", "mac4", "phone", "phones"]
Outcome = Literal["resolved", "os_n1", "transfer_commercial", "transfer_financial", "informed"]
Urgency = Literal["normal", "alta"]

#: The target that leaves a fragment and continues where it was used.
RETURN = "$return"
#: Number keys pick choices, so an ask node has at most this many.
MAX_CHOICES = 9

OUTCOME_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "resolved": "resolvido no atendimento",
        "os_n1": "OS para a triagem do N1",
        "transfer_commercial": "transferido ao comercial",
        "transfer_financial": "transferido ao financeiro",
        "informed": "cliente apenas informado",
    }
)


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Choice:
    """One numbered answer of an ``ask`` node; ``set`` names values for later branches."""

    label: str
    next: str
    assign: Mapping[str, str] = field(default_factory=_empty, metadata={"key": "set"})
    origin: Origin = origin_field()


@dataclass(frozen=True)
class ValueSpec:
    """What a ``value`` node asks the agent to type, and how it is read."""

    name: str
    kind: ValueKind
    label: str
    optional: bool = False
    hint: str = ""


@dataclass(frozen=True, kw_only=True)
class NodeBase:
    """Fields every node may carry: what is read aloud, done, and only noted."""

    id: str
    title: str = ""
    say: str = ""
    do: str = ""
    note: str = ""
    origin: Origin = origin_field()
    #: The fragment this node was inlined from ("" for the flow's own nodes).
    fragment_id: str = field(default="", compare=False, metadata={"yaml": False})


@dataclass(frozen=True, kw_only=True)
class InfoNode(NodeBase):
    type: Literal["info"]
    next: str


@dataclass(frozen=True, kw_only=True)
class AskNode(NodeBase):
    type: Literal["ask"]
    question: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True, kw_only=True)
class ValueNode(NodeBase):
    type: Literal["value"]
    value: ValueSpec
    check: str = ""
    next: str = ""
    branches: Mapping[str, str] = field(default_factory=_empty)
    #: The resolved check (filled by the loader from the fact named in ``check``).
    check_spec: Any = field(default=None, compare=False, metadata={"yaml": False})

    def target(self, verdict: str) -> str:
        return self.branches.get(verdict) or self.next


@dataclass(frozen=True, kw_only=True)
class BranchNode(NodeBase):
    type: Literal["branch"]
    on: str
    branches: Mapping[str, str]
    next: str = ""

    def target(self, verdict: str) -> str:
        return self.branches.get(verdict) or self.next


@dataclass(frozen=True, kw_only=True)
class ShiftNode(NodeBase):
    type: Literal["shift"]
    on_shift: str
    off_shift: str

    def target(self, verdict: str) -> str:
        return self.on_shift if verdict == "on_shift" else self.off_shift


@dataclass(frozen=True, kw_only=True)
class EndNode(NodeBase):
    type: Literal["end"]
    outcome: Outcome
    urgency: Urgency | None = None
    os_subject: str = ""
    then_flow: str = ""

    @property
    def opens_os(self) -> bool:
        """An OS is registered: always for N1, and for a transfer that names a subject."""
        return self.outcome == "os_n1" or bool(self.os_subject)

    @property
    def effective_urgency(self) -> str:
        return (self.urgency or "normal") if self.opens_os else ""


@dataclass(frozen=True, kw_only=True)
class UseNode(NodeBase):
    """Runs a fragment, then continues at ``next``; gone after inlining."""

    type: Literal["use"]
    fragment: str
    next: str


Node = InfoNode | AskNode | ValueNode | BranchNode | ShiftNode | EndNode | UseNode
NODE_TYPES: Mapping[str, type] = MappingProxyType(
    {
        "info": InfoNode,
        "ask": AskNode,
        "value": ValueNode,
        "branch": BranchNode,
        "shift": ShiftNode,
        "end": EndNode,
        "use": UseNode,
    }
)


def targets(node: Any) -> list[tuple[str, str]]:
    """Every ``(key, target id)`` a node can go to, keys as written in YAML."""
    found: list[tuple[str, str]] = []
    if isinstance(node, AskNode):
        found += [(f"choices[{i}].next", c.next) for i, c in enumerate(node.choices)]
    if isinstance(node, (ValueNode, BranchNode)):
        found += [(f"branches.{k}", v) for k, v in node.branches.items()]
    if isinstance(node, ShiftNode):
        found += [("on_shift", node.on_shift), ("off_shift", node.off_shift)]
    if isinstance(node, (InfoNode, ValueNode, BranchNode, UseNode)) and node.next:
        found.append(("next", node.next))
    return found


def retarget(node: Any, move: Callable[[str], str], new_id: str, fragment_id: str) -> Any:
    """A copy of ``node`` under ``new_id`` with every target passed through ``move``."""
    changes: dict[str, Any] = {"id": new_id, "fragment_id": fragment_id}
    if isinstance(node, AskNode):
        changes["choices"] = tuple(dataclasses.replace(c, next=move(c.next)) for c in node.choices)
    if isinstance(node, (ValueNode, BranchNode)):
        changes["branches"] = MappingProxyType({k: move(v) for k, v in node.branches.items()})
    if isinstance(node, ShiftNode):
        changes["on_shift"] = move(node.on_shift)
        changes["off_shift"] = move(node.off_shift)
    if isinstance(node, (InfoNode, ValueNode, BranchNode, UseNode)) and node.next:
        changes["next"] = move(node.next)
    return dataclasses.replace(node, **changes)


def text_fields(node: Any) -> list[tuple[str, str]]:
    """Every ``(key, text)`` of a node that may hold references such as ``{fees.x}``."""
    found = [(k, getattr(node, k)) for k in ("title", "say", "do", "note") if getattr(node, k)]
    if isinstance(node, AskNode):
        found.append(("question", node.question))
        found += [(f"choices[{i}].label", c.label) for i, c in enumerate(node.choices)]
    if isinstance(node, ValueNode):
        found += [("value.label", node.value.label), ("value.hint", node.value.hint)]
    if isinstance(node, EndNode) and node.os_subject:
        found.append(("os_subject", node.os_subject))
    return found


def display_title(node: Any) -> str:
    """What a breadcrumb or a note calls a node: its title, else its question or label."""
    if node.title:
        return str(node.title)
    if isinstance(node, AskNode):
        return node.question
    if isinstance(node, ValueNode):
        return node.value.label
    if isinstance(node, EndNode):
        return OUTCOME_LABELS[node.outcome]
    first = str(node.say or node.do or node.note or node.id).strip().splitlines()[0]
    return first if len(first) <= 60 else first[:59] + "…"


@dataclass(frozen=True)
class FlowFile:
    """The shape of ``flows/<id>.yaml``."""

    title: str
    start: str
    nodes: tuple[Any, ...]
    #: The day a supervisor last checked the flow against the provider's document.
    verified_on: dt.date
    summary: str = ""
    keywords: tuple[str, ...] = ()
    order: int = 100
    #: Run the shared opening (``_abertura.yaml``) first.
    opening: bool = True


@dataclass(frozen=True)
class FragmentFile:
    """The shape of ``flows/_<id>.yaml``: nodes shared by flows, left by ``$return``."""

    title: str
    start: str
    nodes: tuple[Any, ...]
    summary: str = ""


@dataclass(frozen=True)
class Inlined:
    """A fragment copied into a flow: its nodes are ``<prefix>/<node id>``."""

    prefix: str
    fragment_id: str
    title: str
    start: str
    #: Where ``$return`` went: the node after the fragment, in the flow.
    after: str


@dataclass(frozen=True)
class Flow:
    """A loaded flow with its fragments inlined: the graph the engine walks."""

    id: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    order: int
    #: Where a session begins (the opening's first node, or ``start``).
    entry: str
    #: The flow's own first node, after the opening.
    start: str
    nodes: Mapping[str, Any]
    path: str
    opening: bool = True
    #: The fragments copied in, by prefix (the opening's prefix is "abertura").
    inlined: Mapping[str, Inlined] = field(default_factory=lambda: MappingProxyType({}))
    #: The day the flow was last checked against the provider's document.
    verified_on: dt.date | None = None
    #: The line of ``verified_on`` in the flow's file (for ``check``'s review list).
    verified_line: int = 0

    def node(self, node_id: str) -> Any:
        return self.nodes[node_id]

    def ends(self) -> list[EndNode]:
        return [n for n in self.nodes.values() if isinstance(n, EndNode)]
