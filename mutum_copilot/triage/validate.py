"""Load-time checks of flows, reported like the rest of the pack (file, line, key).

Two passes. :func:`check_part` looks at one file on its own: node references,
choices, branches against the verdicts of their check, ends, fragments and
text references. :func:`check_flow` looks at a flow with its fragments
inlined, where paths matter: nodes never reached, nodes with no way to an end,
loops with no question to leave them, branches on values that are not set on
every path, and ends that open an OS before the customer's phones are asked.

"Set on every path" is a small forward data-flow analysis: each edge adds the
names it sets (a choice's ``set``, a value node's name unless it was skipped)
and a node keeps the names common to all its incoming edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from mutum_copilot.errors import Problem
from mutum_copilot.knowledge.facts import FactTable
from mutum_copilot.triage.checks import MISSING
from mutum_copilot.triage.context import N1_NAMES, SLA_RULE, ContextField
from mutum_copilot.triage.models import (
    MAX_CHOICES,
    RETURN,
    AskNode,
    BranchNode,
    EndNode,
    Flow,
    UseNode,
    ValueNode,
    targets,
    text_fields,
)
from mutum_copilot.triage.render import TEXT_REFERENCE
from mutum_copilot.yamlkit.suggest import suggest

NODE_ID = re.compile(r"[a-z0-9_]+")
PHONE_KINDS = ("phone", "phones")


def verdicts(node: ValueNode) -> tuple[str, ...]:
    """Every verdict a value node can produce ("valid" when it has no check)."""
    found = tuple(node.check_spec.verdicts) if node.check_spec is not None else ("valid",)
    return (*found, MISSING) if node.value.optional else found


def edges(node: Any) -> Iterator[tuple[str, frozenset[str]]]:
    """``(target, names set on the way)`` for every way out of a node."""
    if isinstance(node, AskNode):
        for choice in node.choices:
            yield choice.next, frozenset(choice.assign)
    elif isinstance(node, ValueNode):
        for verdict in verdicts(node):
            sets = frozenset() if verdict == MISSING else frozenset([node.value.name])
            if node.target(verdict):
                yield node.target(verdict), sets
    else:
        for _key, target in targets(node):
            yield target, frozenset()


_CHOICE_KEY = re.compile(r"choices\[(\d+)\]\.?(\w*)")


def _line(node: Any, key: str) -> int:
    """The line of ``key`` (a path such as ``choices[1].next``) in the node's file."""
    match = _CHOICE_KEY.match(key)
    if match and isinstance(node, AskNode) and int(match[1]) < len(node.choices):
        return int(node.choices[int(match[1])].origin.line_of(match[2] or "label"))
    return int(node.origin.line_of(key.split(".")[0].split("[")[0])) if key else node.origin.line


def _problem(problems: list[Problem], node: Any, message: str, key: str = "") -> None:
    """A problem at ``node`` (its own line when ``key`` is empty), keyed by the node's id."""
    short = node.id.rsplit("/", 1)[-1]
    where = f"{short}.{key}" if key else short
    problems.append(Problem(node.origin.path, _line(node, key), message, where))


# --- one file ------------------------------------------------------------------------


def check_part(
    part: Any,
    fragments: dict[str, Any],
    table: FactTable,
    problems: list[Problem],
    context: Mapping[str, ContextField],
) -> None:
    """Checks that need only the file itself (a flow or a fragment); ``context``: the pack's."""
    if part.spec.start not in part.nodes:
        hint = suggest(part.spec.start, part.nodes)
        problems.append(
            Problem(
                part.path, part.start_line, f'nó desconhecido "{part.spec.start}"{hint}', "start"
            )
        )
    names = _names_set(part.nodes.values(), context)
    for node in part.nodes.values():
        if not NODE_ID.fullmatch(node.id):
            _problem(problems, node, "um id de nó tem só letras minúsculas, dígitos e _", "id")
        for key, target in targets(node):
            _check_target(part, node, key, target, problems)
        _check_node(part, node, fragments, problems, context)
        _check_texts(node, table, names if part.fragment else None, problems)


def _check_target(part: Any, node: Any, key: str, target: str, problems: list[Problem]) -> None:
    if target == RETURN:
        if not part.fragment:
            _problem(problems, node, f"{RETURN} só sai de um fragmento (um _arquivo.yaml)", key)
    elif target not in part.nodes:
        _problem(problems, node, f'nó desconhecido "{target}"{suggest(target, part.nodes)}', key)


def _check_node(
    part: Any,
    node: Any,
    fragments: dict[str, Any],
    problems: list[Problem],
    context: Mapping[str, ContextField],
) -> None:
    if isinstance(node, AskNode):
        if not 1 <= len(node.choices) <= MAX_CHOICES:
            count = len(node.choices)
            message = f"{count} opções; uma pergunta tem de 1 a {MAX_CHOICES} (teclas numéricas)"
            _problem(problems, node, message, "choices")
        for index, choice in enumerate(node.choices):
            for name, value in choice.assign.items():
                _check_assign(node, index, name, value, problems, context)
    elif isinstance(node, ValueNode):
        _check_value_node(node, problems, context)
    elif isinstance(node, BranchNode) and not node.branches:
        _problem(problems, node, "um branch precisa de ao menos um ramo", "branches")
    elif isinstance(node, EndNode):
        if node.outcome == "os_n1" and not node.os_subject.strip():
            _problem(problems, node, "um fim que abre OS precisa de os_subject", "outcome")
        if node.urgency is not None and not node.opens_os:
            message = "urgency é só para fins que abrem OS (os_n1, ou com os_subject)"
            _problem(problems, node, message, "urgency")
    elif isinstance(node, UseNode):
        if part.fragment:
            _problem(problems, node, "um fragmento não pode usar outro fragmento", "type")
        elif node.fragment not in fragments:
            hint = suggest(node.fragment, fragments)
            _problem(problems, node, f'fragmento desconhecido "{node.fragment}"{hint}', "fragment")


def _check_assign(
    node: Any,
    index: int,
    name: str,
    value: str,
    problems: list[Problem],
    context: Mapping[str, ContextField],
) -> None:
    key = f"choices[{index}].set.{name}"
    field = context.get(name)
    if field is None:
        return
    if field.kind != "choice":
        _problem(problems, node, f"{name} é digitado num nó value, não definido por uma opção", key)
    elif value not in dict(field.options):
        options = ", ".join(v for v, _ in field.options)
        _problem(problems, node, f'{name} é um de: {options}; veio "{value}"', key)


def _check_value_node(
    node: ValueNode, problems: list[Problem], context: Mapping[str, ContextField]
) -> None:
    spec = node.value
    field = context.get(spec.name)
    if field is not None and field.kind != spec.kind:
        how = "definido por uma opção" if field.kind == "choice" else f"do tipo {field.kind}"
        _problem(problems, node, f"{spec.name} é um valor da chamada {how}", "value.kind")
    possible = verdicts(node)
    for key in node.branches:
        if key not in possible:
            hint = suggest(key, possible)
            message = f'"{key}" não é um veredito aqui{hint}; vereditos: {", ".join(possible)}'
            _problem(problems, node, message, f"branches.{key}")
    if not node.next:
        left = [v for v in possible if v not in node.branches]
        if left:
            message = f"sem caminho para {', '.join(left)}: acrescente next ou branches para eles"
            _problem(problems, node, message, "branches" if node.branches else "")


def _check_texts(
    node: Any, table: FactTable, names: set[str] | None, problems: list[Problem]
) -> None:
    """Facts, ``{n1.*}`` and (when ``names`` is given) ``{call.*}`` references."""
    for key, text in text_fields(node):
        for ref in TEXT_REFERENCE.findall(text):
            message = _unknown_reference(ref, table, names)
            if message:
                _problem(problems, node, message, key)


def _unknown_reference(ref: str, table: FactTable, names: set[str] | None) -> str:
    space, _, rest = ref.partition(".")
    if space == "call":
        if names is None or rest in names:
            return ""
        known = ", ".join(sorted(names))
        return f"valor da chamada desconhecido {{{ref}}}{suggest(rest, names)}; valores: {known}"
    if space == "n1":
        if rest == "sla" and table.get(SLA_RULE) is None:
            return f"{{{ref}}} conta as horas da regra {SLA_RULE}, que este pacote não declara"
        return (
            ""
            if rest in N1_NAMES
            else f"desconhecido {{{ref}}}{suggest(rest, N1_NAMES)}; n1 tem: {', '.join(N1_NAMES)}"
        )
    return "" if table.get(ref) is not None else table.explain_unknown(ref)


def _names_set(nodes: Iterable[Any], context: Mapping[str, ContextField]) -> set[str]:
    """Context names plus every value name set by these nodes."""
    names = set(context)
    for node in nodes:
        if isinstance(node, ValueNode):
            names.add(node.value.name)
        elif isinstance(node, AskNode):
            for choice in node.choices:
                names.update(choice.assign)
    return names


# --- one inlined flow ------------------------------------------------------------------


def check_flow(
    flow: Flow, table: FactTable, problems: list[Problem], context: Mapping[str, ContextField]
) -> None:
    """Checks on the whole graph of a flow, fragments included; ``context``: the pack's."""
    nodes = flow.nodes
    if flow.entry not in nodes or any(t not in nodes for n in nodes.values() for t, _ in edges(n)):
        return  # broken references were reported per file; the graph cannot be walked
    reached = _reach(flow.entry, lambda n: (t for t, _ in edges(nodes[n])))
    for node in nodes.values():
        if node.id not in reached:
            _problem(problems, node, "nunca alcançado a partir do início do fluxo")
    _check_ends_reachable(flow, reached, problems)
    _check_cycles(flow, reached, problems)
    assigned = _definitely_set(flow)
    _check_paths(flow, assigned, problems, context)
    names = _names_set(nodes.values(), context)
    for node in nodes.values():
        if not node.fragment_id:
            _check_texts(node, table, names, problems)
    _check_kinds(flow, problems)


def _reach(start: str, step: Any) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in step(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _check_ends_reachable(flow: Flow, reached: set[str], problems: list[Problem]) -> None:
    incoming: dict[str, list[str]] = {n: [] for n in flow.nodes}
    for node in flow.nodes.values():
        for target, _ in edges(node):
            incoming[target].append(node.id)
    ends = [n.id for n in flow.ends()]
    can_end: set[str] = set()
    for end in ends:
        can_end |= _reach(end, lambda n: incoming[n])
    for node in flow.nodes.values():
        if node.id in reached and node.id not in can_end:
            _problem(problems, node, f"não há caminho daqui até um fim (no fluxo {flow.id})")


def _check_cycles(flow: Flow, reached: set[str], problems: list[Problem]) -> None:
    """Loops must pass through a question, or the agent could never leave them."""
    inner = {n for n in reached if not isinstance(flow.nodes[n], AskNode)}
    out = {n: {t for t, _ in edges(flow.nodes[n]) if t in inner} for n in inner}
    changed = True
    while changed:  # peel off nodes with no way in, then with no way out, until stable
        changed = False
        has_in = {t for n in inner for t in out[n]}
        for n in list(inner):
            if n not in has_in or not out[n] & inner:
                inner.discard(n)
                changed = True
        out = {n: out[n] & inner for n in inner}
    if inner:
        first = min((flow.nodes[n] for n in inner), key=lambda n: (n.origin.path, n.origin.line))
        ids = ", ".join(sorted(inner)[:6])
        _problem(problems, first, f"ciclo sem pergunta (no fluxo {flow.id}): {ids}")


def _definitely_set(flow: Flow) -> dict[str, frozenset[str]]:
    """For each reached node, the names set on every path from the entry to it."""
    found: dict[str, frozenset[str]] = {flow.entry: frozenset()}
    todo = [flow.entry]
    while todo:
        node_id = todo.pop()
        for target, sets in edges(flow.nodes[node_id]):
            out = found[node_id] | sets
            new = out if target not in found else found[target] & out
            if new != found.get(target):
                found[target] = new
                todo.append(target)
    return found


def _check_paths(
    flow: Flow,
    assigned: dict[str, frozenset[str]],
    problems: list[Problem],
    context: Mapping[str, ContextField],
) -> None:
    phone_names = {
        n.value.name
        for n in flow.nodes.values()
        if isinstance(n, ValueNode) and n.value.kind in PHONE_KINDS
    }
    possible = _possible_values(flow, context)
    for node in flow.nodes.values():
        if node.id not in assigned:
            continue
        if isinstance(node, BranchNode):
            if node.on not in assigned[node.id]:
                message = (
                    f'ramifica por "{node.on}", que não é definido em todo caminho até aqui '
                    f"(no fluxo {flow.id})"
                )
                _problem(problems, node, message, "on")
            elif node.on not in possible and not node.next:
                message = (
                    f'"{node.on}" é digitado, então seus ramos precisam de um next '
                    "para os outros valores"
                )
                _problem(problems, node, message, "on")
            elif not node.next:
                for value in sorted(possible[node.on] - set(node.branches)):
                    _problem(
                        problems, node, f'nenhum ramo para "{value}" e nenhum next', "branches"
                    )
            for key in node.branches:
                if node.on in possible and key not in possible[node.on]:
                    message = f'"{node.on}" nunca recebe "{key}"{suggest(key, possible[node.on])}'
                    _problem(problems, node, message, f"branches.{key}")
        if isinstance(node, EndNode) and node.opens_os and not phone_names & assigned[node.id]:
            message = (
                "este fim abre uma OS, mas os telefones atualizados do cliente (um valor do "
                f"tipo phones) não são pedidos em todo caminho até ele (no fluxo {flow.id})"
            )
            _problem(problems, node, message, "outcome")


def _possible_values(flow: Flow, context: Mapping[str, ContextField]) -> dict[str, set[str]]:
    """Values a name can take, for names set only by choices (typed names are open)."""
    typed = {n.value.name for n in flow.nodes.values() if isinstance(n, ValueNode)}
    found: dict[str, set[str]] = {}
    for node in flow.nodes.values():
        if isinstance(node, AskNode):
            for choice in node.choices:
                for name, value in choice.assign.items():
                    found.setdefault(name, set()).add(value)
    for name, field in context.items():
        if field.options:
            found.setdefault(name, set()).update(v for v, _ in field.options)
    return {k: v for k, v in found.items() if k not in typed}


def _check_kinds(flow: Flow, problems: list[Problem]) -> None:
    kinds: dict[str, str] = {}
    for node in flow.nodes.values():
        if isinstance(node, ValueNode):
            first = kinds.setdefault(node.value.name, node.value.kind)
            if first != node.value.kind:
                message = (
                    f"{node.value.name} é pedido como {first} em outro ponto do fluxo {flow.id}"
                )
                _problem(problems, node, message, "value.kind")
