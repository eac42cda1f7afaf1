"""Labelled text blocks: what to SAY, what to DO, and agent-only NOTES, styled apart.

The triage pane and the FAQ entry view both show these, so an agent learns one
visual language: green is read aloud to the customer, yellow is an action in
a system, grey is for the agent's eyes only. A line said *only if the customer
asks* (a price the provider prefers not to volunteer) has a dashed green border
and its own label: it is for the customer, but never copied with the say text.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

LABELS = {
    "say": ("FALE", "bold green"),
    "do": ("FAÇA", "bold yellow"),
    "note": ("NOTA", "bold magenta"),
    "guidance": ("SÓ P/ VOCÊ", "bold magenta"),
    "info": ("INFO", "bold cyan"),
    "if_asked": ("SÓ SE O CLIENTE PERGUNTAR (p copia)", "bold yellow"),
}


class Block(Static):
    """One labelled block; hidden while it has no text."""

    DEFAULT_CSS = """
    Block { padding: 0 0 0 1; margin: 0 0 1 0; height: auto; }
    Block.-say { border-left: tall $success; }
    Block.-do { border-left: tall $warning; }
    Block.-note, Block.-guidance { border-left: tall $secondary; color: $text-muted; }
    Block.-info { border-left: tall $accent; }
    Block.-if_asked { border-left: dashed $success; }
    """

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes=f"-{kind}")
        self.kind = kind
        self.text = ""

    def show(self, text: str | Text) -> None:
        self.text = text.plain if isinstance(text, Text) else text
        self.display = bool(self.text.strip())
        label, style = LABELS[self.kind]
        content = Text.assemble((label, style), " ")
        content.append_text(text if isinstance(text, Text) else Text(text))
        self.update(content)
