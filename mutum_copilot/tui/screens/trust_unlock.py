"""The trust unlock through IXC: a preview, ``d`` to do it, IXC's refusals in words.

Offered (F4 on the main screen) only when the confirmed contract is blocked
by the financial rules (CA or FA) and the flow's own rule allows it
(``rules.trust_unlock_days``, judged by the core exactly as the flows' check
is). The core reads the contract again just before the write and once more
after it; the write is sent once and never retried.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.notifications import SeverityLevel as Severity
from textual.widgets import Footer, Static

from mutum_copilot.errors import MutumError
from mutum_copilot.integrations.service import Integrations
from mutum_copilot.integrations.unlock import UnlockPlan, UnlockReceipt
from mutum_copilot.logs import get_logger
from mutum_copilot.tui.guard import guarded
from mutum_copilot.tui.ixc_keys import TRUST_BINDINGS
from mutum_copilot.tui.screens.dialog import Dialog

log = get_logger("tui")


class TrustUnlockScreen(Dialog[UnlockReceipt | None]):
    """Dismisses with IXC's receipt, or None (cancelled, refused or failed: the agent was told)."""

    BINDINGS = [*TRUST_BINDINGS]

    def __init__(self, plan: UnlockPlan, service: Integrations) -> None:
        super().__init__()
        self.plan = plan
        self.service = service
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text("Desbloqueio de confiança no IXC", "bold"))
            yield Static(Text("\n".join(self.plan.preview())))
            yield Static(
                Text.assemble(
                    (" d ", "bold reverse"),
                    " desbloquear agora   ",
                    ("Esc volta sem pedir nada ao IXC", "dim"),
                ),
                id="trust-state",
            )
        yield Footer()

    @guarded
    def action_cancel(self) -> None:
        if not self.sending:
            self.dismiss(None)

    @guarded
    def action_unlock(self) -> None:
        if self.sending:
            return
        self.sending = True
        self.query_one("#trust-state", Static).update(Text("Pedindo ao IXC…", "italic"))
        self.run_worker(self.send, thread=True, group="ixc-write", exit_on_error=False)

    def send(self) -> None:
        try:
            receipt = self.service.trust_unlock(self.plan)
        except MutumError as exc:
            self.back_on_loop(self.failed, str(exc))
            return
        except Exception as exc:
            log.error("the trust unlock in IXC failed", exc_info=exc)
            self.back_on_loop(self.failed, "erro inesperado ao falar com o IXC (detalhes no log)")
            return
        self.back_on_loop(self.done, receipt)

    def back_on_loop(self, callback: Callable[..., None], *args: object) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            log.warning("a reply from IXC came after the app closed")

    @guarded
    def failed(self, message: str) -> None:
        self.notify(f"Desbloqueio não feito: {message}", severity="error", timeout=12)
        self.dismiss(None)

    @guarded
    def done(self, receipt: UnlockReceipt) -> None:
        severity: Severity = "information" if receipt.confirmed else "warning"
        self.notify(receipt.message, severity=severity, timeout=10)
        self.dismiss(receipt)
