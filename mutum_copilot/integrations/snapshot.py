"""A customer's record as read from IXC and Flashman: frozen, masked, safe to show.

A snapshot holds no full document, no password and no raw reply: the name, the
masked CPF/CNPJ, and per contract the access status in words, the trust
unlock state, the logins and the last signal judged against the pack's range.
:meth:`CustomerSnapshot.to_json` is what ``lookup --json`` prints (its schema
is in docs/integrations.md and the README).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mutum_copilot.integrations.ixc_records import ONLINE_LABELS
from mutum_copilot.integrations.trust import TrustUnlockState

JSON_VERSION = 1


@dataclass(frozen=True)
class SignalInfo:
    """The ONU's last RX/TX, where and when it was measured, and the pack's verdicts."""

    rx_dbm: float | None
    tx_dbm: float | None
    #: When the ONU measured it (IXC's ``data_sinal``, Flashman's ``last_contact``).
    read_at: dt.datetime | None
    source: str
    rx_verdict: str  # "inside", "outside" or "" (not measured)
    tx_verdict: str
    rx_judgement: str
    tx_judgement: str

    @property
    def verdict(self) -> str:
        """``outside`` if either is out of range, ``inside`` if RX is in (and TX, when read)."""
        verdicts = (self.rx_verdict, self.tx_verdict)
        if "outside" in verdicts:
            return "outside"
        if self.rx_verdict == "inside":
            return "inside"
        return "unknown"


@dataclass(frozen=True)
class LoginInfo:
    """A login of the contract (``radusuarios``): the PPPoE user and whether it is online."""

    id: str
    login: str
    online_status: str  # IXC's S, N or SS
    mac: str

    @property
    def online(self) -> bool:
        return self.online_status == "S"

    @property
    def online_label(self) -> str:
        return ONLINE_LABELS.get(self.online_status, "sem status")


@dataclass(frozen=True)
class ContractInfo:
    """One contract as the agent needs it during a call."""

    id: str
    plan: str
    status: str
    status_label: str
    internet_status: str
    internet_status_label: str
    blocked: bool
    trust_unlock: TrustUnlockState
    logins: tuple[LoginInfo, ...]
    signal: SignalInfo | None

    @property
    def main_login(self) -> LoginInfo | None:
        """The login to name in the call: the online one, else the first."""
        return next((x for x in self.logins if x.online), self.logins[0] if self.logins else None)


@dataclass(frozen=True)
class CustomerSnapshot:
    """Who the customer is and their contracts, read at ``read_at``."""

    query_kind: str  # cpf, cnpj or contract
    query: str  # masked
    customer_id: str
    name: str
    document: str  # masked
    contracts: tuple[ContractInfo, ...]
    read_at: dt.datetime
    #: The contract the agent typed (a contract lookup), or "" for a document lookup.
    preselected: str = ""
    #: What could not be read (e.g. Flashman down), in the agent's words.
    warnings: tuple[str, ...] = ()

    def contract(self, contract_id: str) -> ContractInfo | None:
        return next((c for c in self.contracts if c.id == contract_id), None)

    @property
    def default_contract(self) -> ContractInfo | None:
        """The one to offer first: the typed one, the only one, or None (the agent picks)."""
        if self.preselected:
            return self.contract(self.preselected)
        return self.contracts[0] if len(self.contracts) == 1 else None

    def to_json(self, zone: dt.tzinfo | None = None) -> dict[str, Any]:
        """The ``lookup --json`` object (docs/integrations.md); times in ``zone`` if given."""
        return {
            "version": JSON_VERSION,
            "query": {"kind": self.query_kind, "value": self.query},
            "read_at": _instant(self.read_at, zone),
            "customer": {"id": self.customer_id, "name": self.name, "document": self.document},
            "preselected_contract": self.preselected or None,
            "contracts": [_contract_json(c, zone) for c in self.contracts],
            "warnings": list(self.warnings),
        }


def _instant(moment: dt.datetime | None, zone: dt.tzinfo | None) -> str | None:
    if moment is None:
        return None
    return (moment.astimezone(zone) if zone else moment).isoformat(timespec="seconds")


def _contract_json(contract: ContractInfo, zone: dt.tzinfo | None) -> dict[str, Any]:
    trust = contract.trust_unlock
    return {
        "id": contract.id,
        "plan": contract.plan,
        "status": contract.status,
        "status_label": contract.status_label,
        "internet_status": contract.internet_status,
        "internet_status_label": contract.internet_status_label,
        "blocked": contract.blocked,
        "trust_unlock_available": trust.available,
        "trust_unlock_in_use": trust.in_use,
        "last_trust_unlock": trust.last.isoformat() if trust.last else None,
        "trust_unlock_reason": trust.reason,
        "logins": [
            {
                "login": x.login,
                "online": x.online,
                "online_status": x.online_status,
                "mac": x.mac,
            }
            for x in contract.logins
        ],
        "signal": _signal_json(contract.signal, zone),
    }


def _signal_json(signal: SignalInfo | None, zone: dt.tzinfo | None) -> dict[str, Any] | None:
    if signal is None:
        return None
    return {
        "rx_dbm": signal.rx_dbm,
        "tx_dbm": signal.tx_dbm,
        "read_at": _instant(signal.read_at, zone),
        "source": signal.source,
        "verdict": signal.verdict,
        "rx_verdict": signal.rx_verdict or None,
        "tx_verdict": signal.tx_verdict or None,
        "rx_judgement": signal.rx_judgement,
        "tx_judgement": signal.tx_judgement,
    }
