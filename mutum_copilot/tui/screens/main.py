"""The main screen: status bar, call context, triage pane and FAQ pane, routed here.

Widgets report what the agent did as messages; this screen applies it to the
live call (:class:`mutum_copilot.call.LiveCall`) and sends the result back
down. It is the only place that knows both panes exist.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Horizontal

from mutum_copilot.call import LiveCall, call_to_resume
from mutum_copilot.errors import InputError, MutumError
from mutum_copilot.history import CallRecord
from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.services import Services
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.session import SessionError
from mutum_copilot.triage.views import StepView
from mutum_copilot.tui.flow_menu import MORE_FLOWS, MenuEntry, flow_menu
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.keys import CALL_BINDINGS, CHOICE_BINDINGS, TRIAGE_BINDINGS
from mutum_copilot.tui.screens.call_dialogs import CallDialogs
from mutum_copilot.tui.typeahead import give_text_back, key_in_flight, settle
from mutum_copilot.tui.widgets.breadcrumb import breadcrumb_text
from mutum_copilot.tui.widgets.context_bar import ContextBar
from mutum_copilot.tui.widgets.faq_pane import FaqPane
from mutum_copilot.tui.widgets.footer import Footer
from mutum_copilot.tui.widgets.status_bar import StatusBar
from mutum_copilot.tui.widgets.triage_pane import TriagePane, ValueInput

#: Below this width the FAQ is an overlay toggled with "/" instead of a column.
WIDE_MIN_WIDTH = 100


class MainScreen(CallDialogs):
    """One call at a time: the flow on the left, the FAQ beside it (or over it)."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_MIN_WIDTH, "-wide")]
    BINDINGS = [*CHOICE_BINDINGS, *TRIAGE_BINDINGS, *CALL_BINDINGS]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.triage = Triage(services.pack, services.clock, n1=services.shift_clock.n1)
        self.call = self.new_call()
        self.showing_more_flows = False
        self.picking_flow = True  # the flow list is on screen (idle, or another subject)
        self.faq_entry: FaqEntry | None = None
        self.last_warning = ""

    def new_call(self) -> LiveCall:
        return LiveCall(
            self.triage,
            self.services.history,
            self.services.clock,
            agent=self.services.settings.agent_name,
            pack_id=self.services.pack.meta.id,
        )

    # --- layout ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        facts = self.services.pack.facts
        yield StatusBar(
            self.services.shift_clock,
            facts.call_center.time_zone,
            facts.provider.time_zone,
            self.services.clock,
            id="status",
        )
        yield ContextBar(id="context")
        with Horizontal(id="body"):
            yield TriagePane(id="triage")
            yield FaqPane(self.services.search, self.services.vault, facts, id="faq")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(TriagePane).flow_titles = {f.id: f.title for f in self.triage.flows.values()}
        self.show_flow_list()
        self.offer_resume()

    # --- what the triage pane shows -------------------------------------------------
    def flow_entries(self) -> list[MenuEntry]:
        return flow_menu(self.triage.flows.values(), more=self.showing_more_flows)

    def show_flow_list(self) -> None:
        self.picking_flow = True
        if self.showing_more_flows:
            heading = "Outros assuntos (Esc volta)"
        elif self.call.active:
            heading = "Outro assunto, mesmo cliente: tecle o número (Esc volta)."
        else:
            heading = "Qual o motivo do contato? Tecle o número."
        self.query_one(TriagePane).show_flows(self.flow_entries(), heading)
        self.refresh_call_parts()

    def show(self, view: StepView) -> None:
        self.picking_flow = False
        self.query_one(TriagePane).show_step(view, self.breadcrumb(view))
        self.refresh_call_parts()

    def breadcrumb(self, view: StepView) -> Text:
        steps = self.triage.path(self.call.session) if self.call.session is not None else ()
        width = max(20, self.query_one(TriagePane).size.width - 2)
        return breadcrumb_text(view.flow_title, steps, width)

    def refresh_call_parts(self) -> None:
        self.query_one(ContextBar).show_values(self.call.values(), self.call.triage.context_fields)
        self.query_one(StatusBar).call_started = self.call.started_at if self.call.active else None
        if self.call.warning and self.call.warning != self.last_warning:
            self.notify(self.call.warning, severity="warning", timeout=10)
        self.last_warning = self.call.warning

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
        if self.faq_has_focus():
            raise SkipAction()  # the FAQ pane steps out of itself
        key = key_in_flight(self.app)
        box = self.query_one(ValueInput)
        erasing = key is not None and key.key == "backspace"
        if erasing and not (self.focused is box and not box.value):
            self.yield_text_to_box()  # Backspace edits a box; in an empty value box it goes back
        if self.faq_overlay_open():
            self.close_faq()
            return
        if self.picking_flow:
            if self.showing_more_flows:
                self.showing_more_flows = False
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
    def action_search(self) -> None:
        self.yield_text_to_box()
        self.add_class("-faq-open")
        self.query_one(FaqPane).focus_search()

    @guarded
    def action_reload(self) -> None:
        self.app.action_reload_pack()  # type: ignore[attr-defined]

    @guarded
    def pack_reloaded(self) -> None:
        """A new pack is in: rebuild the triage and keep the call if its flow still fits."""
        self.triage = Triage(
            self.services.pack, self.services.clock, n1=self.services.shift_clock.n1
        )
        self.query_one(TriagePane).flow_titles = {f.id: f.title for f in self.triage.flows.values()}
        faq = self.query_one(FaqPane)
        faq.index = self.services.search
        faq.facts = self.services.pack.facts
        old = self.call
        self.call = self.new_call()
        self.call.call_id, self.call.started_at = old.call_id, old.started_at
        if old.session is not None:
            try:
                self.call.session = self.triage.restore(old.session.to_dict())
            except (SessionError, MutumError) as exc:
                self.call = old  # it keeps the engine of the pack it started with
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

    # --- resuming -------------------------------------------------------------------
    def offer_resume(self) -> None:
        record = call_to_resume(self.services.history)
        if record is None:
            return
        from mutum_copilot.tui.screens.resume import ResumeScreen

        zone = self.services.pack.facts.call_center.time_zone
        self.app.push_screen(ResumeScreen(record, zone), lambda ok: self.resume_chosen(record, ok))

    @guarded
    def resume_chosen(self, record: CallRecord, resume: bool | None) -> None:
        history = self.services.history
        if resume:
            try:
                self.show(self.call.resume(record))
                self.query_one(TriagePane).focus_step()
                return
            except (SessionError, MutumError) as exc:
                self.notify(f"Não foi possível retomar: {exc}", severity="error")
        if history is not None:
            with contextlib.suppress(MutumError):
                history.discard_call(record.id)

    # --- FAQ ------------------------------------------------------------------------
    def faq_overlay_open(self) -> bool:
        return self.has_class("-narrow") and self.has_class("-faq-open")

    def faq_has_focus(self) -> bool:
        focused = self.focused
        return focused is not None and self.query_one(FaqPane) in focused.ancestors_with_self

    @guarded
    def open_faq_entry(self, entry_id: str) -> None:
        """Show one entry in the FAQ pane (from the command palette)."""
        self.add_class("-faq-open")
        self.query_one(FaqPane).open_entry_by_id(entry_id)

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
        self.query_one(TriagePane).show_preview(self.call.preview(message.text))

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

    @on(TriagePane.BackRequested)
    @guarded
    def back_requested(self) -> None:
        self.action_back()

    @on(FaqPane.EntryOpened)
    @guarded
    def entry_opened(self, message: FaqPane.EntryOpened) -> None:
        self.faq_entry = message.entry

    @on(FaqPane.Closed)
    @guarded
    def faq_closed(self) -> None:
        self.faq_entry = None
        self.close_faq()
