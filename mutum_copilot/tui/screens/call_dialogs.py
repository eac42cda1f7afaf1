"""The dialogs the main screen opens: notes, OS note, call data, restart, history.

A mixin of :class:`~mutum_copilot.tui.screens.main.MainScreen`, kept apart so
the screen's module stays about routing the call; each action pushes one
modal screen and applies what it returns.
"""

from __future__ import annotations

from textual.screen import Screen

from mutum_copilot.call import LiveCall
from mutum_copilot.services import Services
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.widgets.faq_pane import FaqPane


class CallDialogs(Screen[None]):
    """Actions that open a dialog; the main screen provides the call and the redraws."""

    call: LiveCall
    services: Services

    def new_call(self) -> LiveCall:
        raise NotImplementedError

    def redisplay(self) -> None:
        raise NotImplementedError

    def show_flow_list(self) -> None:
        raise NotImplementedError

    def yield_text_to_box(self) -> None:
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

        self.app.push_screen(NoteScreen(self.call), self.note_closed)

    @guarded
    def note_closed(self, finished: bool | None) -> None:
        if finished:
            self.call = self.new_call()
            self.show_flow_list()
            self.query_one(FaqPane).reset()
        else:
            self.redisplay()

    @guarded
    def action_context(self) -> None:
        self.yield_text_to_box()
        if self.call.session is None:
            self.notify("Escolha um atendimento primeiro.", severity="warning")
            return
        from mutum_copilot.tui.screens.context import ContextScreen

        self.app.push_screen(ContextScreen(self.call), lambda _: self.redisplay())

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
            self.show_flow_list()  # the next flow carries the call's values and notes
        elif choice == "new_call":
            if self.call.active:
                self.call.finish()
            self.call = self.new_call()
            self.showing_more_flows = False
            self.show_flow_list()
        else:
            self.redisplay()

    @guarded
    def action_history(self) -> None:
        self.yield_text_to_box()
        from mutum_copilot.tui.screens.history import HistoryScreen

        self.app.push_screen(
            HistoryScreen(self.services.history, self.services.pack.facts.call_center.time_zone)
        )
