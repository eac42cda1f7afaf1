"""The dialogs the main screen opens: notes, OS note, call data, restart, history.

A mixin of :class:`~mutum_copilot.tui.screens.main.MainScreen`, kept apart so
the screen's module stays about routing the call; each action pushes one
modal screen and applies what it returns. Resuming a call found at start is
one of them: the call was claimed for this copilot, and only the agent's
"descartar" discards it.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from mutum_copilot.call import LiveCall, call_to_resume, discard_call, restore_problem
from mutum_copilot.errors import MutumError
from mutum_copilot.history import CallRecord
from mutum_copilot.packs.catalog import PackEntry
from mutum_copilot.packs.choice import entry_for_call
from mutum_copilot.services import Services
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.session import SessionError
from mutum_copilot.triage.views import StepView
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.widgets.triage_pane import TriagePane


class CallDialogs(Screen[None]):
    """Actions that open a dialog; the main screen provides the call and the redraws."""

    call: LiveCall
    services: Services
    provider_picked: bool
    #: Calls the agent left for later (Esc) in this session: not offered again until restart.
    deferred_calls: set[int]
    triage: Triage
    showing_more_flows: bool

    def show(self, view: StepView) -> None:
        raise NotImplementedError

    def refresh_call_parts(self) -> None:
        raise NotImplementedError

    @property
    def call_pack(self) -> PackEntry:
        raise NotImplementedError

    def new_call(self) -> LiveCall:
        raise NotImplementedError

    def next_call(self) -> None:
        raise NotImplementedError

    def use_pack(self, entry: PackEntry) -> None:
        raise NotImplementedError

    def unpick(self) -> None:
        raise NotImplementedError

    def redisplay(self) -> None:
        raise NotImplementedError

    def show_flow_list(self) -> None:
        raise NotImplementedError

    def reset_faq(self) -> None:
        raise NotImplementedError

    def yield_text_to_box(self) -> None:
        raise NotImplementedError

    def ixc_os_offer(self) -> Any:  # hooks of the IXC integration (tui/lookup.py)
        raise NotImplementedError

    def ixc_context_saved(self, name: str, text: str) -> None:
        raise NotImplementedError

    @guarded
    def action_notes(self) -> None:
        self.yield_text_to_box()
        from mutum_copilot.tui.screens.notes import NotesScreen

        self.app.push_screen(NotesScreen(self.call.notes, self.call.set_notes), self.notes_saved)

    @guarded
    def notes_saved(self, notes: str | None) -> None:
        if notes is not None:
            self.call.set_notes(notes)
        self.redisplay()

    @guarded
    def action_os_note(self) -> None:
        self.yield_text_to_box()
        if self.call.session is None:
            self.notify("Escolha um atendimento primeiro.", severity="warning")
            return
        from mutum_copilot.tui.screens.note import NoteScreen

        ixc = self.ixc_os_offer()  # hook: "abrir no IXC" (None: off)
        self.app.push_screen(NoteScreen(self.call, ixc=ixc), self.note_closed)

    @guarded
    def note_closed(self, finished: bool | None) -> None:
        if finished:
            self.next_call()
            self.show_flow_list()
            self.reset_faq()
        else:
            self.redisplay()

    @guarded
    def action_context(self) -> None:
        self.yield_text_to_box()
        if self.call.session is None:
            self.notify("Escolha um atendimento primeiro.", severity="warning")
            return
        from mutum_copilot.tui.screens.context import ContextScreen

        saved = self.ixc_context_saved  # hook: the IXC lookup
        self.app.push_screen(ContextScreen(self.call, on_saved=saved), lambda _: self.redisplay())

    @guarded
    def action_restart(self) -> None:
        if self.call.session is None:
            self.show_flow_list()
            return
        from mutum_copilot.tui.screens.restart import RestartScreen

        self.app.push_screen(RestartScreen(), self.restart_chosen)

    @guarded
    def restart_chosen(self, choice: str | None) -> None:
        if choice == "same_customer":
            self.showing_more_flows = False
            self.show_flow_list()  # the next flow is another subject of this call
        elif choice == "new_call":
            self.leave_call()
            self.next_call()
            self.showing_more_flows = False
            self.show_flow_list()
        else:
            self.redisplay()

    def leave_call(self) -> None:
        """The agent starts a new call: this one is recorded as it is (finished if it can be)."""
        if self.call.finished:
            return
        ready = not self.call.finish_problem() and not self.call.needs_confirmation()
        if self.call.active and ready:
            self.call.finish()
            return
        self.call.abandon()

    @guarded
    def action_history(self) -> None:
        self.yield_text_to_box()
        from mutum_copilot.tui.screens.history import HistoryScreen

        self.app.push_screen(
            HistoryScreen(self.services.history, self.services.pack.facts.call_center.time_zone)
        )

    # --- resuming -------------------------------------------------------------------
    def offer_resume(self) -> None:
        """An unfinished call of any configured pack, claimed for this copilot: offer it back.

        It is resumed (or discarded) with its own pack, never with another; a call
        of a pack this seat no longer serves is neither offered nor touched.
        """
        catalog = self.services.catalog
        record = call_to_resume(self.services.history, set(catalog.ids))
        if record is None or record.id in self.deferred_calls:
            return
        entry = entry_for_call(catalog, record.pack_id)
        if entry is None:
            return
        from mutum_copilot.tui.screens.resume import ResumeScreen

        zone = entry.pack.facts.call_center.time_zone
        problem = restore_problem(entry.triage(), record)
        provider = entry.name if len(catalog) > 1 else ""
        self.app.push_screen(
            ResumeScreen(record, zone, problem, provider=provider),
            lambda ok: self.resume_chosen(record, entry, ok),
        )

    @guarded
    def resume_chosen(self, record: CallRecord, entry: PackEntry, resume: bool | None) -> None:
        """True: resume it; False: the agent discards it; None: leave it for later, untouched."""
        history = self.services.history
        if resume:
            before, picked = self.call_pack, self.provider_picked
            self.use_pack(entry)  # the call's own pack, whatever was on screen
            try:
                view = self.call.resume(record)
            except (SessionError, MutumError) as exc:  # kept as it is: never discarded for this
                self.use_pack(before) if picked else self.unpick()
                self.show_flow_list()
                self.notify(f"Não foi possível retomar: {exc}", severity="error")
                return
            if view is None:
                self.show_flow_list()  # only notes so far: the subject is still to choose
            else:
                self.show(view)
                self.query_one(TriagePane).focus_step()
            self.refresh_call_parts()
            return
        if resume is None:
            self.deferred_calls.add(record.id)
            return
        if history is not None:
            try:
                discard_call(
                    history,
                    entry.triage(),
                    record,
                    self.services.clock,
                    agent=self.services.settings.agent_name,
                )
            except MutumError as exc:
                self.notify(f"Não foi possível descartar: {exc}", severity="warning")
                return
            self.offer_resume()  # the next one, if another waits
