"""Load ``flows/*.yaml`` into validated :class:`Flow` graphs, collecting every problem.

``flows/<id>.yaml`` is a flow; ``flows/_<id>.yaml`` is a fragment, a piece of
flow shared instead of copied: the opening every call starts with
(``_abertura.yaml``) and the escalation steps. A flow runs the opening first
unless it says ``opening: false``, and runs any other fragment with a ``use``
node; a fragment leaves with the target ``$return``.

Fragments are inlined here, under the id of the node that uses them
(``escalar/telefones``; the opening under ``abertura/``), so the engine and
the graph checks see one plain graph per flow. Nodes keep the file and line
they were written at, so a problem in a fragment points into the fragment.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutum_copilot.errors import Problem
from mutum_copilot.knowledge.facts import FactTable, is_fact_name
from mutum_copilot.knowledge.models import Facts
from mutum_copilot.triage.checks import CHECK_KINDS, resolve_check
from mutum_copilot.triage.context import by_name, context_fields
from mutum_copilot.triage.models import (
    NODE_TYPES,
    RETURN,
    Flow,
    FlowFile,
    FragmentFile,
    Inlined,
    UseNode,
    ValueNode,
    retarget,
)
from mutum_copilot.triage.validate import check_flow, check_part
from mutum_copilot.yamlkit.structs import INVALID, Converter
from mutum_copilot.yamlkit.suggest import suggest
from mutum_copilot.yamlkit.yamlio import YMap, read_yaml_file

FLOW_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
OPENING = "abertura"


@dataclass(frozen=True)
class Part:
    """One flow or fragment file, its nodes converted but not yet inlined."""

    id: str
    path: str
    spec: Any
    nodes: dict[str, Any]
    fragment: bool
    start_line: int
    verified_line: int = 0


def load_flows(
    folder: Path, facts: Facts, table: FactTable
) -> tuple[dict[str, Flow], list[Problem]]:
    """Every flow of ``folder``, inlined and validated, and every problem found."""
    problems: list[Problem] = []
    flow_parts: list[Part] = []
    fragments: dict[str, Part] = {}
    broken: set[str] = set()  # files that could not be read: their problems are reported
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
        part = _read_part(path, str(path), facts, problems)
        if part is None:
            broken.add(path.stem)
        elif part.fragment:
            fragments[part.id] = part
        else:
            flow_parts.append(part)
    # A flow that uses an unreadable fragment cannot be checked: saying so for every
    # flow would bury the one real problem, the fragment's own.
    flow_parts = [p for p in flow_parts if not (_fragments_used(p) & broken)]
    context = by_name(context_fields(facts))
    for part in [*fragments.values(), *flow_parts]:
        check_part(part, fragments, table, problems, context)
    flows: dict[str, Flow] = {}
    for part in flow_parts:
        flow = _inline(part, fragments, problems)
        if flow is not None:
            check_flow(flow, table, problems, context)
            flows[flow.id] = flow
    _check_then_flow(flows, broken, problems)
    return dict(sorted(flows.items(), key=lambda kv: (kv[1].order, kv[1].title))), problems


def _fragments_used(part: Part) -> set[str]:
    """File stems (``_name``) of the fragments a flow runs, the opening included."""
    used = {f"_{n.fragment}" for n in part.nodes.values() if isinstance(n, UseNode)}
    if part.spec.opening:
        used.add(f"_{OPENING}")
    return used


def _read_part(path: Path, name: str, facts: Any, problems: list[Problem]) -> Part | None:
    fragment = path.name.startswith("_")
    part_id = path.stem.removeprefix("_")
    if not FLOW_ID.fullmatch(part_id):
        what = "de um fragmento" if fragment else "de um fluxo"
        problems.append(
            Problem(
                name, 0, f'o nome do arquivo {what} deve ser palavras minúsculas unidas por "-"'
            )
        )
        return None
    result = read_yaml_file(path, name)
    problems.extend(result.problems)
    if result.data is None:
        return None
    converter = Converter(name)
    spec = converter.struct(FragmentFile if fragment else FlowFile, result.data, 1)
    if spec is INVALID:
        problems.extend(converter.problems)
        return None
    nodes: dict[str, Any] = {}
    raw_nodes = result.data["nodes"]
    for index, raw in enumerate(raw_nodes):
        node = _read_node(converter, raw, raw_nodes.line_of(index), index)
        if node is INVALID:
            continue
        if node.id in nodes:
            first = nodes[node.id].origin.line
            converter.problem(
                node.origin.line, f"id de nó repetido (o primeiro na linha {first})", node.id
            )
            continue
        nodes[node.id] = _with_check(node, facts, converter)
    problems.extend(converter.problems)
    data = result.data
    return Part(
        part_id, name, spec, nodes, fragment, data.line_of("start"), data.line_of("verified_on")
    )


def _read_node(converter: Converter, raw: Any, line: int, index: int) -> Any:
    """One node: its ``type`` picks the dataclass, which then refuses unknown keys."""
    where = f"nodes[{index}]"
    if not isinstance(raw, YMap):
        converter.problem(line, "esperava um nó (um mapeamento com id e type)", where)
        return INVALID
    if isinstance(raw.get("id"), str):
        where = raw["id"]
    node_type = raw.get("type")
    if node_type is None:
        converter.problem(raw.line, "falta a chave obrigatória", f"{where}.type")
        return INVALID
    cls = NODE_TYPES.get(node_type) if isinstance(node_type, str) else None
    if cls is None:
        valid = ", ".join(NODE_TYPES)
        hint = suggest(str(node_type), NODE_TYPES)
        converter.problem(
            raw.line_of("type"),
            f'tipo de nó desconhecido "{node_type}"{hint}; válidos: {valid}',
            where,
        )
        return INVALID
    return converter.struct(cls, raw, line, where)


def _with_check(node: Any, facts: Any, converter: Converter) -> Any:
    """Resolve a value node's ``check`` into the fact it compares with."""
    if not isinstance(node, ValueNode) or not node.check:
        return node
    if is_fact_name(node.check) and not _declared(facts, node.check):
        converter.problem(
            node.origin.line_of("check"),
            f"este pacote não declara {node.check} (opcional em provider.yaml): declare o "
            "fato, ou tire esta etapa do fluxo se o provedor não tem essa regra",
            f"{node.id}.check",
        )
        return node
    try:
        spec = resolve_check(facts, node.check)
    except ValueError as exc:
        converter.problem(node.origin.line_of("check"), str(exc), f"{node.id}.check")
        return node
    kinds = CHECK_KINDS[type(spec)]
    if node.value.kind not in kinds:
        converter.problem(
            node.origin.line_of("check"),
            f"{node.check} verifica um valor do tipo {' ou '.join(kinds)}, não {node.value.kind}",
            f"{node.id}.check",
        )
    return dataclasses.replace(node, check_spec=spec)


def _declared(facts: Any, name: str) -> bool:
    """Whether the pack gives the fact ``name`` a value (optional facts may be absent)."""
    value: Any = facts
    for part in name.split("."):
        value = value.get(part) if hasattr(value, "get") else getattr(value, part, None)
        if value is None:
            return False
    return True


def _inline(part: Part, fragments: dict[str, Part], problems: list[Problem]) -> Flow | None:
    """The flow's graph with the opening and every used fragment copied in."""
    spec = part.spec
    nodes: dict[str, Any] = {}
    alias = {
        n.id: f"{n.id}/{fragments[n.fragment].spec.start}"
        for n in part.nodes.values()
        if isinstance(n, UseNode) and n.fragment in fragments
    }

    def resolve(target: str) -> str:
        return alias.get(target, target)

    inlined: dict[str, Inlined] = {}

    def add(prefix: str, fragment: Part, after: str) -> None:
        def move(target: str) -> str:
            return after if target == RETURN else f"{prefix}/{target}"

        inlined[prefix] = Inlined(
            prefix, fragment.id, fragment.spec.title, f"{prefix}/{fragment.spec.start}", after
        )
        for node in fragment.nodes.values():
            new_id = f"{prefix}/{node.id}"
            if new_id in nodes:
                problems.append(
                    Problem(
                        part.path,
                        0,
                        f'o prefixo de fragmento "{prefix}" é usado duas vezes',
                        prefix,
                    )
                )
                return
            nodes[new_id] = retarget(node, move, new_id, fragment.id)

    for node in part.nodes.values():
        if isinstance(node, UseNode):
            if node.fragment in fragments:
                add(node.id, fragments[node.fragment], resolve(node.next))
            continue
        nodes[node.id] = retarget(node, resolve, node.id, "")
    if spec.start not in part.nodes:
        return None  # reported by check_part
    entry = resolve(spec.start)
    if spec.opening:
        opening = fragments.get(OPENING)
        if opening is None:
            problems.append(
                Problem(
                    part.path,
                    part.start_line,
                    f"o fluxo usa a abertura, mas flows/_{OPENING}.yaml não existe "
                    "(ou use opening: false)",
                    "opening",
                )
            )
            return None
        add(OPENING, opening, entry)
        entry = f"{OPENING}/{opening.spec.start}"
    return Flow(
        id=part.id,
        title=spec.title,
        summary=spec.summary,
        keywords=spec.keywords,
        order=spec.order,
        entry=entry,
        start=resolve(spec.start),
        nodes=nodes,
        path=part.path,
        opening=spec.opening,
        inlined=inlined,
        verified_on=spec.verified_on,
        verified_line=part.verified_line,
    )


def _check_then_flow(flows: dict[str, Flow], broken: set[str], problems: list[Problem]) -> None:
    for flow in flows.values():
        for end in flow.ends():
            if end.then_flow and end.then_flow not in flows and end.then_flow not in broken:
                problems.append(
                    Problem(
                        end.origin.path,
                        end.origin.line_of("then_flow"),
                        f'fluxo desconhecido "{end.then_flow}"{suggest(end.then_flow, flows)}',
                        f"{end.id.rsplit('/', 1)[-1]}.then_flow",
                    )
                )
