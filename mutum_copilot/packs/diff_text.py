"""A :class:`~mutum_copilot.packs.diff.PackDiff` in words a supervisor reads (pt-BR).

Plain text, one change per line, so the same words fit ``pack diff`` in a
terminal and a dialog of the TUI. Every text from the packs passes through
:func:`~mutum_copilot.safetext.clean` on the way out.
"""

from __future__ import annotations

import textwrap

from mutum_copilot.packs.diff import FactChange, FieldChange, FlowChange, ItemChange, PackDiff
from mutum_copilot.safetext import clean_line

_MARK = {"added": "+", "removed": "-", "changed": "~"}
#: Longer old/new texts are cut to this many characters in the short form.
SHORT_TEXT = 120


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary_line(diff: PackDiff) -> str:
    """``3 fatos, 2 perguntas do FAQ, 1 fluxo (4 etapas)``, or that nothing changes."""
    if diff.empty:
        return "Nenhuma mudança no que o atendente vê."
    parts = []
    if diff.facts:
        parts.append(_plural(len(diff.facts), "fato", "fatos"))
    if diff.faq:
        parts.append(_plural(len(diff.faq), "pergunta do FAQ", "perguntas do FAQ"))
    if diff.flows:
        flows = _plural(len(diff.flows), "fluxo ou trecho", "fluxos ou trechos")
        steps = diff.step_count
        parts.append(f"{flows} ({_plural(steps, 'etapa', 'etapas')})" if steps else flows)
    synonyms = len(diff.synonyms_added) + len(diff.synonyms_removed)
    if synonyms:
        parts.append(_plural(synonyms, "grupo de sinônimos", "grupos de sinônimos"))
    if [m for m in diff.meta if m.field != "version"]:
        parts.append("dados do pacote")
    return "Mudam: " + ", ".join(parts) + "."


def render_diff(diff: PackDiff, *, texts: bool = True) -> str:
    """The whole diff as text; ``texts=False`` names what changed without old and new texts."""
    lines = [clean_line(_header(diff)), clean_line(summary_line(diff))]
    if diff.meta:
        lines += ["", "Pacote:"]
        for change in diff.meta:
            lines += _changed_field(change, "  ", texts)
    if diff.facts:
        lines += ["", f"Fatos ({len(diff.facts)}):"]
        lines += [f"  {_fact(f)}" for f in diff.facts]
    if diff.faq:
        lines += ["", f"Perguntas do FAQ ({len(diff.faq)}):"]
        for item in diff.faq:
            lines += _item(item, "  ", texts)
    if diff.flows:
        lines += ["", f"Fluxos ({len(diff.flows)}):"]
        for flow in diff.flows:
            lines += _flow(flow, texts)
    if diff.synonyms_added or diff.synonyms_removed:
        lines += ["", "Sinônimos da busca:"]
        lines += [f"  + {', '.join(g)}" for g in diff.synonyms_added]
        lines += [f"  - {', '.join(g)}" for g in diff.synonyms_removed]
    return "\n".join(clean_line(line) for line in lines) + "\n"


def _header(diff: PackDiff) -> str:
    if diff.old_id == diff.new_id:
        return f"Pacote {diff.new_id}: versão {diff.old_version} → {diff.new_version}"
    return (
        f"Pacote {diff.old_id} (versão {diff.old_version}) → "
        f"{diff.new_id} (versão {diff.new_version})"
    )


def _quoted(text: str, texts: bool) -> str:
    shown = " ".join(text.split())
    if not texts and len(shown) > SHORT_TEXT:
        shown = shown[: SHORT_TEXT - 1] + "…"
    return f"“{shown}”" if shown else "(vazio)"


def _field(change: FieldChange, texts: bool) -> list[str]:
    if not texts:
        return [change.label]
    return [f"{change.label}:", *_labelled("era:", change.old), *_labelled("agora:", change.new)]


def _changed_field(change: FieldChange, indent: str, texts: bool) -> list[str]:
    """``~ label:`` and its texts under it."""
    return [
        f"{indent}{'~ ' if i == 0 else '  '}{line}" for i, line in enumerate(_field(change, texts))
    ]


def _labelled(label: str, text: str) -> list[str]:
    """``era:   text``, wrapped, the next lines under the text."""
    lines = textwrap.wrap(_quoted(text, True), 80, break_on_hyphens=False) or [""]
    return [f"    {label if i == 0 else '':<7}{line}" for i, line in enumerate(lines)]


def _fact(change: FactChange) -> str:
    name = f"{change.name} ({change.label})" if change.label else change.name
    if change.kind == "added":
        return f"+ {name}: novo, {_quoted(change.new or '', True)}"
    if change.kind == "removed":
        return f"- {name}: removido (era {_quoted(change.old or '', True)})"
    return (
        f"~ {name}: era {_quoted(change.old or '', True)}, agora {_quoted(change.new or '', True)}"
    )


def _item(item: ItemChange, indent: str, texts: bool, what: str = "") -> list[str]:
    mark = _MARK[item.kind]
    verb = {"added": "nova", "removed": "removida", "changed": "alterada"}[item.kind]
    head = f"{indent}{mark} {what}{verb}: {_quoted(item.title, False)} ({item.id})"
    if item.kind != "changed":
        return [head]
    if not texts:
        return [f"{head}; mudou: {', '.join(f.label for f in item.fields)}"]
    return [head, *[f"{indent}    {line}" for f in item.fields for line in _field(f, texts)]]


def _flow(flow: FlowChange, texts: bool) -> list[str]:
    what = "trecho comum" if flow.fragment else "fluxo"
    mark = _MARK[flow.kind]
    verb = {"added": "novo", "removed": "removido", "changed": "alterado"}[flow.kind]
    lines = [f"  {mark} {what} {verb}: {_quoted(flow.title, False)} ({flow.id})"]
    for change in flow.fields:
        lines += _changed_field(change, "      ", texts)
    for step in flow.steps:
        lines += _item(step, "      ", texts, "etapa ")
    return lines
