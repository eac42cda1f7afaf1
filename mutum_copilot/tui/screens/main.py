"""The main screen: status bar, call context, triage pane and FAQ pane, routed here.

Widgets report what the agent did as messages; this screen applies it to the
live call (:class:`mutum_copilot.call.LiveCall`) and sends the result back
down. It is the only place that knows both panes exist.

Two timers keep the screen honest: every second the step is checked against
the live N1 clock (the escalation wording follows N1 closing while it is
shown), and a save the disk refused (or another program's lock delayed) is
retried until it lands. Neither ever blocks a key: a write waits at most a
quarter of a second (see :data:`mutum_copilot.history.UI_BUSY_TIMEOUT_MS`).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import AwaitMount

from mutum_copilot.errors import InputError, MutumError
from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.services import Services
from mutum_copilot.triage.session import SessionError
from mutum_copilot.triage.views import StepView
from mutum_copilot.tui.flow_menu import MORE_FLOWS, MenuEntry, flow_menu
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.keys import CALL_BINDINGS, CHOICE_BINDINGS, TRIAGE_BINDINGS
from mutum_copilot.tui.layout import CALL_SCREEN_BREAKPOINTS
from mutum_copilot.tui.lookup import IxcActions
from mutum_copilot.tui.provider_menu import HEADING as PROVIDER_HEADING
from mutum_copilot.tui.provider_menu import picked_provider, provider_menu
from mutum_copilot.tui.screens.providers import ProviderCalls
from mutum_copilot.tui.team_hooks import screen_search_log
from mutum_copilot.tui.typeahead import give_text_back, settle
from mutum_copilot.tui.widgets.breadcrumb import breadcrumb_text
from mutum_copilot.tui.widgets.context_bar import ContextBar
from mutum_copilot.tui.widgets.faq_pane import FaqPane
from mutum_copilot.tui.widgets.footer import Footer
from mutum_copilot.tui.widgets.provider_lines import ProviderStatusBar
from mutum_copilot.tui.widgets.status_bar import StatusBar
from mutum_copilot.tui.widgets.triage_pane import TriagePane, ValueInput

#: How often a save the disk refused is tried again, in seconds.
RETRY_SECONDS = 2.0


class MainScreen(IxcActions, ProviderCalls):  # IxcActions: the IXC integration (lookup.py)
    """One call at a time: the flow on the left, the FAQ beside it (or over it)."""

    HORIZONTAL_BREAKPOINTS = CALL_SCREEN_BREAKPOINTS
    BINDINGS = [*CHOICE_BINDINGS, *TRIAGE_BINDINGS, *CALL_BINDINGS]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.first_pack()  # the call's pack: see ProviderCalls (several providers, #13)
        self.call = self.new_call()
        self.showing_more_flows = False
        self.picking_flow = True  # the flow list is on screen (idle, or another subject)
        self.faq_entry: FaqEntry | None = None
        self.last_warning = ""
        #: The FAQ pane and the footer being mounted, after the first frame.
        self.rest_mounting: AwaitMount | None = None

    # --- layout ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """The first frame: the status bar, the (empty) call context and the flow list."""
        yield ProviderStatusBar(self.services.catalog, self.entry, self.services.clock, id="status")
        yield ContextBar(id="context")
        with Horizontal(id="body"):
            yield TriagePane(id="triage")

    def on_mount(self) -> None:
        self.apply_pack(self.entry)
        self.show_flow_list()
        self.offer_resume()
        self.set_interval(1, self.follow_live_clock)
        self.set_interval(RETRY_SECONDS, self.retry_save)
        self.call_after_refresh(self.mount_rest)

    def mount_rest(self) -> AwaitMount | None:
        """The parts the first frame does without, mounted right after it.

        The FAQ pane and the footer keys are about half the screen's widgets
        and of the bytes a full frame sends to the terminal (BENCHMARKS.md).
        IXC's panel is mounted by the integration itself, and only when it is
        on (:meth:`IxcActions.ixc_refresh`). A key that needs the FAQ before
        then waits for it (:meth:`faq_ready`).
        """
        if self.rest_mounting is not None:
            return self.rest_mounting
        body = self.query_one("#body")
        if not (self.is_attached and body.is_attached):  # the app is closing already
            return None
        entry = self.entry
        faq = FaqPane(entry.search, self.services.vault_for(entry.id), entry.pack.facts, id="faq")
        faq.scope = self.faq_scope()
        faq.search_log = screen_search_log(self)  # team hook (#12): searches go to the history
        self.rest_mounting = body.mount(faq)
        self.mount(Footer(show_command_palette=False))
        self.refresh_call_parts()
        return self.rest_mounting

    async def faq_ready(self) -> FaqPane:
        """The FAQ pane with its parts, after waiting for them if the first frame just went."""
        mounting = self.mount_rest()
        if mounting is not None:
            await mounting  # its search box and lists exist once it is mounted
        return self.query_one(FaqPane)

    def faq_pane(self) -> FaqPane:
        """The FAQ pane, long mounted (for what happens after a dialog or a call)."""
        return self.query_one(FaqPane)

    def reset_faq(self) -> None:
        """A new call: the FAQ pane empty (one still being mounted is empty already)."""
        for pane in self.query(FaqPane):
            if pane.is_mounted:
                pane.reset()

    # --- what the triage pane shows -------------------------------------------------
    def flow_entries(self) -> list[MenuEntry]:
        if not self.provider_picked:  # several providers: the call starts by picking one
            return provider_menu(self.services.catalog, self.services.clock())
        return flow_menu(self.triage.flows.values(), more=self.showing_more_flows)

    def show_flow_list(self) -> None:
        self.picking_flow = True
        self.query_one(TriagePane).show_flows(self.flow_entries(), self.flow_heading())
        self.refresh_call_parts()

    def flow_heading(self) -> str:
        """The line above the flow list: what the agent is picking, and how to go back."""
        if not self.provider_picked:
            heading = PROVIDER_HEADING
        elif self.showing_more_flows:
            heading = "Outros assuntos (Esc volta)"
        elif self.call.active:
            heading = "Outro assunto, mesmo cliente: tecle o número (Esc volta)."
        else:
            heading = "Qual o motivo do contato? Tecle o número."
        if self.provider_picked and len(self.services.catalog) > 1:
            heading = f"{self.entry.name}: {heading}"
            heading += " Esc: outro provedor." if self.can_unpick() else ""
        return heading

    def show(self, view: StepView) -> None:
        self.picking_flow = False
        pane = self.query_one(TriagePane)
        pane.show_step(view, self.breadcrumb(view))
        if view.value is not None and view.value.typed:
            pane.show_preview(self.call.preview(view.value.typed))  # the draft's verdict
        self.refresh_call_parts()

    def breadcrumb(self, view: StepView) -> Text:
        steps = self.triage.path(self.call.session) if self.call.session is not None else ()
        width = max(20, self.query_one(TriagePane).size.width - 2)
        return breadcrumb_text(view.flow_title, steps, width)

    def refresh_call_parts(self) -> None:
        self.query_one(ContextBar).show_values(self.call.values(), self.call.triage.context_fields)
        self.query_one(StatusBar).call_started = self.call.started_at if self.call.active else None
        self.refresh_provider_bar()  # several providers (#13): who is on shift where
        self.tell_warning()
        self.ixc_refresh()  # hook: the IXC panel, and the step with IXC's values (lookup.py)

    def tell_warning(self) -> None:
        """A new warning of the call (a refused save...) once, as a notification."""
        if self.call.warning and self.call.warning != self.last_warning:
            self.notify(self.call.warning, severity="warning", timeout=10)
        self.last_warning = self.call.warning

    # --- timers ---------------------------------------------------------------------
    @guarded
    def follow_live_clock(self) -> None:
        """Each second: the step follows N1's live state (and its live texts)."""
        if self.picking_flow or not self.call.active or self.app.screen is not self:
            return  # a dialog is open: the step is redrawn when it closes
        if self.faq_has_focus() or self.faq_overlay_open():
            return  # never pull the agent out of the FAQ; the next tick after it will do
        moved = self.call.refresh()
        pane = self.query_one(TriagePane)
        if moved is not None:
            self.show(moved)
            pane.focus_step()
            return
        view = self.call.view()
        if view is not None and view.value is None and view != pane.view:
            self.show(view)  # e.g. "{n1.back}" moved on; a value step is never redrawn under a key
            pane.focus_step()

    @guarded
    def retry_save(self) -> None:
        """Write the call again once the disk (or another program's lock) lets it."""
        if not self.call.pending:
            return
        if self.call.retry_save():
            self.notify("Chamada gravada no histórico de novo.", timeout=4)
        self.tell_warning()

    # --- the agent's actions --------------------------------------------------------
    def run_change(self, change: Callable[[], StepView]) -> None:
        """Apply a change to the call and show the result; typed errors become messages."""
        try:
            view = change()
        except InputError as exc:
            self.query_one(TriagePane).show_error(str(exc))
            return
        except (SessionError, MutumError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.show(view)

    @guarded
    def start_flow(self, flow_id: str) -> None:
        if (pack_id := picked_provider(flow_id)) is not None:
            self.pick_provider(pack_id)
            return
        if flow_id == MORE_FLOWS:
            self.showing_more_flows = True
            self.show_flow_list()
            return
        self.showing_more_flows = False
        self.run_change(lambda: self.call.start_flow(flow_id))

    # --- keys: priority bindings, run in the order keys arrive (see typeahead.py) ----
    def yield_text_to_box(self) -> None:
        give_text_back(self.app, self.focused)

    async def action_submit(self) -> None:
        """Enter: submit the step's value (after the keys typed before it), or go on."""
        self.query_one(TriagePane).mount_value_box()  # an Enter typed during start-up
        box = self.query_one(ValueInput)
        if self.focused is box:
            await settle(box)
            self.submit_value(box.value)
            return
        pane = self.query_one(TriagePane)
        if self.focused is None or pane not in self.focused.ancestors_with_self:
            raise SkipAction()
        view = None if self.picking_flow else self.call.view()
        if view is None or view.kind not in ("info", "end"):
            raise SkipAction()  # choices: the list selects the highlighted one
        self.proceed()

    @guarded
    def submit_value(self, text: str) -> None:
        self.ixc_value_typed(self.call.view(), text)  # hook: a CPF/contract starts a lookup
        self.run_change(lambda: self.call.enter(text))

    @guarded
    def action_choose(self, number: int) -> None:
        self.yield_text_to_box()
        if self.picking_flow:
            entries = self.flow_entries()
            if 1 <= number <= len(entries):
                self.start_flow(entries[number - 1][0])
            return
        view = self.call.view()
        if view is None:
            return
        if view.outcome is not None and view.outcome.then_flow and number == 1:
            self.start_flow(view.outcome.then_flow)  # the same customer, the next subject
        elif number <= len(view.choices):
            self.run_change(lambda: self.call.choose(number))

    @guarded
    def action_back(self) -> None:
        """Esc: one step back (the answer it had is offered again); Backspace never comes here."""
        if self.faq_has_focus():
            raise SkipAction()  # the FAQ pane steps out of itself
        if self.faq_overlay_open():
            self.close_faq()
            return
        if self.picking_flow:
            if self.showing_more_flows:
                self.showing_more_flows = False
                self.show_flow_list()
            elif self.can_unpick():
                self.unpick()
                self.show_flow_list()
            elif (view := self.call.view()) is not None and self.call.active:
                self.show(view)  # back to the step the agent left
                self.query_one(TriagePane).focus_step()
            return
        view = self.call.view()
        if view is not None and not view.can_back:
            self.show_flow_list()  # the flow was picked by mistake: choose another
            return
        self.run_change(self.call.back)

    @guarded
    def action_copy_say(self) -> None:
        self.yield_text_to_box()
        if self.faq_entry is not None and (self.faq_overlay_open() or self.faq_has_focus()):
            text = self.faq_entry.say or self.faq_entry.answer
            what = "Resposta do FAQ copiada"
        else:
            view = self.call.view() if self.call.active else None
            text = view.say if view is not None else ""
            what = "Fala copiada"
        if not text.strip():
            self.notify("Nada para copiar nesta etapa.", severity="warning")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"{what} para a área de transferência.", timeout=3)

    @guarded
    async def action_search(self) -> None:
        self.yield_text_to_box()
        self.add_class("-faq-open")
        pane = await self.faq_ready()  # a "/" typed during start-up waits for the pane
        pane.focus_search()

    @guarded
    def action_reload(self) -> None:
        self.app.action_reload_pack()  # type: ignore[attr-defined]

    @guarded
    def pack_reloaded(self) -> None:
        """A new pack is in: rebuild the triage and keep the call if its flow still fits."""
        self.apply_pack(self.reloaded_entry())  # the call's pack, its hours from this tick on
        try:
            self.call = self.call.rebased(self.triage)
        except (SessionError, MutumError) as exc:  # it keeps the engine it started with
            self.notify(f"A chamada atual segue o fluxo antigo: {exc}", severity="warning")
        self.redisplay()

    def redisplay(self) -> None:
        """Show again what was on screen before a dialog (the list, or the step)."""
        view = self.call.view() if self.call.active else None
        if view is None or self.picking_flow:
            self.show_flow_list()
        else:
            self.show(view)
            self.query_one(TriagePane).focus_step()

    # --- FAQ ------------------------------------------------------------------------
    def faq_overlay_open(self) -> bool:
        return self.has_class("-narrow") and self.has_class("-faq-open")

    def faq_has_focus(self) -> bool:
        focused = self.focused
        return focused is not None and any(
            p in focused.ancestors_with_self for p in self.query(FaqPane)
        )

    @guarded
    def open_faq_entry(self, entry_id: str) -> None:
        """Show one entry in the FAQ pane (from the command palette)."""
        self.add_class("-faq-open")
        self.faq_pane().open_entry_by_id(entry_id)

    def close_faq(self) -> None:
        self.remove_class("-faq-open")
        self.query_one(TriagePane).focus_step()

    # --- messages from the panes ----------------------------------------------------
    @on(TriagePane.FlowPicked)
    @guarded
    def flow_picked(self, message: TriagePane.FlowPicked) -> None:
        self.start_flow(message.flow_id)

    @on(TriagePane.ChoicePicked)
    @guarded
    def choice_picked(self, message: TriagePane.ChoicePicked) -> None:
        self.run_change(lambda: self.call.choose(message.number))

    @on(TriagePane.ValueChanged)
    @guarded
    def value_changed(self, message: TriagePane.ValueChanged) -> None:
        view = None if self.picking_flow or not self.call.active else self.call.view()
        if view is None or view.value is None:
            return  # typed before the step moved on: nothing to judge any more
        self.call.set_draft(message.text)  # a draft: survives a dialog, the FAQ, a crash
        self.query_one(TriagePane).show_preview(self.call.preview(message.text))
        self.tell_warning()

    @on(TriagePane.ValueSubmitted)
    @guarded
    def value_submitted(self, message: TriagePane.ValueSubmitted) -> None:
        self.submit_value(message.text)

    @guarded
    def proceed(self) -> None:
        """Enter on an orientation step goes on; on the end step it opens the OS note."""
        view = None if self.picking_flow else self.call.view()
        if view is None:
            return
        if view.ended:
            self.action_os_note()
        else:
            self.run_change(self.call.proceed)

    @on(FaqPane.EntryOpened)
    @guarded
    def entry_opened(self, message: FaqPane.EntryOpened) -> None:
        self.faq_entry = message.entry

    @on(FaqPane.Closed)
    @guarded
    def faq_closed(self) -> None:
        self.faq_entry = None
        self.close_faq()
