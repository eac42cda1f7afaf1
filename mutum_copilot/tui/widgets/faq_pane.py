"""The FAQ side pane: a search box, results as you type, and the whole entry on Enter.

The pane owns nothing but its widgets: the search index comes down as an
attribute, and what the agent does (opens an entry, leaves the pane) goes up
as messages, so the flow on the left is never touched while the agent searches.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from mutum_copilot.knowledge.models import Facts, FaqEntry
from mutum_copilot.search import SearchHit, SearchIndex
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.keys import FAQ_BINDINGS
from mutum_copilot.tui.widgets.entry_view import EntryView, highlighted
from mutum_copilot.tui.widgets.vault_lines import credential_lines
from mutum_copilot.vault import Vault

RESULTS_SHOWN = 20


class FaqPane(Vertical):
    """Search box, results list and entry view; Escape steps back out of each."""

    BINDINGS = [*FAQ_BINDINGS]
    REVEAL_SECONDS = 5

    class EntryOpened(Message):
        """The agent opened an entry: its answer is now what a copy takes."""

        def __init__(self, entry: FaqEntry) -> None:
            super().__init__()
            self.entry = entry

    class Closed(Message):
        """The agent left the FAQ: focus goes back to the flow."""

    def __init__(
        self, index: SearchIndex, vault: Vault, facts: Facts, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.index = index
        self.vault = vault
        self.facts = facts
        self.hits: list[SearchHit] = []
        self.open_entry: FaqEntry | None = None
        self.matched: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Buscar no FAQ ( / )", id="faq-query")
        yield OptionList(id="faq-results")
        yield EntryView(id="faq-entry")

    def on_mount(self) -> None:
        self.query_one("#faq-entry").display = False
        self.show_hint()

    def show_hint(self) -> None:
        results = self.query_one("#faq-results", OptionList)
        results.clear_options()
        results.add_option(
            Option(Text("Digite para buscar; Enter abre a resposta.", "dim"), disabled=True)
        )

    def focus_search(self) -> None:
        self.close_entry()
        search = self.query_one("#faq-query", Input)
        self.screen.set_focus(search)
        search.select_all() if search.value else None

    def reset(self) -> None:
        """A new call: empty search, no entry open."""
        self.close_entry()
        search = self.query_one("#faq-query", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        self.hits = []
        self.show_hint()

    def open_entry_by_id(self, entry_id: str) -> None:
        entry = next((e for e in self.index.entries if e.id == entry_id), None)
        if entry is not None:
            self.open_hit(SearchHit(entry, 1.0, ()))

    def search(self, query: str) -> None:
        self.hits = self.index.search(query, limit=RESULTS_SHOWN) if query.strip() else []
        results = self.query_one("#faq-results", OptionList)
        results.clear_options()
        if not query.strip():
            self.show_hint()
            return
        if not self.hits:
            results.add_option(
                Option(Text("Nada encontrado. Tente outras palavras.", "dim"), disabled=True)
            )
            return
        results.add_options(
            [
                Option(highlighted(hit.entry.question, hit.matched_terms), id=hit.id)
                for hit in self.hits
            ]
        )
        results.highlighted = 0

    @on(Input.Changed, "#faq-query")
    @guarded
    def query_changed(self, event: Input.Changed) -> None:
        self.close_entry()
        self.search(event.value)

    @on(Input.Submitted, "#faq-query")
    @guarded
    def open_first(self) -> None:
        results = self.query_one("#faq-results", OptionList)
        if self.hits:
            self.open_hit(self.hits[results.highlighted or 0])

    @on(OptionList.OptionSelected, "#faq-results")
    @guarded
    def open_selected(self, event: OptionList.OptionSelected) -> None:
        self.open_hit(self.hits[event.option_index])

    def open_hit(self, hit: SearchHit) -> None:
        self.open_entry = hit.entry
        self.matched = hit.matched_terms
        self.query_one("#faq-results").display = False
        self.show_entry()
        view = self.query_one("#faq-entry", EntryView)
        view.display = True
        view.scroll_home(animate=False)
        self.screen.set_focus(view)
        self.post_message(self.EntryOpened(hit.entry))

    def show_entry(self, revealed: str = "") -> None:
        """(Re)draw the open entry; ``revealed`` names a vault key shown in full."""
        if self.open_entry is None:
            return
        lines = credential_lines(self.vault, self.facts, revealed)
        credentials = [lines[k] for k in self.open_entry.vault_keys if k in lines]
        self.query_one("#faq-entry", EntryView).show(self.open_entry, self.matched, credentials)

    def _secret_key(self) -> str:
        keys = self.open_entry.vault_keys if self.open_entry is not None else ()
        return next((k for k in keys if self.vault.get(k) is not None), "")

    @guarded
    def action_reveal(self) -> None:
        key = self._secret_key()
        if key:
            self.show_entry(revealed=key)
            self.set_timer(self.REVEAL_SECONDS, self.show_entry)

    @guarded
    def action_copy_secret(self) -> None:
        key = self._secret_key()
        credential = self.vault.get(key) if key else None
        if credential is not None:
            self.app.copy_to_clipboard(credential.password)
            self.notify("Senha copiada (não cole no chat do cliente).", timeout=3)

    def close_entry(self) -> bool:
        """Back from the entry to the results; False if no entry was open."""
        if self.open_entry is None:
            return False
        self.open_entry = None
        self.matched = ()
        self.query_one("#faq-entry").display = False
        self.query_one("#faq-results").display = True
        return True

    def on_key(self, event: Key) -> None:
        """Down from the search box goes to the results."""
        if event.key == "down" and self.query_one("#faq-query").has_focus and self.hits:
            self.screen.set_focus(self.query_one("#faq-results"))
            event.stop()

    @guarded
    def action_step_out(self) -> None:
        if self.close_entry():
            self.screen.set_focus(self.query_one("#faq-results", OptionList))
            return
        self.post_message(self.Closed())
