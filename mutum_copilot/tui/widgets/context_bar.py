"""The call's context in one compact line: who, which contract, which protocol."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import Static

from mutum_copilot.triage.context import ContextField, by_name
from mutum_copilot.triage.render import show_value

#: Short labels, so the line fits 80 columns; the report is in the note, not here.
SHORT_LABELS = {
    "customer_name": "",
    "cpf": "CPF",
    "contract": "Contr.",
    "pppoe": "PPPoE",
    "protocol": "Prot.",
    "area": "",
    "phones": "Tel.",
}


def context_line(values: Mapping[str, str], fields: tuple[ContextField, ...]) -> Text:
    """The line for ``values``; ``fields``: the call's pack's (its areas' labels)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for field in fields:
        if field.name not in SHORT_LABELS or not values.get(field.name):
            continue
        if text:
            text.append(" · ", "dim")
        label = SHORT_LABELS[field.name]
        if label:
            text.append(f"{label} ", "dim")
        shown = show_value(field.name, values[field.name], by_name(fields))
        if field.name == "area":
            shown = shown.split(" (")[0]
        text.append(shown, "bold" if field.name == "customer_name" else "")
    return text


class ContextBar(Static):
    """Hidden until the call has a value to show; ``i`` edits it."""

    DEFAULT_CSS = """
    ContextBar { height: 1; padding: 0 1; background: $boost; display: none; }
    """

    def show_values(self, values: Mapping[str, str], fields: tuple[ContextField, ...]) -> None:
        line = context_line(values, fields)
        self.display = bool(line)
        if line:
            line.append("   (i: editar)", "dim")
        self.update(line)
