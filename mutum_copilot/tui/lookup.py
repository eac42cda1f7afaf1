"""The main screen's side of the IXC integration: lookups in workers, the contract confirmed.

A mixin of :class:`~mutum_copilot.tui.screens.main.MainScreen`, which calls
four hooks: :meth:`IxcActions.ixc_refresh` after every redraw of the call,
:meth:`IxcActions.ixc_value_typed` when the agent submits a step's value,
:meth:`IxcActions.ixc_context_saved` from the call's data screen, and
:meth:`IxcActions.ixc_os_offer` for the note screen. Everything here is
invisible when the integration is off (no ``ixc_api`` in the vault for the
call's pack): the keys are hidden and refused, the panel never shows.

A CPF (or CNPJ, or contract number) typed at the step that asks for it, or
saved in the call's data, starts a lookup in a thread worker; a key is never
held up by the network. F2 confirms the contract shown (F3: the next one):
its values fill the call's context, and the steps that ask for what IXC
knows open with it in the box or the choice highlighted, saying where it came
from ("do IXC, lido 21:14 (GMT-3)"); the agent confirms with Enter or types
over it. A result that comes back for an earlier query or call is shown as
late and never applied. After a failure that is the system's (unreachable,
refused...), the call goes on by hand with that one warning: no further
automatic lookup in this call (F2 tries again on purpose).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static

from mutum_copilot.errors import InputError, MutumError
from mutum_copilot.integrations.credentials import ixc_pair
from mutum_copilot.integrations.errors import AmbiguousError, NotFoundError
from mutum_copilot.logs import get_logger
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.ixc_keys import IXC_BINDINGS
from mutum_copilot.tui.widgets.triage_pane import TriagePane, ValueInput

if TYPE_CHECKING:  # the clients and the panel are imported once IXC is on (see ixc_service)
    from mutum_copilot.call import LiveCall
    from mutum_copilot.integrations.callside import CallLookup
    from mutum_copilot.integrations.documents import LookupKey
    from mutum_copilot.integrations.os_ixc import OsReceipt
    from mutum_copilot.integrations.service import Integrations
    from mutum_copilot.integrations.snapshot import CustomerSnapshot
    from mutum_copilot.integrations.unlock import UnlockReceipt
    from mutum_copilot.packs.model import Pack
    from mutum_copilot.services import Services
    from mutum_copilot.triage.views import StepView

log = get_logger("tui")

_ACTIONS = {"ixc_confirm", "ixc_next", "ixc_unlock"}
#: Failures that are about the customer, not the system: later lookups may still find them.
_NOT_THE_SYSTEM = (NotFoundError, AmbiguousError, InputError)
UNEXPECTED = "erro inesperado na consulta (detalhes no log)"


class IxcActions(Screen[None]):
    """The lookup state of the screen's call and the keys that act on it."""

    BINDINGS: ClassVar[list[BindingType]] = [*IXC_BINDINGS]

    call: LiveCall
    services: Services
    picking_flow: bool
    #: After a failure of the system itself: no more automatic lookups in this call.
    ixc_down = False
    _ixc_state: CallLookup | None = None
    _ixc_services: dict[str, Integrations | None] | None = None

    def redisplay(self) -> None:
        raise NotImplementedError

    # --- the service, per call pack ------------------------------------------------
    def ixc_pack(self) -> Pack:
        """The call's pack: the one accessor (the call's ``pack_id`` decides the provider)."""
        try:
            return self.services.catalog.get(self.call.pack_id).pack
        except MutumError:  # a call with no pack id: the seat's default pack
            return self.services.pack

    def ixc_service(self) -> Integrations | None:
        """The integration for the call's pack, or None (off: nothing of it is shown)."""
        if self._ixc_services is None:
            self._ixc_services = {}
        pack = self.ixc_pack()
        if pack.id not in self._ixc_services:
            service: Integrations | None = None
            vault = self.services.vault_for(pack.id)
            if ixc_pair(vault) is None:  # off: nothing of the integrations is even imported
                self._ixc_services[pack.id] = None
                return None
            from mutum_copilot.integrations.service import Integrations, integrations_config

            try:
                config = integrations_config(pack.facts, self.services.settings, vault)
            except MutumError as exc:  # a credential but no address: say it once
                self.notify(f"Integração com o IXC desligada: {exc}", severity="warning")
                config = None
            if config is not None:
                service = Integrations(config, pack.facts, clock=self.services.clock)
            self._ixc_services[pack.id] = service
        return self._ixc_services[pack.id]

    @property
    def ixc_lookup(self) -> CallLookup:
        if self._ixc_state is None:
            from mutum_copilot.integrations.callside import CallLookup

            self._ixc_state = CallLookup()
        return self._ixc_state

    def ixc_state(self) -> CallLookup:
        """The lookup of the call on screen (reset when the call changes)."""
        if self.ixc_lookup.follow(self.call.uid):
            self.ixc_down = False
        return self.ixc_lookup

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _ACTIONS:
            return self.ixc_service() is not None
        return True

    # --- hooks ---------------------------------------------------------------------
    def ixc_refresh(self) -> None:
        """After every redraw of the call: the panel, and the step decorated with IXC's values."""
        if self.ixc_service() is None:
            return
        from mutum_copilot.tui.widgets.lookup_panel import LookupPanel

        state = self.ixc_state()
        zone = self.ixc_pack().facts.call_center.time_zone
        if not self.query(LookupPanel):  # the first time IXC is on: under the call context
            self.mount(LookupPanel(id="lookup"), after="#context")
        self.query_one(LookupPanel).show_state(state, zone)
        if not self.picking_flow and self.call.active and state.confirmed is not None:
            self.ixc_decorate()

    def ixc_value_typed(self, view: StepView | None, text: str) -> None:
        """The agent submitted a step's value: a CPF or contract starts a lookup."""
        if view is not None and view.value is not None:
            self.ixc_context_saved(view.value.name, text)

    def ixc_context_saved(self, name: str, text: str) -> None:
        """A value of the call was typed (step or data screen): look it up if it is a key."""
        if self.ixc_service() is None or self.ixc_down:
            return
        from mutum_copilot.integrations.callside import key_for

        key = key_for(name, text)
        if key is not None:
            self.ixc_ask(key)

    def ixc_os_offer(self) -> Any:
        """What the note screen needs for "abrir no IXC", or None (the key stays hidden)."""
        from mutum_copilot.tui.screens.ixc_os import OsOffer

        service = self.ixc_service()
        state = self.ixc_state() if service is not None else None
        if service is None or state is None or state.confirmed is None or state.snapshot is None:
            return None
        view = self.call.view()
        if view is None or view.outcome is None or not service.can_open_os(view.outcome.outcome):
            return None
        return OsOffer(
            service, state.snapshot, state.confirmed.contract_id, self.call, self.ixc_os_opened
        )

    def ixc_os_opened(self, receipt: OsReceipt) -> None:
        self.ixc_lookup.receipts.append(receipt)

    # --- lookups in workers --------------------------------------------------------
    def ixc_ask(self, key: LookupKey) -> None:
        service = self.ixc_service()
        state = self.ixc_state()
        ticket = state.ask(key)
        if service is None or ticket is None:
            return
        self.ixc_refresh()

        def lookup() -> None:
            try:
                snapshot = service.lookup(key)
            except MutumError as exc:
                self.ixc_back(self.ixc_failed, ticket, str(exc), isinstance(exc, _NOT_THE_SYSTEM))
                return
            except Exception as exc:
                log.error("the IXC lookup failed", exc_info=exc)
                self.ixc_back(self.ixc_failed, ticket, UNEXPECTED, False)
                return
            self.ixc_back(self.ixc_arrived, ticket, snapshot)

        self.run_worker(lookup, thread=True, group="ixc-lookup", exit_on_error=False)

    def ixc_back(self, callback: Any, *args: object) -> None:
        """From the worker thread back to the event loop (nothing if the app closed)."""
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            log.warning("an IXC reply came after the app closed")

    @guarded
    def ixc_arrived(self, ticket: int, snapshot: CustomerSnapshot) -> None:
        self.ixc_lookup.arrived(ticket, snapshot)
        self.ixc_refresh()

    @guarded
    def ixc_failed(self, ticket: int, message: str, about_customer: bool) -> None:
        if not self.ixc_lookup.failed(ticket, message):
            return  # an old query's failure: nothing to tell
        if not about_customer:
            self.ixc_down = True  # by hand from here: one warning, no more automatic lookups
        self.notify(
            f"{message}. Siga pelo caminho manual.", title="IXC", severity="warning", timeout=10
        )
        self.ixc_refresh()

    # --- the keys ------------------------------------------------------------------
    @guarded
    def action_ixc_confirm(self) -> None:
        """F2: confirm the contract shown; after a failure, ask again."""
        service = self.ixc_service()
        if service is None or not self.call.active:
            return
        state = self.ixc_state()
        if state.error and state.key is not None:
            key, state.key = state.key, None
            self.ixc_down = False
            self.ixc_ask(key)
            return
        contract = state.contract
        if state.snapshot is None or contract is None:
            if state.late is not None:
                self.notify(
                    "Essa consulta chegou depois (outro CPF ou outra chamada): não é aplicada. "
                    "Digite o CPF desta chamada.",
                    severity="warning",
                )
            elif state.pending:
                self.notify("A consulta ao IXC ainda não voltou.", timeout=3)
            return
        if state.confirmed is not None:
            self.notify(f"Contrato {contract.id} já confirmado.", timeout=3)
            return
        filled = service.prefill(state.snapshot, contract.id)
        for value in filled.context.values():
            try:
                self.call.set_context(value.name, value.text)
            except InputError:  # e.g. a masked CPF where the agent typed none: left as is
                continue
        state.confirm(filled)
        self.redisplay()

    @guarded
    def action_ixc_next(self) -> None:
        if self.ixc_service() is None:
            return
        self.ixc_state().next_contract()
        self.ixc_refresh()

    @guarded
    def action_ixc_unlock(self) -> None:
        """F4: the trust unlock, when the confirmed contract may have it (the flow's rule)."""
        service = self.ixc_service()
        state = self.ixc_state() if service is not None else None
        if service is None or state is None or state.snapshot is None:
            return
        contract = state.contract
        if state.confirmed is None or contract is None:
            self.notify("Confirme o contrato do IXC primeiro (F2).", severity="warning")
            return
        plan = service.plan_unlock(state.snapshot, contract.id)
        if not plan.allowed:
            self.notify(
                f"Desbloqueio de confiança não permitido: {plan.state.reason}.", severity="warning"
            )
            return
        from mutum_copilot.tui.screens.trust_unlock import TrustUnlockScreen

        self.app.push_screen(TrustUnlockScreen(plan, service), self.ixc_unlocked)

    @guarded
    def ixc_unlocked(self, receipt: UnlockReceipt | None) -> None:
        if receipt is not None:
            from mutum_copilot.integrations.prefill import said_at

            zone = self.ixc_pack().facts.call_center.time_zone
            now = self.services.clock()
            line = (
                f"Desbloqueio de confiança feito no IXC {said_at(now, zone, 'às', now)}: "
                f"acesso {receipt.internet_status_label}."
            )
            notes = self.call.notes.rstrip()
            self.call.set_notes(f"{notes}\n{line}" if notes else line)
        self.redisplay()

    # --- the step, with what IXC said ----------------------------------------------
    def ixc_decorate(self) -> None:
        """The current step shows IXC's value (box or choice) and where it came from."""
        filled = self.ixc_lookup.confirmed
        session = self.call.session
        view = self.call.view()
        if filled is None or session is None or view is None:
            return
        node = self.call.triage.position(session).node
        pane = self.query_one(TriagePane)
        prompt = view.value
        if prompt is not None:
            found = filled.value_for(node)
            if found is None:
                return
            box = pane.query_one("#value-input", ValueInput)
            if prompt.typed is None and not prompt.default and found.text:
                box.show_text(found.text, offered=True)
            if box.value.strip() != found.text:
                return  # the agent's own value: IXC's is not claimed for it
            said = "" if found.text else "nada registrado (em branco)"
            judged = self.call.preview(found.text).message if found.text else ""
            line = Text(" · ".join(p for p in (judged, said) if p))
            line.append(f"  ({found.source}; Enter confirma, ou digite outro)", "dim italic")
            pane.query_one("#value-verdict", Static).update(line)
            return
        hit = filled.choice_for(node)
        if hit is None or not view.choices:
            return
        number, found = hit
        choice = view.choices[number - 1]
        options = pane.query_one("#choices", OptionList)
        label = Text.assemble((f" {number} ", "bold reverse"), " ", choice.label)
        label.append(f"  ({found.source})", "dim italic")
        options.replace_option_prompt_at_index(number - 1, label)
        if not any(c.previous for c in view.choices):
            options.highlighted = number - 1
