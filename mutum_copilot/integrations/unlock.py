"""The trust unlock through IXC: a plan the agent confirms, one send, a re-read.

Only when the flow's own rule allows it (``rules.trust_unlock_days``) and IXC
says the access is blocked by the financial rules (CA or FA): see
:mod:`.trust`. The plan is judged on the snapshot the agent saw; before
sending, the contract is read again and judged again, so an unlock done
meanwhile (by the customer in the Central do Assinante, say) is not repeated.

The endpoint is IXC's button ``POST /webservice/v1/desbloqueio_confianca``
with ``{"id": "<contract id>"}``. IXC's collection documents no reply for it,
so a refusal is explained from the contract's state when it can be, and IXC's
own words are always shown as they came.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from mutum_copilot.integrations import ixc_records as records
from mutum_copilot.integrations.errors import (
    NotFoundError,
    Refusal,
    ServerError,
    WriteRefusedError,
)
from mutum_copilot.integrations.http import Endpoint
from mutum_copilot.integrations.ixc import SYSTEM, IxcClient, ixc_message
from mutum_copilot.integrations.snapshot import CustomerSnapshot
from mutum_copilot.integrations.trust import TrustUnlockState, judge
from mutum_copilot.triage.checks import PeriodCheck

ENDPOINT = "desbloqueio_confianca"
#: Words of an IXC refusal -> what it means; checked in order.
_REFUSAL_WORDS: tuple[tuple[Refusal, tuple[str, ...]], ...] = (
    ("contract_inactive", ("inativ", "cancelad", "desativad", "negativad")),
    ("unlock_used_unpaid", ("utilizad", "usado", "pagamento", "pago", "débito", "aberto")),
    ("already_unlocked", ("já está liberad", "já desbloque", "não está bloquead")),
    ("unlock_disabled", ("desabilitad", "não permit")),
)
REFUSAL_WORDS_PT: Mapping[Refusal, str] = MappingProxyType(
    {
        "already_unlocked": "o acesso já está liberado",
        "contract_inactive": "o contrato não está ativo",
        "unlock_used_unpaid": "o desbloqueio de confiança já foi usado e não foi pago",
        "unlock_disabled": "o desbloqueio de confiança está desabilitado neste contrato",
        "not_blocked": "o acesso não está em bloqueio automático nem financeiro em atraso",
        "rule": "a regra do desbloqueio de confiança não permite agora",
        "other": "o IXC recusou",
    }
)

if TYPE_CHECKING:  # httpx is imported where requests are made (http.py), not at start
    import httpx


@dataclass(frozen=True)
class UnlockPlan:
    """What will be asked of IXC, and the state it was judged on."""

    contract_id: str
    customer_name: str
    state: TrustUnlockState
    request: Mapping[str, str]

    @property
    def allowed(self) -> bool:
        return self.state.available

    def preview(self) -> list[str]:
        verdict = "pode ser feito" if self.allowed else "NÃO pode ser feito"
        return [
            f"Desbloqueio de confiança no contrato {self.contract_id} ({self.customer_name})",
            f"Situação: {verdict}: {self.state.reason}",
            f"Pedido ao IXC: {ENDPOINT} com id {self.contract_id}",
        ]


@dataclass(frozen=True)
class UnlockReceipt:
    """IXC's answer and the contract as re-read afterwards."""

    contract_id: str
    internet_status: str
    internet_status_label: str
    #: The access is no longer blocked after the unlock (IXC may take a moment).
    confirmed: bool
    message: str


def plan_unlock(snapshot: CustomerSnapshot, contract_id: str) -> UnlockPlan:
    """The plan for ``contract_id`` of a confirmed snapshot (pure; nothing is sent)."""
    contract = snapshot.contract(contract_id)
    if contract is None:
        raise KeyError(contract_id)
    return UnlockPlan(
        contract.id, snapshot.name, contract.trust_unlock, MappingProxyType({"id": contract.id})
    )


def trust_unlock(
    plan: UnlockPlan,
    endpoint: Endpoint,
    rule: PeriodCheck,
    *,
    clock: Callable[[], dt.datetime],
    zone: dt.tzinfo,
    transport: httpx.BaseTransport | None = None,
) -> UnlockReceipt:
    """Re-check, send once, re-read. WriteRefusedError (with the reason) when refused.

    Blocking (a worker thread in the TUI).
    """
    if not plan.allowed:
        raise _refused(plan.state.refusal or "rule", plan.state.reason)
    with IxcClient(endpoint, transport) as ixc:
        fresh = _contract(ixc, plan.contract_id)
        state = judge(fresh, rule, clock().astimezone(zone).date())
        if not state.available:
            raise _refused(state.refusal or "rule", state.reason + " (relido agora no IXC)")
        try:
            reply = ixc.post(ENDPOINT, dict(plan.request))
        except ServerError as exc:
            if not exc.remote:
                raise
            reason = classify(exc.remote)
            raise WriteRefusedError(
                SYSTEM,
                f'{REFUSAL_WORDS_PT[reason]}. O IXC disse: "{exc.remote}"',
                reason,
                remote=exc.remote,
            ) from None
        after = _contract(ixc, plan.contract_id)
    confirmed = not after.blocked
    said = ixc_message(reply)
    message = (
        "desbloqueio de confiança feito"
        if confirmed
        else (
            "o IXC aceitou o pedido, mas o contrato ainda aparece bloqueado; confira no IXC "
            "em alguns minutos"
        )
    )
    if said:
        message += f'. O IXC disse: "{said}"'
    return UnlockReceipt(
        after.id, after.internet_status, after.internet_status_label, confirmed, message
    )


def classify(words: str) -> Refusal:
    """What an IXC refusal means, from its words (the collection documents none)."""
    lowered = words.lower()
    for reason, clues in _REFUSAL_WORDS:
        if any(clue in lowered for clue in clues):
            return reason
    return "other"


def _contract(ixc: IxcClient, contract_id: str) -> records.IxcContract:
    found = ixc.get("cliente_contrato", contract_id)
    if found is None:
        raise NotFoundError(SYSTEM, f"nenhum contrato com o número {contract_id}")
    return records.contract(found)


def _refused(reason: Refusal, words: str) -> WriteRefusedError:
    return WriteRefusedError(SYSTEM, f"desbloqueio de confiança não enviado: {words}", reason)
