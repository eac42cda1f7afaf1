"""Rich rendering of the triage flows for ``mutum-copilot flows``: a table and a tree.

The tree is for a supervisor who reviews a flow without reading YAML: every
question with its numbered choices, what is said (DIZER), done (FAZER) and
only noted (NOTA), each check with its branches, and every end with its
outcome. Facts are filled in; call values and live N1 values stay as their
names (``{call.rx}``, ``{n1.back}``), since they exist only during a call.

Steps that simply follow one another are drawn as siblings, and a step reached
from two places or more is drawn once at the top level and referred to
("→ ver: ..."), so the tree stays shallow. A shared fragment (the escalation
steps) is drawn once at the end. Kept apart from the command so that
``mutum-copilot`` loads rich only when a flow is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from mutum_copilot.knowledge.facts import FactTable
from mutum_copilot.triage.checks import PeriodCheck, SignalCheck
from mutum_copilot.triage.context import ContextField
from mutum_copilot.triage.loader import OPENING
from mutum_copilot.triage.models import (
    OUTCOME_LABELS,
    RETURN,
    AskNode,
    BranchNode,
    EndNode,
    Flow,
    InfoNode,
    Inlined,
    ShiftNode,
    ValueNode,
    display_title,
)
from mutum_copilot.triage.render import fill_text, show_value

VERDICT_LABELS = {
    "inside": "dentro da faixa",
    "outside": "fora da faixa",
    "within": "ainda não completou o período",
    "beyond": "já completou o período",
    "missing": "em branco",
    "valid": "informado",
    "on_shift": "N1 no turno",
    "off_shift": "N1 fora do turno",
}
SHORT_OUTCOMES = {
    "resolved": "resolvido",
    "os_n1": "OS N1",
    "transfer_commercial": "comercial",
    "transfer_financial": "financeiro",
    "informed": "informado",
}


def flow_table(flows: Any) -> Table:
    table = Table(title="Fluxos de triagem", title_justify="left")
    table.add_column("ID", style="bold", no_wrap=True)
    table.add_column("Fluxo")
    table.add_column("Etapas", justify="right")
    table.add_column("Fins")
    for flow in flows.values():
        own = [flow.nodes[i] for i in flow.nodes if not i.startswith(f"{OPENING}/")]
        counts = Counter(SHORT_OUTCOMES[e.outcome] for e in flow.ends())
        ends = ", ".join(f"{name} ×{n}" if n > 1 else name for name, n in counts.items())
        table.add_row(flow.id, flow.title, str(len(own)), ends)
    return table


class _Graph:
    """A flow or one fragment as written: its nodes, with a fragment's use as one step.

    Targets are mapped back from the inlined flow to this space: a jump into
    an inlined fragment becomes its use, a jump out of a fragment ``$return``.
    """

    def __init__(
        self, flow: Flow, prefix: str = "", fields: Mapping[str, ContextField] | None = None
    ) -> None:
        self.flow = flow
        self.prefix = prefix
        self.fields = fields
        if prefix:
            cut = len(prefix) + 1
            self.nodes: dict[str, Any] = {
                i[cut:]: n for i, n in flow.nodes.items() if i.startswith(f"{prefix}/")
            }
            self.start = flow.inlined[prefix].start[cut:]
        else:
            self.nodes = {i: n for i, n in flow.nodes.items() if not n.fragment_id}
            self.nodes.update({p: f for p, f in flow.inlined.items() if p != OPENING})
            self.start = self.back(flow.start)

    def back(self, target: str) -> str:
        if self.prefix:
            head = f"{self.prefix}/"
            return target[len(head) :] if target.startswith(head) else RETURN
        first = target.split("/", 1)[0]
        return first if "/" in target and first in self.flow.inlined else target

    def outs(self, node: Any) -> list[tuple[str, str]]:
        """``(label, target)`` for each way out; one unlabelled way means "then"."""
        if isinstance(node, Inlined):
            return [("", self.back(node.after))]
        if isinstance(node, AskNode):
            found = []
            for number, choice in enumerate(node.choices, start=1):
                sets = ", ".join(f"{k} = {v}" for k, v in choice.assign.items())
                extra = f" [dim](define {escape(sets)})[/]" if sets else ""
                found.append((f"[bold]{number}.[/] {{label}}{extra}|{choice.label}", choice.next))
            return [(label, self.back(t)) for label, t in found]
        if isinstance(node, ValueNode) and node.branches:
            outs = [(VERDICT_LABELS.get(v, v), node.target(v)) for v in _value_verdicts(node)]
        elif isinstance(node, BranchNode):
            outs = [
                (f"se {show_value(node.on, k, self.fields)}", t) for k, t in node.branches.items()
            ]
            if node.next:
                outs.append(("outros valores", node.next))
        elif isinstance(node, ShiftNode):
            outs = [("N1 no turno", node.on_shift), ("N1 fora do turno", node.off_shift)]
        elif isinstance(node, (InfoNode, ValueNode)):
            return [("", self.back(node.next))]
        else:
            return []
        merged: dict[str, list[str]] = {}
        for label, target in outs:  # verdicts that go to the same place share one line
            if target:
                merged.setdefault(self.back(target), []).append(label)
        return [(f"[bold]{escape(' ou '.join(v))}[/] →", t) for t, v in merged.items()]

    def section_roots(self) -> set[str]:
        """The start and every step reached from two places or more: drawn at the top."""
        incoming: Counter[str] = Counter()
        for node in self.nodes.values():
            incoming.update(t for _, t in self.outs(node))
        return {self.start} | {n for n, count in incoming.items() if count > 1 and n in self.nodes}


class _TreeBuilder:
    def __init__(self, graph: _Graph, table: FactTable, back_label: str) -> None:
        self.graph = graph
        self.table = table
        self.back_label = back_label
        self.roots = graph.section_roots()
        self.shown: set[str] = set()
        self.queue: list[str] = [graph.start]

    def text(self, value: str) -> str:
        return escape(fill_text(value, self.table, None, {}))

    def render(self, parent: Tree) -> None:
        while self.queue:
            node_id = self.queue.pop(0)
            if node_id not in self.shown:
                self.chain(parent, node_id, section=True)

    def chain(self, parent: Tree, node_id: str, section: bool = False) -> None:
        """Add ``node_id`` and the steps that simply follow it, as siblings under ``parent``."""
        while True:
            if node_id == RETURN:
                parent.add(f"[dim]↩ {self.back_label}[/]")
                return
            node = self.graph.nodes[node_id]
            if node_id in self.shown or (node_id in self.roots and not section):
                parent.add(f"[dim]→ ver: {self._title(node)} ({node_id})[/]")
                self.queue.append(node_id)
                return
            section = False
            self.shown.add(node_id)
            branch = parent.add(self.label(node, node_id))
            self.texts(branch, node)
            outs = self.graph.outs(node)
            if len(outs) == 1 and not outs[0][0]:
                node_id = outs[0][1]
                continue
            for label, target in outs:
                if "|" in label:  # a choice: its label is filled here
                    template, raw = label.split("|", 1)
                    label = template.replace("{label}", self.text(raw))
                self.chain(branch.add(label), target)
            return

    def _title(self, node: Any) -> str:
        if isinstance(node, Inlined):
            return escape(node.title)
        return self.text(display_title(node))

    def label(self, node: Any, node_id: str) -> str:
        where = f"[dim]({node_id})[/]"
        if isinstance(node, Inlined):
            detail = f"{node_id}: trecho comum {node.fragment_id}, mostrado no fim"
            return f"[bold]TRECHO COMUM[/] {escape(node.title)} [dim]({escape(detail)})[/]"
        title = self._title(node)
        if isinstance(node, AskNode):
            return f"[bold]PERGUNTA[/] {title} {where}"
        if isinstance(node, ValueNode):
            check = _describe_check(node.check_spec)
            kind = f"[dim]\\[{node.value.kind}{', opcional' if node.value.optional else ''}][/]"
            return f"[bold]VALOR[/] {title} {kind}{check} {where}"
        if isinstance(node, BranchNode):
            return f"[bold]AUTOMÁTICO[/] {title}: conforme {node.on} {where}"
        if isinstance(node, ShiftNode):
            return f"[bold]AUTOMÁTICO[/] {title}: conforme o relógio do N1 {where}"
        if isinstance(node, EndNode):
            parts = [OUTCOME_LABELS[node.outcome]]
            if node.opens_os:
                parts.append(f"urgência {node.effective_urgency}")
                parts.append(f"OS: {self.text(node.os_subject)}")
            if node.then_flow:
                parts.append(f"seguir no fluxo {node.then_flow}")
            return f"[bold green]FIM[/] {'; '.join(parts)} {where}"
        return f"[bold]ORIENTAÇÃO[/] {title} {where}"

    def texts(self, branch: Tree, node: Any) -> None:
        if isinstance(node, Inlined):
            return
        for label, value, style in (
            ("DIZER", node.say, "green"),
            ("FAZER", node.do, "cyan"),
            ("NOTA", node.note, "yellow"),
        ):
            if value:
                branch.add(f"[{style}]{label}:[/] {self.text(value)}")
        if isinstance(node, AskNode):
            branch.add(f"[magenta]PERGUNTA:[/] {self.text(node.question)}")


def _value_verdicts(node: ValueNode) -> list[str]:
    found = list(node.check_spec.verdicts) if node.check_spec is not None else ["valid"]
    return [*found, "missing"] if node.value.optional else found


def _describe_check(check: Any) -> str:
    if isinstance(check, SignalCheck):
        return f" confere com a faixa ideal {escape(str(check.range))}"
    if isinstance(check, PeriodCheck):
        return f" confere com a regra de {check.describe_period()} ({check.fact})"
    return ""


def flow_tree(
    flow: Flow,
    table: FactTable,
    full: bool = False,
    fields: Mapping[str, ContextField] | None = None,
) -> Tree:
    """The flow as a rich Tree: its steps, then each shared fragment once.

    ``fields``: the pack's context fields, so a branch on the area shows its label.
    """
    root = Tree(f"[bold]{escape(flow.title)}[/] [dim]({flow.id}, {flow.path})[/]")
    if flow.summary:
        root.add(f"[italic]{escape(flow.summary)}[/]")
    if flow.opening and OPENING in flow.inlined:
        if full:
            opening = root.add(f"[bold]ABERTURA COMUM[/] {escape(flow.inlined[OPENING].title)}")
            _TreeBuilder(_Graph(flow, OPENING, fields), table, "segue para o fluxo").render(opening)
        else:
            graph = _Graph(flow, OPENING, fields)
            names = ", ".join(display_title(n) for n in graph.nodes.values())
            root.add(f"[dim]Abertura comum: {escape(names)} (veja com --full)[/]")
    _TreeBuilder(_Graph(flow, "", fields), table, "volta").render(root)
    seen: set[str] = set()
    for prefix, inlined in flow.inlined.items():
        if prefix == OPENING or inlined.fragment_id in seen:
            continue
        seen.add(inlined.fragment_id)
        branch = root.add(
            f"[bold]TRECHO COMUM[/] {escape(inlined.title)} [dim]({inlined.fragment_id})[/]"
        )
        _TreeBuilder(_Graph(flow, prefix, fields), table, "volta ao fluxo").render(branch)
    return root
