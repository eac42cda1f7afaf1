"""What an edit of a pack changes, as data: facts, FAQ entries, flows and their steps.

:func:`diff_packs` compares two loaded packs (the one before an edit and the
one after) and returns a :class:`PackDiff`; :mod:`mutum_copilot.packs.diff_text`
words it for a supervisor (``mutum-copilot pack diff OLD NEW``, and the TUI's
reload later shows the same summary).

Texts are compared as the agent reads them, facts filled in: a changed fee
shows as the fact (old and new value) and as every entry and step whose text
now says something else. Call values and live N1 values stay as written.
Flows are compared as written: each flow's own steps, and each shared
fragment once (not once per flow that uses it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from mutum_copilot.knowledge.facts import FactTable
from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.models import Choice, Flow, ValueSpec, display_title
from mutum_copilot.triage.render import fill_text

Kind = Literal["added", "removed", "changed"]

#: What a supervisor calls each compared field.
FIELD_LABELS: Mapping[str, str] = {
    # pack.yaml
    "name": "nome",
    "description": "descrição",
    "version": "versão",
    "review_interval_days": "intervalo de revisão (dias)",
    "language": "idioma",
    # FAQ entries
    "question": "pergunta",
    "say": "o que dizer",
    "guidance": "orientação ao atendente",
    "aliases": "outras formas de perguntar",
    "tags": "etiquetas",
    "vault_keys": "credenciais do cofre",
    "see_also": "veja também",
    "section": "seção",
    "verified_on": "verificado em",
    # flows
    "title": "título",
    "summary": "resumo",
    "keywords": "palavras-chave",
    "order": "posição na lista",
    "opening": "usa a abertura comum",
    "start": "primeira etapa",
    # steps
    "type": "tipo de etapa",
    "do": "o que fazer",
    "note": "nota ao atendente",
    "choices": "opções",
    "value": "valor pedido",
    "check": "verificação",
    "branches": "caminhos",
    "next": "etapa seguinte",
    "on": "decide por",
    "on_shift": "se o N1 está no turno",
    "off_shift": "se o N1 está fora do turno",
    "outcome": "resultado",
    "urgency": "urgência",
    "os_subject": "assunto da OS",
    "then_flow": "fluxo seguinte",
    "fragment": "trecho usado",
}
_FAQ_FIELDS = (
    "question", "say", "guidance", "aliases", "tags", "vault_keys", "see_also", "section",
    "verified_on",
)  # fmt: skip
_FLOW_FIELDS = ("title", "summary", "keywords", "order", "opening", "start", "verified_on")
_META_FIELDS = ("name", "description", "version", "review_interval_days", "language")
_NOT_COMPARED = ("id", "origin", "fragment_id", "check_spec")


@dataclass(frozen=True)
class FieldChange:
    """One field with its value before and after, both as text."""

    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class FactChange:
    """A fact of ``provider.yaml``, by dotted name, with its old and new text."""

    kind: Kind
    name: str
    #: The fact's group label when it has one (``fees.visit_city.label``), else "".
    label: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ItemChange:
    """An FAQ entry or a flow step added, removed or changed (with what changed)."""

    kind: Kind
    id: str
    title: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class FlowChange:
    """A flow (or a shared fragment) added, removed or changed, with its steps."""

    kind: Kind
    id: str
    title: str
    fragment: bool
    fields: tuple[FieldChange, ...] = ()
    steps: tuple[ItemChange, ...] = ()


@dataclass(frozen=True)
class PackDiff:
    """Everything an edit changes, in the order a supervisor reviews it."""

    old_id: str
    old_version: str
    new_id: str
    new_version: str
    meta: tuple[FieldChange, ...]
    facts: tuple[FactChange, ...]
    faq: tuple[ItemChange, ...]
    flows: tuple[FlowChange, ...]
    synonyms_added: tuple[tuple[str, ...], ...]
    synonyms_removed: tuple[tuple[str, ...], ...]

    @property
    def empty(self) -> bool:
        """Nothing an agent would see is different (the version may still differ)."""
        return not (
            [m for m in self.meta if m.field != "version"]
            or self.facts
            or self.faq
            or self.flows
            or self.synonyms_added
            or self.synonyms_removed
        )

    @property
    def step_count(self) -> int:
        return sum(len(f.steps) for f in self.flows)


def diff_packs(old: Pack, new: Pack) -> PackDiff:
    """What changes from ``old`` to ``new`` (two loaded, valid packs)."""
    old_table, new_table = FactTable(old.facts), FactTable(new.facts)
    old_synonyms, new_synonyms = set(old.synonyms), set(new.synonyms)
    return PackDiff(
        old_id=old.id,
        old_version=old.version,
        new_id=new.id,
        new_version=new.version,
        meta=_fields(old.meta, new.meta, _META_FIELDS),
        facts=_facts(old_table, new_table),
        faq=_entries(old.faq, new.faq),
        flows=_flows(old, new, old_table, new_table),
        synonyms_added=tuple(g for g in new.synonyms if g not in old_synonyms),
        synonyms_removed=tuple(g for g in old.synonyms if g not in new_synonyms),
    )


# --- facts ---------------------------------------------------------------------------
def _facts(old: FactTable, new: FactTable) -> tuple[FactChange, ...]:
    """Changed facts at their most precise name; a group added or removed as one."""
    before = {n: old.get(n) or "" for n in old.names}
    after = {n: new.get(n) or "" for n in new.names}
    added = {n for n in after if n not in before}
    removed = {n for n in before if n not in after}
    changed = {n for n in after if n in before and after[n] != before[n]}
    touched = added | removed | changed

    def inside(name: str, names: set[str]) -> bool:
        return any(name.startswith(f"{other}.") for other in names)

    def has_detail(name: str) -> bool:
        return any(other.startswith(f"{name}.") for other in touched)

    found: list[FactChange] = []
    for name in sorted(touched):
        if name in added and not inside(name, added):
            found.append(FactChange("added", name, _label(new, name), None, after[name]))
        elif name in removed and not inside(name, removed):
            found.append(FactChange("removed", name, _label(old, name), before[name], None))
        elif name in changed and not has_detail(name):
            found.append(FactChange("changed", name, _label(new, name), before[name], after[name]))
    return tuple(found)


def _label(table: FactTable, name: str) -> str:
    """The ``label`` of the fact's group (a fee's, a system's...), if it has one."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        label = table.get(".".join([*parts[:cut], "label"]))
        if label and ".".join([*parts[:cut], "label"]) != name:
            return label
    return ""


# --- FAQ -----------------------------------------------------------------------------
def _entries(old: tuple[FaqEntry, ...], new: tuple[FaqEntry, ...]) -> tuple[ItemChange, ...]:
    before = {e.id: e for e in old}
    after = {e.id: e for e in new}
    found: list[ItemChange] = []
    for entry in new:
        if entry.id not in before:
            found.append(ItemChange("added", entry.id, entry.question))
            continue
        fields = _fields(before[entry.id], entry, _FAQ_FIELDS)
        if fields:
            found.append(ItemChange("changed", entry.id, entry.question, fields))
    found += [ItemChange("removed", e.id, e.question) for e in old if e.id not in after]
    return tuple(found)


# --- flows ---------------------------------------------------------------------------
def _flows(
    old: Pack, new: Pack, old_table: FactTable, new_table: FactTable
) -> tuple[FlowChange, ...]:
    found: list[FlowChange] = []
    for fragment in (False, True):
        before = _parts(old.flows, fragment)
        after = _parts(new.flows, fragment)
        for part_id, (title, meta, nodes) in after.items():
            if part_id not in before:
                found.append(FlowChange("added", part_id, title, fragment))
                continue
            old_title, old_meta, old_nodes = before[part_id]
            if fragment:
                fields = _title_change(old_title, title)
            else:
                fields = _fields(old_meta, meta, _FLOW_FIELDS, old_table, new_table)
            steps = _steps(old_nodes, nodes, old_table, new_table)
            if fields or steps:
                found.append(FlowChange("changed", part_id, title, fragment, fields, steps))
        found += [
            FlowChange("removed", part_id, title, fragment)
            for part_id, (title, _, _) in before.items()
            if part_id not in after
        ]
    return tuple(found)


def _title_change(old: str, new: str) -> tuple[FieldChange, ...]:
    return () if old == new else (FieldChange("title", FIELD_LABELS["title"], old, new),)


def _parts(flows: Mapping[str, Flow], fragment: bool) -> dict[str, tuple[str, Any, dict[str, Any]]]:
    """``id -> (title, flow or None, {node id as written: node})`` of flows or of fragments."""
    if not fragment:
        return {
            flow.id: (flow.title, flow, {i: n for i, n in flow.nodes.items() if not n.fragment_id})
            for flow in flows.values()
        }
    found: dict[str, tuple[str, Any, dict[str, Any]]] = {}
    for flow in flows.values():
        for prefix, inlined in flow.inlined.items():
            if inlined.fragment_id in found:
                continue
            cut = len(prefix) + 1
            nodes = {i[cut:]: n for i, n in flow.nodes.items() if i.startswith(f"{prefix}/")}
            found[inlined.fragment_id] = (inlined.title, None, nodes)
    return found


def _steps(
    old: dict[str, Any], new: dict[str, Any], old_table: FactTable, new_table: FactTable
) -> tuple[ItemChange, ...]:
    found: list[ItemChange] = []
    for node_id, node in new.items():
        if node_id not in old:
            found.append(ItemChange("added", node_id, _title(node, new_table)))
            continue
        fields = _node_fields(old[node_id], node, old_table, new_table)
        if fields:
            found.append(ItemChange("changed", node_id, _title(node, new_table), fields))
    found += [
        ItemChange("removed", i, _title(n, old_table)) for i, n in old.items() if i not in new
    ]
    return tuple(found)


def _title(node: Any, table: FactTable) -> str:
    return fill_text(display_title(node), table, None, {})


def _node_fields(
    old: Any, new: Any, old_table: FactTable, new_table: FactTable
) -> tuple[FieldChange, ...]:
    names = [
        f.metadata.get("key", f.name)
        for f in dataclasses.fields(new)
        if f.name not in _NOT_COMPARED and not f.metadata.get("origin")
    ]
    if type(old) is not type(new):
        return (FieldChange("type", FIELD_LABELS["type"], old.type, new.type),)
    return _fields(old, new, tuple(names), old_table, new_table)


def _choice(number: int, choice: Choice, table: FactTable | None) -> str:
    sets = ", ".join(f"{k} = {v}" for k, v in choice.assign.items())
    return (
        f"{number}. {_text(choice.label, table)}"
        + (f" (define {sets})" if sets else "")
        + (f" → {choice.next}")
    )


# --- fields --------------------------------------------------------------------------
def _fields(
    old: Any,
    new: Any,
    names: tuple[str, ...],
    old_table: FactTable | None = None,
    new_table: FactTable | None = None,
) -> tuple[FieldChange, ...]:
    found: list[FieldChange] = []
    attrs = {f.metadata.get("key", f.name): f.name for f in dataclasses.fields(new)}
    for name in names:
        before = _text(getattr(old, attrs.get(name, name)), old_table)
        after = _text(getattr(new, attrs.get(name, name)), new_table)
        if before != after:
            found.append(FieldChange(name, FIELD_LABELS.get(name, name), before, after))
    return tuple(found)


def _text(value: Any, table: FactTable | None) -> str:
    """A compared value as a supervisor reads it."""
    if isinstance(value, str):
        return fill_text(value, table, None, {}) if table is not None else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, ValueSpec):
        optional = ", opcional" if value.optional else ""
        return f"{_text(value.label, table)} ({value.name}, {value.kind}{optional})"
    if isinstance(value, tuple) and value and isinstance(value[0], Choice):
        return "; ".join(_choice(n, c, table) for n, c in enumerate(value, start=1))
    if isinstance(value, tuple):
        return ", ".join(_text(v, table) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_text(v, table)}" for k, v in value.items())
    return str(value)
