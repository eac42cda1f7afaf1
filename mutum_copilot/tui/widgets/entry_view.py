"""The whole FAQ entry: question, what to say, agent-only guidance, credentials masked.

A line said only if the customer asks (``FaqEntry.if_asked``) has its own block,
between what to say and the guidance; an entry opened from a weak match says so
above the question. Pack texts pass through :func:`mutum_copilot.safetext.clean`.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.safetext import clean
from mutum_copilot.search import highlight_spans
from mutum_copilot.tui.widgets.blocks import Block

MATCH_STYLE = "bold underline"
#: How an entry overdue for review is marked (see mutum_copilot.packs.review).
OVERDUE_MARK = "revisão atrasada"
WEAK_NOTICE = (
    "Resultado fraco: esta entrada não responde ao que foi buscado. Confira antes de "
    "usar; se não servir, registre e encaminhe."
)


def highlighted(text: str, matched: tuple[str, ...], style: str = "") -> Text:
    """``text`` (cleaned of control characters) with the matched words emphasised."""
    rich_text = Text(clean(text), style=style)
    for start, end in highlight_spans(rich_text.plain, matched):
        rich_text.stylize(MATCH_STYLE, start, end)
    return rich_text


class EntryView(VerticalScroll, can_focus=True):
    """Scrollable view of one entry; the say block is what a copy takes."""

    DEFAULT_CSS = """
    EntryView { height: 1fr; }
    EntryView #entry-question { text-style: bold; margin: 0 0 1 0; }
    EntryView #entry-weak { color: $warning; margin: 0 0 1 0; }
    EntryView #entry-footer { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        # Hidden until the agent opens an entry: its parts are mounted on the first
        # show(), not on the first screen (perf, #14: fewer widgets before the first frame).
        return iter(())

    def parts(self) -> list[Static]:
        return [
            Static(WEAK_NOTICE, id="entry-weak"),
            Static(id="entry-question"),
            Block("say", id="entry-say"),
            Block("if_asked", id="entry-if-asked"),
            Block("guidance", id="entry-guidance"),
            Block("info", id="entry-vault"),
            Static(id="entry-footer"),
        ]

    def show(
        self,
        entry: FaqEntry,
        matched: tuple[str, ...],
        vault_lines: list[str],
        *,
        weak: bool = False,
        provider: str = "",
        overdue: bool = False,
    ) -> None:
        """``provider``: named when the search covers several packs; ``overdue``: marked."""
        if not self.children:
            self.mount_all(self.parts())
        self.query_one("#entry-weak", Static).display = weak
        self.query_one("#entry-question", Static).update(highlighted(entry.question, matched))
        self.query_one("#entry-say", Block).show(highlighted(entry.say, matched))
        self.query_one("#entry-if-asked", Block).show(highlighted(entry.if_asked, matched))
        self.query_one("#entry-guidance", Block).show(highlighted(entry.guidance, matched))
        self.query_one("#entry-vault", Block).show("\n".join(vault_lines))
        footer = Text(clean(entry.section))
        if provider:
            footer.append(f" · {clean(provider)}", "bold")
        footer.append(f" · verificado em {entry.verified_on:%d/%m/%Y}")
        if overdue:
            footer.append(f" · {OVERDUE_MARK}", "bold yellow")
        if entry.see_also:
            footer.append(" · veja também: " + ", ".join(entry.see_also))
        self.query_one("#entry-footer", Static).update(footer)
