"""The customer's record from IXC, under the call's context line: what the systems say.

Hidden when the integration is off (no ``ixc_api`` in the vault) or nothing
was asked yet, so the manual copilot looks exactly as before. Shows the query
in flight, the record (name, masked document, the chosen contract with its
access status in words, the trust unlock, the PPPoE login and the last
signal judged against the pack's range), the keys that act on it, a failure
in the agent's words, and a result that came back too late (shown, never
applied). Every text is IXC's or Flashman's, already cleaned of control
characters by the core; it is never parsed as markup.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from mutum_copilot.commands.lookup_render import signal_line
from mutum_copilot.integrations.callside import CallLookup
from mutum_copilot.integrations.prefill import said_at
from mutum_copilot.integrations.snapshot import ContractInfo, CustomerSnapshot, SignalInfo

VERDICT_STYLES = {"inside": "green", "outside": "bold red"}


def signal_text(signal: SignalInfo | None, zone: ZoneInfo, snapshot: CustomerSnapshot) -> Text:
    """``RX -19,5 dBm (dentro da faixa...) · TX 2,3 dBm · do Flashman, medido 20:10 (GMT-3)``."""
    return signal_line(
        signal, zone, snapshot, lead="Sinal: ", judged=" ({})", styles=VERDICT_STYLES
    )


def contract_lines(
    contract: ContractInfo, snapshot: CustomerSnapshot, zone: ZoneInfo, *, confirmed: bool
) -> list[Text]:
    count = len(snapshot.contracts)
    head = Text("✔ " if confirmed else "▶ ", "bold green" if confirmed else "bold")
    head.append(f"Contrato {contract.id}", "bold")
    if count > 1:
        head.append(f" ({snapshot.contracts.index(contract) + 1} de {count})", "dim")
    if contract.plan:
        head.append(f" · {contract.plan}")
    head.append(" · acesso: ")
    head.append(
        f"{contract.internet_status_label} ({contract.internet_status or '?'})",
        "bold red" if contract.blocked else "green",
    )
    trust = Text("Desbloqueio de confiança: ")
    trust.append(trust_words(contract), "green" if contract.trust_unlock.available else "yellow")
    login = contract.main_login
    pppoe = Text("PPPoE: ")
    if login is None or not login.login:
        pppoe.append("nenhum login no IXC", "dim")
    else:
        pppoe.append(f"{login.login} · ")
        pppoe.append(login.online_label, "green" if login.online else "yellow")
    return [head, trust, pppoe, signal_text(contract.signal, zone, snapshot)]


def trust_words(contract: ContractInfo) -> str:
    trust = contract.trust_unlock
    if trust.in_use:
        return f"já usado, ainda não pago ({trust.reason})"
    return trust.reason


def keys_line(state: CallLookup) -> Text:
    contract = state.contract
    line = Text()
    if state.confirmed is None:
        line.append(" F2 ", "bold reverse")
        line.append(f" confirmar o contrato {contract.id if contract else ''}")
        if state.snapshot is not None and len(state.snapshot.contracts) > 1:
            line.append("   ")
            line.append(" F3 ", "bold reverse")
            line.append(" outro contrato")
    else:
        line.append("Confirmado: os dados preencheram a chamada (i: editar)", "green")
    if state.confirmed is not None and contract is not None and contract.trust_unlock.available:
        line.append("   ")
        line.append(" F4 ", "bold reverse")
        line.append(" desbloqueio de confiança no IXC")
    return line


def panel_text(state: CallLookup, zone: ZoneInfo) -> Text:
    """Everything the panel shows for ``state`` (empty: nothing to show)."""
    lines: list[Text] = []
    if state.pending and state.key is not None:
        lines.append(Text(f"IXC: consultando {state.key.masked}…", "italic"))
    elif state.error:
        line = Text("IXC: ", "bold yellow")
        line.append(state.error, "yellow")
        lines.append(line)
        lines.append(Text("Siga pelo caminho manual (F2 tenta consultar de novo).", "dim"))
    snapshot = state.snapshot
    if snapshot is not None:
        head = Text("IXC · ", "dim")
        head.append(snapshot.name or "(sem nome no IXC)", "bold")
        head.append(f" · {snapshot.document}")
        head.append(f" · {said_at(snapshot.read_at, zone, 'lido', snapshot.read_at)}", "dim")
        lines.append(head)
        contract = state.contract
        if contract is None:
            lines.append(Text("Nenhum contrato no IXC para este cliente.", "yellow"))
        else:
            confirmed = state.confirmed is not None
            lines += contract_lines(contract, snapshot, zone, confirmed=confirmed)
            lines.append(keys_line(state))
        lines += [Text(f"Aviso: {warning}", "yellow") for warning in snapshot.warnings]
    if state.late is not None:
        late = Text("Chegou depois, não aplicado: ", "bold magenta")
        late.append(f"consulta de {state.late.query} ({state.late.name or 'sem nome'})")
        lines.append(late)
    return Text("\n").join(lines)


class LookupPanel(Static):
    """Hidden until a lookup has something to show."""

    DEFAULT_CSS = """
    LookupPanel {
        height: auto; max-height: 9; padding: 0 1; display: none;
        border-bottom: hkey $primary 30%;
    }
    """

    def show_state(self, state: CallLookup | None, zone: ZoneInfo) -> None:
        text = panel_text(state, zone) if state is not None else Text()
        self.display = bool(text.plain)
        self.update(text)
