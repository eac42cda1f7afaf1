"""The readable view of ``lookup``: the snapshot in pt-BR, built from rich ``Text`` only.

Names and plans come from IXC: they are cleaned of control characters already,
and they are never parsed as rich markup (a customer called "[red]x" stays so).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.console import Console
from rich.text import Text

from mutum_copilot.integrations.prefill import said_at
from mutum_copilot.integrations.snapshot import ContractInfo, CustomerSnapshot, SignalInfo
from mutum_copilot.triage.checks import format_number

VERDICT_STYLES = {"inside": "green", "outside": "red"}


def render(snapshot: CustomerSnapshot, zone: ZoneInfo, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    head = Text(snapshot.name or "(sem nome no IXC)", "bold")
    head.append(f"  {snapshot.document}", "")
    head.append(f"  cliente {snapshot.customer_id} no IXC", "dim")
    console.print(head)
    read = said_at(snapshot.read_at, zone, "lido", snapshot.read_at)
    console.print(Text(f"Consulta por {snapshot.query}, {read}", "dim"))
    if not snapshot.contracts:
        console.print(Text("Nenhum contrato no IXC.", "yellow"))
    for contract in snapshot.contracts:
        console.print()
        _contract(console, contract, snapshot, zone)
    for warning in snapshot.warnings:
        console.print(Text(f"Aviso: {warning}", "yellow"))


def _contract(
    console: Console, contract: ContractInfo, snapshot: CustomerSnapshot, zone: ZoneInfo
) -> None:
    title = Text(f"Contrato {contract.id}", "bold")
    if contract.plan:
        title.append(f" · {contract.plan}")
    title.append(f" · contrato {contract.status_label}", "dim")
    if contract.id == snapshot.preselected:
        title.append("  (o pesquisado)", "cyan")
    console.print(title)
    access = Text("  Acesso: ")
    access.append(
        f"{contract.internet_status_label} ({contract.internet_status or '?'})",
        "red" if contract.blocked else "green",
    )
    console.print(access)
    trust = contract.trust_unlock
    line = Text("  Desbloqueio de confiança: ")
    line.append(trust.reason, "green" if trust.available else "yellow")
    console.print(line)
    if not contract.logins:
        console.print(Text("  Login: nenhum no IXC", "dim"))
    for login in contract.logins:
        row = Text(f"  Login PPPoE: {login.login or '(vazio)'} · ")
        row.append(login.online_label, "green" if login.online else "yellow")
        if login.mac:
            row.append(f" · MAC {login.mac}", "dim")
        console.print(row)
    console.print(signal_line(contract.signal, zone, snapshot))


def signal_line(
    signal: SignalInfo | None,
    zone: ZoneInfo,
    snapshot: CustomerSnapshot,
    *,
    lead: str = "  Sinal: ",
    judged: str = ": {}",
    styles: dict[str, str] = VERDICT_STYLES,
) -> Text:
    """``RX -19,5 dBm: dentro da faixa... · TX 2,3 dBm · do Flashman, medido 20:10 (GMT-3)``.

    One wording for the CLI and the TUI's lookup panel (which passes its own
    ``lead``, ``judged`` and ``styles``).
    """
    line = Text(lead)
    if signal is None:
        line.append("sem leitura no IXC nem no Flashman", "dim")
        return line
    for label, value, verdict, judgement in (
        ("RX", signal.rx_dbm, signal.rx_verdict, signal.rx_judgement),
        ("TX", signal.tx_dbm, signal.tx_verdict, signal.tx_judgement),
    ):
        if value is None:
            continue
        line.append(f"{label} {format_number(value)} dBm", styles.get(verdict, ""))
        if judgement:
            line.append(judged.format(judgement), "dim")
        line.append(" · ")
    where = f"do {signal.source}"
    if signal.read_at is not None:
        where += f", {said_at(signal.read_at, zone, 'medido', snapshot.read_at)}"
    line.append(where, "dim")
    return line
