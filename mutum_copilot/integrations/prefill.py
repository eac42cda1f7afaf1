"""From a confirmed snapshot and the chosen contract to the call's values: a pure mapping.

The agent confirms the contract; these values then fill the call's context
(the names of :data:`mutum_copilot.triage.context.CONTEXT`) and answer the
triage steps that ask for them, each with where it came from and when ("do
IXC, lido 21:14 (GMT-3)"), so the screen can say so and the agent can still
type over it. Three kinds:

- ``context``: ``customer_name``, ``cpf`` (masked; only when the customer's
  document is a CPF), ``contract``, ``pppoe``;
- ``answers``: the text a value step would receive, by value name, as the
  agent would type it: ``last_trust_unlock`` (``dd/mm/aaaa``, or ``""`` when
  IXC has none, i.e. never), ``rx`` and ``tx`` (``-19,5``);
- ``facts``: what a question's choice stands for, matched against the
  choices' ``set:`` (a choice with ``set: {blocked: sim}`` is the answer when
  IXC says the access is blocked by the financial rules): ``blocked`` is
  ``sim`` for CA/FA, ``nao`` for A, absent otherwise (a manual block or a
  disabled contract is the agent's call).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from mutum_copilot.integrations.ixc_records import UNLOCKABLE
from mutum_copilot.integrations.snapshot import ContractInfo, CustomerSnapshot
from mutum_copilot.triage.checks import format_number
from mutum_copilot.triage.models import AskNode, ValueNode


@dataclass(frozen=True)
class Prefilled:
    """One value from the systems: what to enter, and the words that say where it came from."""

    name: str
    text: str
    source: str


def _empty() -> Mapping[str, Prefilled]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Prefill:
    """Everything a confirmed contract fills in a call."""

    contract_id: str
    context: Mapping[str, Prefilled] = field(default_factory=_empty)
    answers: Mapping[str, Prefilled] = field(default_factory=_empty)
    facts: Mapping[str, Prefilled] = field(default_factory=_empty)

    def value_for(self, node: Any) -> Prefilled | None:
        """The prefilled answer of a value step, by its value's name (context names too)."""
        if not isinstance(node, ValueNode):
            return None
        name = node.value.name
        return self.answers.get(name) or self.context.get(name)

    def choice_for(self, node: Any) -> tuple[int, Prefilled] | None:
        """The 1-based choice of a question whose ``set:`` matches the facts read, if one does."""
        if not isinstance(node, AskNode):
            return None
        for number, choice in enumerate(node.choices, start=1):
            known = [self.facts.get(name) for name in choice.assign]
            if not choice.assign or None in known:
                continue
            if all(self.facts[k].text == v for k, v in choice.assign.items()):
                return number, next(p for p in known if p is not None)
        return None


def zone_label(moment: dt.datetime) -> str:
    """``GMT-3``: the offset a time is shown in, as the provider's document writes it."""
    offset = moment.utcoffset() or dt.timedelta()
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    return f"GMT{hours:+d}" + (f":{rest // 60:02d}" if rest else "")


def said_at(moment: dt.datetime, zone: ZoneInfo, verb: str, reference: dt.datetime) -> str:
    """``lido 21:14 (GMT-3)``, with the date when it is not the day of ``reference``."""
    local = moment.astimezone(zone)
    day = "" if local.date() == reference.astimezone(zone).date() else f"{local:%d/%m/%Y} "
    return f"{verb} {day}{local:%H:%M} ({zone_label(local)})"


def prefill(snapshot: CustomerSnapshot, contract_id: str, zone: ZoneInfo) -> Prefill:
    """The values ``contract_id`` of ``snapshot`` fills; times shown in ``zone`` (the agent's).

    KeyError if the contract is not in the snapshot (the agent confirmed another
    customer's contract: a bug of the caller, not a state to show).
    """
    contract = snapshot.contract(contract_id)
    if contract is None:
        raise KeyError(contract_id)
    read = f"do IXC, {said_at(snapshot.read_at, zone, 'lido', snapshot.read_at)}"

    def value(name: str, text: str, source: str = read) -> Prefilled:
        return Prefilled(name, text, source)

    context = {
        "customer_name": value("customer_name", snapshot.name),
        "contract": value("contract", contract.id),
    }
    if snapshot.document.startswith("***."):  # a CPF, masked (a CNPJ is no CPF)
        context["cpf"] = value("cpf", snapshot.document)
    login = contract.main_login
    if login is not None and login.login:
        context["pppoe"] = value("pppoe", login.login)
    answers = {"last_trust_unlock": _last_unlock(contract, read)}
    answers.update(_signal(contract, zone, snapshot.read_at))
    facts = {}
    if contract.internet_status in UNLOCKABLE:
        facts["blocked"] = value("blocked", "sim")
    elif contract.internet_status == "A":
        facts["blocked"] = value("blocked", "nao")
    return Prefill(
        contract_id=contract.id,
        context=MappingProxyType({k: v for k, v in context.items() if v.text}),
        answers=MappingProxyType(answers),
        facts=MappingProxyType(facts),
    )


def _last_unlock(contract: ContractInfo, source: str) -> Prefilled:
    last = contract.trust_unlock.last
    return Prefilled("last_trust_unlock", f"{last:%d/%m/%Y}" if last else "", source)


def _signal(contract: ContractInfo, zone: ZoneInfo, reference: dt.datetime) -> dict[str, Prefilled]:
    signal = contract.signal
    if signal is None:
        return {}
    source = f"do {signal.source}"
    if signal.read_at is not None:
        source += f", {said_at(signal.read_at, zone, 'medido', reference)}"
    found = {}
    if signal.rx_dbm is not None:
        found["rx"] = Prefilled("rx", format_number(signal.rx_dbm), source)
    if signal.tx_dbm is not None:
        found["tx"] = Prefilled("tx", format_number(signal.tx_dbm), source)
    return found
