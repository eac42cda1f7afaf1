"""May this contract get a trust unlock now? IXC's state judged by the flow's own rule.

The rule is the pack's (``rules.trust_unlock_days``, the check the flows use
on "Último desbloqueio de confiança"), computed by the same
:func:`~mutum_copilot.triage.checks.period_reading`. IXC's side, from the
``cliente_contrato`` fields: the contract must be active (``status`` A), its
access blocked by the financial rules (``status_internet`` CA, bloqueio
automático, or FA, financeiro em atraso; CM is a person's decision), the
unlock not disabled (``desbloqueio_confianca`` N) and not running already
unpaid (``desbloqueio_confianca_ativo`` S).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mutum_copilot.integrations.errors import Refusal
from mutum_copilot.integrations.ixc_records import UNLOCKABLE, IxcContract
from mutum_copilot.triage.checks import PeriodCheck, period_reading, resolve_check

RULE = "rules.trust_unlock_days"


@dataclass(frozen=True)
class TrustUnlockState:
    """Whether the unlock is possible, and why (or why not) in the agent's words."""

    available: bool
    #: The contract runs on a trust unlock now (IXC's ``desbloqueio_confianca_ativo``).
    in_use: bool
    last: dt.date | None
    #: Why it is not available ("" when it is).
    refusal: Refusal | None
    reason: str


def trust_rule(facts: Any, name: str = RULE) -> PeriodCheck:
    """The period check the flows use for the trust unlock (``rules.trust_unlock_days``)."""
    check = resolve_check(facts, name)
    if not isinstance(check, PeriodCheck):
        raise ValueError(f"{name} não é uma regra de dias ou meses")
    return check


def judge(contract: IxcContract, rule: PeriodCheck, today: dt.date) -> TrustUnlockState:
    """The trust unlock state of ``contract`` on ``today`` (the provider's date)."""
    last = contract.last_trust_unlock
    history = f"último em {last:%d/%m/%Y}" if last else "nunca usado"
    in_use = contract.trust_unlock_active

    def refused(refusal: Refusal, reason: str) -> TrustUnlockState:
        return TrustUnlockState(False, in_use, last, refusal, reason)

    if contract.status != "A":
        return refused(
            "contract_inactive",
            f"contrato {contract.status_label}: o desbloqueio de confiança é só para "
            "contrato ativo",
        )
    if contract.internet_status == "A":
        if in_use:
            return refused(
                "already_unlocked", "o acesso já está liberado por um desbloqueio de confiança"
            )
        return refused("already_unlocked", "o acesso já está liberado (status ativo)")
    if contract.internet_status not in UNLOCKABLE:
        return refused(
            "not_blocked",
            f"acesso em {contract.internet_status_label}: o desbloqueio de confiança só "
            "libera bloqueio automático ou financeiro em atraso",
        )
    if contract.trust_unlock_setting == "N":
        return refused("unlock_disabled", "desbloqueio de confiança desabilitado neste contrato")
    if in_use:
        return refused(
            "unlock_used_unpaid",
            f"desbloqueio de confiança já usado e ainda não pago ({history})",
        )
    if last is not None and last <= today:
        reading = period_reading(last, rule, today)
        if reading.verdict == "within":
            return refused("rule", f"{history}: {reading.judgement}")
        return TrustUnlockState(
            True, in_use, last, None, f"disponível ({history}: {reading.judgement})"
        )
    return TrustUnlockState(True, in_use, last, None, f"disponível ({history})")
