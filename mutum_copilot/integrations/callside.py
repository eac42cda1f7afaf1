"""One call's lookup as the screen follows it: the query, what came back, what was confirmed.

The TUI runs the blocking lookup in a worker thread; each query gets a ticket,
and its result comes back with it. Only the current ticket's result can be
confirmed and applied; a result for an older ticket (the agent typed another
CPF, or moved on to another call) is kept to be *shown*, marked late, and
never applied. The typed document lives only in the :class:`LookupKey` held
here, in memory; everything shown is masked, and nothing here is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mutum_copilot.errors import InputError
from mutum_copilot.integrations.documents import LookupKey, parse_lookup_key
from mutum_copilot.integrations.os_ixc import OsReceipt
from mutum_copilot.integrations.prefill import Prefill
from mutum_copilot.integrations.snapshot import ContractInfo, CustomerSnapshot

#: The call values whose typing starts a lookup.
LOOKUP_VALUES = ("cpf", "contract")


def key_for(name: str, text: str) -> LookupKey | None:
    """The lookup key a value typed for ``name`` stands for, or None (not a key, or invalid)."""
    if name not in LOOKUP_VALUES or not text.strip():
        return None
    try:
        key = parse_lookup_key(text)
    except InputError:
        return None
    if name == "cpf" and key.kind == "contract":
        return None  # a half-typed CPF is not a contract number
    return key


@dataclass
class CallLookup:
    """The lookup of the call ``call_uid`` (reset when the screen's call changes)."""

    call_uid: str = ""
    ticket: int = 0
    key: LookupKey | None = None
    pending: bool = False
    snapshot: CustomerSnapshot | None = None
    #: A result that came back for an earlier query or call: shown, never applied.
    late: CustomerSnapshot | None = None
    error: str = ""
    #: Index of the contract the confirm key confirms.
    chosen: int = 0
    confirmed: Prefill | None = None
    receipts: list[OsReceipt] = field(default_factory=list)

    # --- following the screen ------------------------------------------------------
    def follow(self, call_uid: str) -> bool:
        """The screen's call now; True when it changed (what was read belongs to the old one)."""
        if call_uid == self.call_uid:
            return False
        self.call_uid, self.ticket = call_uid, self.ticket + 1  # a query in flight is late now
        self.key, self.pending, self.snapshot, self.late = None, False, None, None
        self.error, self.chosen, self.confirmed, self.receipts = "", 0, None, []
        return True

    def ask(self, key: LookupKey) -> int | None:
        """A new query's ticket; None when ``key`` is the current query or one of its contracts."""
        if self.key is not None and key.value == self.key.value:
            return None
        shown = self.snapshot
        if key.kind == "contract" and shown is not None and shown.contract(key.value) is not None:
            return None  # the agent confirmed a contract of the record on screen
        self.ticket += 1
        self.key, self.pending, self.error, self.late = key, True, "", None
        self.snapshot, self.confirmed, self.chosen = None, None, 0
        return self.ticket

    def arrived(self, ticket: int, snapshot: CustomerSnapshot) -> bool:
        """Record a result; True when it is the current query's (it may then be confirmed)."""
        if ticket != self.ticket:
            self.late = snapshot
            return False
        self.pending, self.snapshot, self.late = False, snapshot, None
        default = snapshot.default_contract
        ids = [c.id for c in snapshot.contracts]
        self.chosen = ids.index(default.id) if default is not None and default.id in ids else 0
        return True

    def failed(self, ticket: int, message: str) -> bool:
        """Record a failure; True when it is the current query's (the agent is told once)."""
        if ticket != self.ticket:
            return False
        self.pending, self.error = False, message
        return True

    # --- the agent's choice --------------------------------------------------------
    @property
    def contract(self) -> ContractInfo | None:
        """The contract the confirm key would confirm (or has confirmed)."""
        if self.snapshot is None or not self.snapshot.contracts:
            return None
        if self.confirmed is not None:
            return self.snapshot.contract(self.confirmed.contract_id)
        return self.snapshot.contracts[self.chosen % len(self.snapshot.contracts)]

    def next_contract(self) -> None:
        if self.snapshot is not None and self.snapshot.contracts and self.confirmed is None:
            self.chosen = (self.chosen + 1) % len(self.snapshot.contracts)

    def confirm(self, filled: Prefill) -> None:
        self.confirmed = filled
