"""Opening the call's OS in IXC: the exact preview, the explicit send, the re-read.

What is sent, as IXC's collection documents the inserts ("Obrigatório" fields
first, values as strings):

- ``su_ticket`` (the attendance): ``tipo`` C, ``id_cliente``, ``id_contrato``,
  ``id_login``, ``id_filial``, ``id_assunto``, ``titulo`` (the outcome's OS
  subject), ``id_ticket_setor``, ``prioridade``, ``menssagem`` (IXC's spelling;
  the OS note), ``su_status`` N (novo);
- ``su_oss_chamado`` (the OS): ``tipo`` C, ``id_ticket`` (the ticket just
  opened), ``id_assunto``, ``id_cliente``, ``id_filial``, ``id_login``,
  ``id_contrato_kit`` (the contract), ``origem_endereco`` CC (the contract's
  address), ``prioridade``, ``setor``, ``mensagem`` (the OS note), ``status`` A
  (aberta).

``prioridade`` is B/N/A/C (baixa, normal, alta, crítica) in both tables'
field descriptions; the outcome's urgency picks N (normal) or A (alta). The
ids come from the pack (``integrations.ixc.outcomes``). Nothing is sent until
:func:`open_os` is called, nothing is retried, and what IXC stored is read
back and compared with what was sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from mutum_copilot.integrations.errors import (
    IntegrationError,
    NotMappedError,
    PartialWriteError,
)
from mutum_copilot.integrations.http import Endpoint
from mutum_copilot.integrations.ixc import SYSTEM, IxcClient
from mutum_copilot.integrations.ixc_records import text
from mutum_copilot.integrations.snapshot import CustomerSnapshot
from mutum_copilot.knowledge.integrations_models import IxcPackSettings
from mutum_copilot.safetext import clean, clean_line
from mutum_copilot.triage.formats import mask_cpfs_in
from mutum_copilot.triage.models import OUTCOME_LABELS

if TYPE_CHECKING:  # httpx is imported where requests are made (http.py), not at start
    import httpx

#: The outcome's urgency -> IXC's ``prioridade``.
PRIORITY = MappingProxyType({"normal": "N", "alta": "A"})
PRIORITY_LABELS = MappingProxyType({"B": "baixa", "N": "normal", "A": "alta", "C": "crítica"})
MAX_SUBJECT = 100
#: Fields compared after the re-read: what must be as sent.
CHECKED = ("id_assunto", "setor", "id_cliente", "prioridade", "mensagem")


def _frozen(fields: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(fields))


@dataclass(frozen=True)
class OsDraft:
    """Exactly what :func:`open_os` sends: the ticket, then the OS (``id_ticket`` added)."""

    contract_id: str
    outcome: str
    subject: str
    ticket: Mapping[str, str] = field(default_factory=dict)
    order: Mapping[str, str] = field(default_factory=dict)

    def preview(self) -> list[str]:
        """The preview the agent confirms, line by line (pt-BR)."""
        priority = self.order["prioridade"]
        return [
            f"Cliente (id_cliente): {self.order['id_cliente']}",
            f"Contrato (id_contrato): {self.contract_id}",
            f"Assunto (id_assunto): {self.order['id_assunto']} - {self.subject}",
            f"Departamento do atendimento (id_ticket_setor): {self.ticket['id_ticket_setor']}",
            f"Setor da OS (setor): {self.order['setor']}",
            f"Filial (id_filial): {self.order['id_filial']}",
            f"Prioridade: {priority} ({PRIORITY_LABELS.get(priority, priority)})",
            "Mensagem (a nota da OS):",
            *self.order["mensagem"].splitlines(),
        ]


@dataclass(frozen=True)
class OsReceipt:
    """What IXC stored: the numbers to give the agent and to keep in the history."""

    ticket_id: str
    os_id: str
    #: The ticket's ``protocolo`` as IXC stored it ("" if it has none).
    protocol: str
    #: Fields of the OS that differ from what was sent (empty: IXC kept it all).
    mismatches: tuple[str, ...]
    #: False when the re-read itself failed: the OS exists, but was not checked.
    verified: bool
    warning: str = ""


def draft_os(
    snapshot: CustomerSnapshot,
    contract_id: str,
    *,
    outcome: str,
    urgency: str,
    subject: str,
    note: str,
    settings: IxcPackSettings,
) -> OsDraft:
    """The ticket and OS for a call that ended with ``outcome``; NotMappedError without ids."""
    ids = settings.ids_for(outcome)
    if ids is None:
        label = OUTCOME_LABELS.get(outcome, outcome)
        raise NotMappedError(
            SYSTEM,
            f"o pacote não tem os ids do IXC para o desfecho {label} "
            "(integrations.ixc.outcomes); registre a OS à mão com a nota",
        )
    contract = snapshot.contract(contract_id)
    if contract is None:
        raise KeyError(contract_id)
    login = contract.main_login
    title = clean_line(subject).strip() or OUTCOME_LABELS.get(outcome, outcome)
    if len(title) > MAX_SUBJECT:
        title = title[: MAX_SUBJECT - 1] + "…"
    message = mask_cpfs_in(clean(note)).strip()
    common = {
        "tipo": "C",
        "id_cliente": snapshot.customer_id,
        "id_filial": str(settings.branch_for(ids)),
        "id_login": login.id if login else "",
        "id_assunto": str(ids.subject_id),
        "prioridade": PRIORITY.get(urgency, "N"),
    }
    ticket = {
        **common,
        "id_contrato": contract.id,
        "titulo": title,
        "id_ticket_setor": str(ids.ticket_sector_id),
        "menssagem": message,
        "su_status": "N",
    }
    order = {
        **common,
        "id_contrato_kit": contract.id,
        "origem_endereco": "CC",
        "setor": str(ids.os_sector_id),
        "mensagem": message,
        "status": "A",
    }
    return OsDraft(contract.id, outcome, title, _frozen(ticket), _frozen(order))


def open_os(
    draft: OsDraft, endpoint: Endpoint, transport: httpx.BaseTransport | None = None
) -> OsReceipt:
    """Send the draft (ticket, then OS), once; then read back what IXC stored.

    Blocking (a worker thread in the TUI). Raises IntegrationError when nothing
    was opened, WriteUncertainError when IXC may have stored it, and
    PartialWriteError when the ticket was opened but the OS was not.
    """
    with IxcClient(endpoint, transport) as ixc:
        ticket_id = ixc.insert("su_ticket", draft.ticket)
        try:
            os_id = ixc.insert("su_oss_chamado", {**draft.order, "id_ticket": ticket_id})
        except IntegrationError as exc:
            raise PartialWriteError(
                SYSTEM,
                f"o atendimento {ticket_id} foi aberto, mas a OS não ({exc.detail}); abra a "
                f"OS nesse atendimento no IXC (a nota continua pronta para colar)",
                ticket_id,
            ) from None
        try:
            stored = ixc.get("su_oss_chamado", os_id)
            stored_ticket = ixc.get("su_ticket", ticket_id)
        except IntegrationError as exc:
            return OsReceipt(
                ticket_id,
                os_id,
                "",
                (),
                False,
                f"OS aberta, mas não foi possível conferi-la: {exc}",
            )
    if stored is None:
        return OsReceipt(
            ticket_id,
            os_id,
            "",
            (),
            False,
            f"OS {os_id} aberta, mas o IXC não a listou na conferência",
        )
    sent = {**draft.order, "id_ticket": ticket_id}
    mismatches = tuple(
        name for name in (*CHECKED, "id_ticket") if not _same(stored.get(name), sent[name])
    )
    protocol = text(stored_ticket, "protocolo") if stored_ticket else ""
    warning = (
        f"o IXC gravou diferente do enviado: {', '.join(mismatches)}; confira a OS {os_id}"
        if mismatches
        else ""
    )
    return OsReceipt(ticket_id, os_id, protocol, mismatches, True, warning)


def _same(stored: object, sent: str) -> bool:
    """Equal as IXC shows it (numbers as strings, line ends and spaces may differ)."""
    if stored is None:
        return False
    return " ".join(clean(str(stored)).split()) == " ".join(sent.split())
