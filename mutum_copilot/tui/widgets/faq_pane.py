"""The FAQ side pane: a search box, results as you type, and the whole entry on Enter.

The pane owns nothing but its widgets: the search index comes down as an
attribute, and what the agent does (opens an entry, leaves the pane) goes up
as messages, so the flow on the left is never touched while the agent searches.

When nothing in the pack answers the query (:attr:`SearchResult.answered`),
the list opens with "Nada no documento sobre isso" and what to do, and the
matches below it are marked weak. Enter in the search box never opens a weak
match; the agent may still pick one from the list on purpose.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from mutum_copilot.knowledge.models import Facts, FaqEntry
from mutum_copilot.packs.catalog import PackEntry
from mutum_copilot.safetext import clean
from mutum_copilot.search import SearchHit, SearchIndex, SearchResult
from mutum_copilot.search_hits import NO_ANSWER, NO_ANSWER_ADVICE, WEAK_MARK
from mutum_copilot.search_log import SearchLog
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.keys import FAQ_BINDINGS
from mutum_copilot.tui.widgets.entry_view import EntryView, highlighted
from mutum_copilot.tui.widgets.faq_scope import OVERDUE_MARK, FaqScope
from mutum_copilot.tui.widgets.vault_lines import credential_lines
from mutum_copilot.vault import Vault

RESULTS_SHOWN = 20
NO_ANSWER_ID = "faq-no-answer"


def no_answer_prompt(has_weak_matches: bool) -> Text:
    """The first line of the results when nothing answers the query."""
    text = Text(NO_ANSWER, "bold yellow")
    text.append(f"\n{NO_ANSWER_ADVICE}", "yellow")
    if has_weak_matches:
        text.append("\nResultados fracos (não respondem à pergunta):", "dim")
    return text


def hit_prompt(hit: SearchHit, provider: str = "", overdue: bool = False) -> Text:
    """One result line: the question, matched words emphasised; a weak one dimmed and marked.

    ``provider``: the hit's provider, when the search covers several packs;
    ``overdue``: the entry's review is overdue (:mod:`mutum_copilot.packs.review`).
    """
    prompt = highlighted(hit.entry.question, hit.matched_terms, "dim" if hit.weak else "")
    if hit.weak:
        prompt.append(f"  · {WEAK_MARK}", "yellow")
    if provider:
        prompt.append(f"  · {clean(provider)}", "cyan")
    if overdue:
        prompt.append(f"  · {OVERDUE_MARK}", "yellow")
    return prompt


def hint_option() -> Option:
    """The results list while the box is empty."""
    return Option(Text("Digite para buscar; Enter abre a resposta.", "dim"), disabled=True)


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
        # The parts are children from the start (not composed): the main screen mounts
        # the pane after its first frame, and a key typed before then must find them.
        entry_view = EntryView(id="faq-entry")
        entry_view.display = False
        super().__init__(
            Input(placeholder="Buscar no FAQ ( / )", id="faq-query"),
            OptionList(hint_option(), id="faq-results"),
            entry_view,
            id=id,
        )
        self.index = index
        self.vault = vault
        self.facts = facts
        self.hits: list[SearchHit] = []
        #: The last search; None while the box is empty.
        self.result: SearchResult | None = None
        self.open_entry: FaqEntry | None = None
        self.open_weak = False
        self.matched: tuple[str, ...] = ()
        #: Team hook (issue #12): the screen sets it; the searches are logged for FAQ gaps.
        self.search_log: SearchLog | None = None
        # --- several packs (issue #13): set by the main screen; None: ``index`` alone ---
        self.scope: FaqScope | None = None
        self.hit_ids: list[str] = []
        self.hit_packs: list[PackEntry] = []
        self.open_pack: PackEntry | None = None

    def on_unmount(self) -> None:
        if self.search_log is not None:  # team hook: the app is closing
            self.search_log.flush()

    def show_hint(self) -> None:
        results = self.query_one("#faq-results", OptionList)
        results.clear_options()
        results.add_option(hint_option())

    def focus_search(self) -> None:
        self.close_entry()
        search = self.query_one("#faq-query", Input)
        self.screen.set_focus(search)
        search.select_all() if search.value else None

    def reset(self) -> None:
        """A new call: empty search, no entry open."""
        if self.search_log is not None:  # team hook: the last search is settled
            self.search_log.flush()
        self.close_entry()
        search = self.query_one("#faq-query", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        self.hits = []
        self.result = None
        self.show_hint()

    def open_entry_by_id(self, entry_id: str) -> None:
        if self.scope is not None:
            found = self.scope.hit_by_id(entry_id)
            if found is not None:
                self.open_hit(*found)
            return
        entry = next((e for e in self.index.entries if e.id == entry_id), None)
        if entry is not None:
            self.open_hit(SearchHit(entry, 1.0, ()))

    def search(self, query: str) -> None:
        results = self.query_one("#faq-results", OptionList)
        results.clear_options()
        if not query.strip():
            self.result, self.hits = None, []
            self.show_hint()
            return
        if self.scope is not None:
            scoped = self.scope.find(query, RESULTS_SHOWN)
            self.result, self.hit_ids, self.hit_packs = (
                scoped.result,
                list(scoped.option_ids),
                list(scoped.packs),
            )
        else:
            self.result = self.index.find(query, limit=RESULTS_SHOWN)
            self.hit_ids, self.hit_packs = [h.id for h in self.result.hits], []
        self.hits = list(self.result.hits)
        options: list[Option] = []
        if not self.result.answered:
            options.append(
                Option(no_answer_prompt(bool(self.hits)), disabled=True, id=NO_ANSWER_ID)
            )
        options += [
            Option(self.prompt_for(i), id=option_id) for i, option_id in enumerate(self.hit_ids)
        ]
        results.add_options(options)
        if self.search_log is not None:  # team hook: debounced in the log, not here
            self.search_log.typed(query, [h.id for h in self.hits], self.result.answered)
        # A weak match is never highlighted for Enter: the agent picks it on purpose.
        results.highlighted = 0 if self.result.answered else None

    def prompt_for(self, index: int) -> Text:
        """The result line of the hit at ``index`` (its provider and review state too)."""
        hit = self.hits[index]
        if self.scope is None or not self.hit_packs:
            return hit_prompt(hit)
        pack = self.hit_packs[index]
        provider = pack.name if self.scope.labelled else ""
        return hit_prompt(hit, provider, self.scope.overdue(pack, hit.entry))

    def hit_for(self, option_id: str | None) -> SearchHit | None:
        found = self.found(option_id)
        return found[0] if found is not None else None

    def found(self, option_id: str | None) -> tuple[SearchHit, PackEntry | None] | None:
        """The hit of a result line, and its pack (None: the pane's one index)."""
        if option_id not in self.hit_ids:
            return None
        index = self.hit_ids.index(option_id)
        return self.hits[index], (self.hit_packs[index] if self.hit_packs else None)

    @on(Input.Changed, "#faq-query")
    @guarded
    def query_changed(self, event: Input.Changed) -> None:
        self.close_entry()
        self.search(event.value)

    @on(Input.Submitted, "#faq-query")
    @guarded
    def open_first(self) -> None:
        """Enter in the box opens the answer; never a weak match."""
        if self.result is None or not self.hits:
            return
        if not self.result.answered:
            self.notify(
                f"{NO_ANSWER} Para abrir um resultado fraco, escolha-o na lista (↓).",
                severity="warning",
                timeout=4,
            )
            return
        results = self.query_one("#faq-results", OptionList)
        index = results.highlighted or 0
        option_id = results.get_option_at_index(index).id if results.option_count else None
        self.open_hit(*(self.found(option_id) or self.found(self.hit_ids[0]) or (self.hits[0],)))

    @on(OptionList.OptionSelected, "#faq-results")
    @guarded
    def open_selected(self, event: OptionList.OptionSelected) -> None:
        found = self.found(event.option.id)
        if found is not None:
            self.open_hit(*found)

    def open_hit(self, hit: SearchHit, pack: PackEntry | None = None) -> None:
        if pack is not None and self.scope is not None:  # the entry's own credentials
            self.open_pack = pack
            self.vault = self.scope.vault_for(pack.id)
            self.facts = pack.pack.facts
        self.open_entry = hit.entry
        self.open_weak = hit.weak
        self.matched = hit.matched_terms
        self.query_one("#faq-results").display = False
        self.show_entry()
        view = self.query_one("#faq-entry", EntryView)
        view.display = True
        view.scroll_home(animate=False)
        self.screen.set_focus(view)
        if self.search_log is not None:  # team hook
            self.search_log.opened(hit.entry.id)
        self.post_message(self.EntryOpened(hit.entry))

    def show_entry(self, revealed: str = "") -> None:
        """(Re)draw the open entry; ``revealed`` names a vault key shown in full."""
        if self.open_entry is None:
            return
        lines = credential_lines(self.vault, self.facts, revealed)
        credentials = [lines[k] for k in self.open_entry.vault_keys if k in lines]
        pack, scope = self.open_pack, self.scope
        self.query_one("#faq-entry", EntryView).show(
            self.open_entry,
            self.matched,
            credentials,
            weak=self.open_weak,
            provider=pack.name if pack is not None and scope is not None and scope.labelled else "",
            overdue=pack is not None and scope is not None and scope.overdue(pack, self.open_entry),
        )

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

    @guarded
    def action_copy_if_asked(self) -> None:
        """Copy the open entry's line said only if the customer asks (never with ``c``)."""
        text = self.open_entry.if_asked if self.open_entry is not None else ""
        if not text.strip():
            self.notify("Esta resposta não tem linha para o caso de o cliente perguntar.")
            return
        self.app.copy_to_clipboard(clean(text))
        self.notify("Copiado: diga só se o cliente perguntar.", timeout=3)

    def close_entry(self) -> bool:
        """Back from the entry to the results; False if no entry was open."""
        if self.open_entry is None:
            return False
        self.open_entry = None
        self.open_weak = False
        self.matched = ()
        self.query_one("#faq-entry").display = False
        self.query_one("#faq-results").display = True
        return True

    def on_key(self, event: Key) -> None:
        """Down from the search box goes to the results."""
        if event.key == "down" and self.query_one("#faq-query").has_focus and self.hits:
            results = self.query_one("#faq-results", OptionList)
            self.screen.set_focus(results)
            if results.highlighted is None:  # the agent goes for a weak match on purpose
                results.highlighted = 0 if self.result and self.result.answered else 1
            event.stop()

    @guarded
    def action_step_out(self) -> None:
        if self.close_entry():
            self.screen.set_focus(self.query_one("#faq-results", OptionList))
            return
        self.post_message(self.Closed())
