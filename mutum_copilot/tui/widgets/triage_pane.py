"""The triage pane: the flow list when idle, the current step during a call.

It shows a :class:`~mutum_copilot.triage.views.StepView` and reports what the
agent did as messages; the screen decides what happens (it owns the call).
The value box shows the step's draft when there is one (what the agent had
typed before leaving for the FAQ or a dialog, or the answer before going
back), so nothing typed is ever emptied by a redraw. Backspace in the box only
deletes text: going back is Esc.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.widgets.blocks import Block

if TYPE_CHECKING:  # types only: the boot frame's flow list imports no engine model
    from mutum_copilot.triage.views import Preview, StepView
    from mutum_copilot.tui.flow_menu import MenuEntry
#: Check verdicts that need the agent's attention: a bad signal, a rule's period not over.
ATTENTION_VERDICTS = frozenset({"outside", "within"})


class ValueInput(Input):
    """The value of a step (Backspace deletes text, and nothing else, even held down).

    A value offered to confirm (one the call knows, the answer before going back)
    is selected, so typing replaces it; the agent's own half-typed draft is not,
    so coming back from a dialog the next key goes on from the end of it.
    """

    def show_text(self, text: str, *, offered: bool) -> None:
        with self.prevent(Input.Changed):
            self.value = text
        self.select_on_focus = offered
        if offered:
            self.select_all()
        else:
            self.cursor_position = len(text)


class TriagePane(Vertical):
    """Breadcrumb, step texts, and the choices or the value box of the current step."""

    class FlowPicked(Message):
        def __init__(self, flow_id: str) -> None:
            super().__init__()
            self.flow_id = flow_id

    class ChoicePicked(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    class ValueChanged(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class ValueSubmitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        # It opens on the flow list: styled so from the start, not restyled before the first frame.
        super().__init__(id=id, classes="-picking")
        self.view: StepView | None = None
        self.flow_ids: list[str] = []
        self.flow_titles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        """The flow list and the step's texts; the value box follows the first frame."""
        yield Static(id="breadcrumb")
        with VerticalScroll(id="step-scroll", can_focus=True):
            yield Static(id="step-title")
            yield Block("say", id="step-say")
            yield Block("do", id="step-do")
            yield Block("note", id="step-note")
            yield Static(id="step-question")
            yield Static(id="step-outcome")
        yield OptionList(id="choices")

    def on_mount(self) -> None:
        self.call_after_refresh(self.mount_value_box)

    def mount_value_box(self) -> None:
        """The value box and its verdict line, hidden while the flow list shows.

        Mounted right after the first frame, which has no use for them, or at
        once by the first step shown: mounting registers a widget at once, so
        the keys typed after it queue up for it in order.
        """
        if self.query("#value-input") or not self.is_attached:  # attached: not closing
            return
        box, verdict = ValueInput(id="value-input"), Static(id="value-verdict")
        box.display = verdict.display = self.view is not None and self.view.value is not None
        self.mount(box, verdict, after="#choices")

    # --- showing --------------------------------------------------------------------
    def show_flows(self, entries: list[MenuEntry], heading: str) -> None:
        """The flow list (see :mod:`mutum_copilot.tui.flow_menu`)."""
        self.view = None
        self.flow_ids = [flow_id for flow_id, _, _ in entries]
        self.query_one("#breadcrumb", Static).update(Text(heading, "bold"))
        self._hide_step()
        self.add_class("-picking")
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        for number, (_, title, summary) in enumerate(entries, start=1):
            label = Text.assemble((f" {number} ", "bold reverse"), " ", (title, "bold"))
            if summary and len(entries) <= 5:  # room to spare: say what each covers
                label.append(f"  {summary}", "dim")
            choices.add_option(Option(label))
        choices.highlighted = 0
        choices.display = True
        for part in self.query("#value-input, #value-verdict"):
            part.display = False
        self.focus_now(choices)

    def show_step(self, view: StepView, breadcrumb: Text) -> None:
        self.mount_value_box()
        self.remove_class("-picking")
        self.view = view
        self.flow_ids = []
        self.query_one("#breadcrumb", Static).update(breadcrumb)
        self.query_one("#step-title", Static).update(Text(view.title, "bold"))
        self.query_one("#step-title").display = True
        self.query_one("#step-say", Block).show(view.say)
        self.query_one("#step-do", Block).show(view.do)
        self.query_one("#step-note", Block).show(view.note)
        question = self.query_one("#step-question", Static)
        if view.question:
            question.update(Text(view.question, "bold"))
        elif view.kind == "info":
            question.update(Text("Enter: continuar", "dim"))
        question.display = bool(view.question) or view.kind == "info"
        self._show_outcome(view)
        self._show_choices(view)
        self._show_value(view)
        self.query_one("#step-scroll", VerticalScroll).scroll_home(animate=False)

    def show_preview(self, preview: Preview) -> None:
        self.mount_value_box()
        verdict = self.query_one("#value-verdict", Static)
        if not preview.message:
            verdict.update("")
            return
        if not preview.ok:
            style = "bold red"
        elif preview.verdict in ATTENTION_VERDICTS:
            style = "bold yellow"
        else:
            style = "green"
        verdict.update(Text(preview.message, style))

    def show_error(self, message: str) -> None:
        self.mount_value_box()
        self.query_one("#value-verdict", Static).update(Text(message, "bold red"))

    def focus_now(self, widget: Widget) -> None:
        """Move focus at once, not after the queued keys: typed-ahead keys land here."""
        self.screen.set_focus(widget)

    def focus_step(self) -> None:
        """Give focus to what the agent acts on now: the value box, the choices or the text."""
        self.mount_value_box()
        if self.view is not None and self.view.value is not None:
            self.focus_now(self.query_one("#value-input"))
        elif self.query_one("#choices").display:
            self.focus_now(self.query_one("#choices"))
        else:
            self.focus_now(self.query_one("#step-scroll"))

    def _hide_step(self) -> None:
        for selector in ("#step-title", "#step-question", "#step-outcome"):
            self.query_one(selector).display = False
        for block in self.query(Block):
            block.show("")

    def _show_outcome(self, view: StepView) -> None:
        outcome = self.query_one("#step-outcome", Static)
        if view.outcome is None:
            outcome.display = False
            return
        end = view.outcome
        text = Text.assemble(("Fim: ", "bold"), (end.label, "bold cyan"))
        if end.opens_os:
            text.append(f"\nOS: {end.os_subject or 'triagem N1'}")
            text.append(f" · urgência {end.urgency}", "bold red" if end.urgency == "alta" else "")
            text.append("\nAbra a OS no IXC, no contrato, e cole a nota.")
        text.append("\nEnter ou o: ver, completar e copiar a nota da OS.", "dim")
        if end.then_flow:
            text.append("\n")
            text.append(" 1 ", "bold reverse")
            text.append(f" Seguir para: {self.flow_titles.get(end.then_flow, end.then_flow)}")
            text.append(" (mesmo cliente)", "dim")
        outcome.update(text)
        outcome.display = True

    def _show_choices(self, view: StepView) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.display = bool(view.choices)
        if not view.choices:
            return
        for choice in view.choices:
            label = Text.assemble((f" {choice.number} ", "bold reverse"), " ", choice.label)
            if choice.previous:
                label.append("  (resposta anterior)", "dim italic")
            elif choice.suggested:
                label.append("  (já informado)", "dim italic")
            choices.add_option(Option(label))
        previous = next((c.number for c in view.choices if c.previous), None)
        suggested = next((c.number for c in view.choices if c.suggested), 1)
        choices.highlighted = (previous or suggested) - 1
        self.focus_now(choices)

    def _show_value(self, view: StepView) -> None:
        box = self.query_one("#value-input", ValueInput)
        verdict = self.query_one("#value-verdict", Static)
        prompt = view.value
        box.display = verdict.display = prompt is not None
        if prompt is None:
            return
        placeholder = prompt.label
        if prompt.optional:
            placeholder += " · Enter em branco pula" if "opcional" in placeholder else " (opcional)"
        box.placeholder = placeholder
        box.show_text(prompt.text, offered=prompt.offered)  # the draft, else the known value
        hint = " · ".join(part for part in (prompt.hint, prompt.check) if part)
        verdict.update(Text(hint, "dim"))
        self.focus_now(box)

    # --- reporting ------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#choices")
    @guarded
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.flow_ids:
            self.post_message(self.FlowPicked(self.flow_ids[event.option_index]))
        else:
            self.post_message(self.ChoicePicked(event.option_index + 1))

    @on(Input.Changed, "#value-input")
    @guarded
    def value_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.ValueChanged(event.value))

    @on(Input.Submitted, "#value-input")
    @guarded
    def value_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.ValueSubmitted(event.value))
