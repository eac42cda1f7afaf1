"""Which provider the call on screen serves: picking it, and everything that follows it.

A mixin of :class:`~mutum_copilot.tui.screens.main.MainScreen`. With one pack
nothing here is visible: its pack is every call's. With several, a call starts
on the provider list (one number key picks; see :mod:`mutum_copilot.tui.provider_menu`)
unless the seat presets one (``provider:``), and the whole call then uses that
pack: flows, FAQ, facts, vault section, N1 calendar and shift clock, note.

:attr:`ProviderCalls.call_pack` is THE accessor of "the pack of the current
call" for any code of the TUI (lookups, dialogs): the provider picked, or the
default pack while none is.
"""

from __future__ import annotations

from mutum_copilot.call import LiveCall
from mutum_copilot.packs.catalog import PackEntry
from mutum_copilot.packs.choice import can_pick, needs_pick
from mutum_copilot.tui.screens.call_dialogs import CallDialogs
from mutum_copilot.tui.widgets.faq_pane import FaqPane
from mutum_copilot.tui.widgets.faq_scope import FaqScope
from mutum_copilot.tui.widgets.provider_lines import ProviderStatusBar
from mutum_copilot.tui.widgets.triage_pane import TriagePane


class ProviderCalls(CallDialogs):
    """The call's pack (``entry``) and whether the agent has picked it yet."""

    entry: PackEntry
    #: False while the provider list is on screen (several packs, none picked yet).
    provider_picked: bool

    @property
    def call_pack(self) -> PackEntry:
        """The pack of the current call (the default one while no provider is picked)."""
        return self.entry

    def first_pack(self) -> None:
        """At start: the default pack; picked already unless the seat must pick per call."""
        self.entry = self.services.catalog.default
        self.provider_picked = not needs_pick(self.services.catalog)
        self.triage = self.entry.triage()
        self.deferred_calls = set()

    def new_call(self) -> LiveCall:
        return LiveCall(
            self.triage,
            self.services.history,
            self.services.clock,
            agent=self.services.settings.agent_name,
            pack_id=self.entry.id,
            pack_version=self.entry.version,
            shift_clock=self.entry.shift_clock,
        )

    def faq_scope(self) -> FaqScope:
        """What the FAQ searches now: the call's pack, or every pack before a pick."""
        return FaqScope(
            self.services.catalog,
            self.services.vault_for,
            self.services.clock,
            self.entry.id if self.provider_picked else None,
        )

    def apply_pack(self, entry: PackEntry) -> None:
        """Point the triage, the FAQ and the status bar at ``entry`` (the call stays as it is)."""
        self.entry = entry
        self.triage = entry.triage()
        self.query_one(TriagePane).flow_titles = {f.id: f.title for f in self.triage.flows.values()}
        for faq in self.query(FaqPane):  # none before the first frame (MainScreen.mount_rest)
            faq.index = entry.search
            faq.vault = self.services.vault_for(entry.id)
            faq.facts = entry.pack.facts
            faq.scope = self.faq_scope()
        self.query_one(ProviderStatusBar).follow(entry, overview=self.overview_wanted())

    def overview_wanted(self) -> bool:
        """Every provider's status line: several packs and no call open (no subject yet)."""
        return len(self.services.catalog) > 1 and not self.call_open()

    def call_open(self) -> bool:
        call = getattr(self, "call", None)  # None while the screen is being built
        return call is not None and call.active

    def refresh_provider_bar(self) -> None:
        """After each change of the call: the call's provider, or every provider's line."""
        self.query_one(ProviderStatusBar).set_overview(self.overview_wanted())

    def use_pack(self, entry: PackEntry) -> None:
        """The agent picked ``entry``'s provider: a new call on its pack."""
        self.provider_picked = True
        self.apply_pack(entry)
        self.call = self.new_call()

    def unpick(self) -> None:
        """Back to the provider list (no call on screen yet)."""
        self.provider_picked = False
        self.apply_pack(self.services.catalog.default)
        self.call = self.new_call()

    def pick_provider(self, pack_id: str) -> None:
        self.use_pack(self.services.catalog.get(pack_id))
        self.reset_faq()
        self.show_flow_list()

    def can_unpick(self) -> bool:
        """Esc on an untouched flow list goes back to the provider list (several packs)."""
        return can_pick(self.services.catalog) and self.provider_picked and not self.call.active

    def next_call(self) -> None:
        """The call ended: the next one starts on the provider list (or the seat's preset)."""
        catalog = self.services.catalog
        if needs_pick(catalog):
            self.unpick()
        elif self.entry.id != catalog.default_id:
            self.use_pack(catalog.default)
        else:
            self.call = self.new_call()
        self.offer_resume()  # another unfinished call may wait (of any pack of the seat)

    def reloaded_entry(self) -> PackEntry:
        """The call's pack in the reloaded catalog (found by folder, else by id)."""
        catalog = self.services.catalog
        root = self.entry.pack.root
        same = next((e for e in catalog if e.pack.root == root), None)
        if same is not None:
            return same
        return catalog.get(self.entry.id) if self.entry.id in catalog else catalog.default
