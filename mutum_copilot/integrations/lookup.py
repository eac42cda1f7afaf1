"""From a CPF, a CNPJ or a contract number to the customer's snapshot, read live.

The reads, in order (all IXC listings, ``oper`` ``=``): ``cliente`` by
``cnpj_cpf`` (or ``cliente_contrato`` by ``id``, then ``cliente`` by ``id``);
the customer's ``cliente_contrato`` by ``id_cliente``; ``radusuarios`` by
``id_cliente``; ``radpop_radio_cliente_fibra`` by ``id_contrato``. Then, when
Flashman is configured, each contract's PPPoE login is searched there and its
registry read. A Flashman failure costs only the signal (a warning says so);
an IXC failure raises, since without IXC there is no customer.

Blocking: call it from a worker thread (the TUI) or the CLI. Each call opens
its own connections, so calls in parallel threads share nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mutum_copilot.integrations import ixc_records as records
from mutum_copilot.integrations.documents import LookupKey, parse_lookup_key
from mutum_copilot.integrations.errors import AmbiguousError, IntegrationError, NotFoundError
from mutum_copilot.integrations.flashman import FlashmanClient, FlashmanDevice
from mutum_copilot.integrations.http import Endpoint
from mutum_copilot.integrations.ixc import SYSTEM, IxcClient
from mutum_copilot.integrations.snapshot import (
    ContractInfo,
    CustomerSnapshot,
    LoginInfo,
    SignalInfo,
)
from mutum_copilot.integrations.trust import judge, trust_rule
from mutum_copilot.knowledge.models import Facts
from mutum_copilot.triage.checks import SignalCheck, signal_reading

if TYPE_CHECKING:  # httpx is imported where requests are made (http.py), not at start
    import httpx

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Measure:
    """One reading of the ONU's signal, from one system."""

    rx_dbm: float | None
    tx_dbm: float | None
    read_at: dt.datetime | None
    source: str


class Lookup:
    """Reads a customer's snapshot from IXC (and Flashman, if given)."""

    def __init__(
        self,
        facts: Facts,
        ixc: Endpoint,
        flashman: Endpoint | None = None,
        *,
        clock: Clock,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.facts = facts
        self.ixc = ixc
        self.flashman = flashman
        self.clock = clock
        self.transport = transport

    def run(self, typed: str | LookupKey) -> CustomerSnapshot:
        """The snapshot for what the agent typed; InputError or IntegrationError otherwise."""
        key = typed if isinstance(typed, LookupKey) else parse_lookup_key(typed)
        zone = self.facts.provider.time_zone
        with IxcClient(self.ixc, self.transport) as ixc:
            customer = self._customer(ixc, key)
            contracts = [
                records.contract(r)
                for r in ixc.list_all("cliente_contrato", "id_cliente", customer.id)
            ]
            logins = [
                records.login(r) for r in ixc.list_all("radusuarios", "id_cliente", customer.id)
            ]
            fibers = {
                c.id: [
                    records.fiber(r, zone)
                    for r in ixc.list_all("radpop_radio_cliente_fibra", "id_contrato", c.id)
                ]
                for c in contracts
            }
        now = self.clock()
        today = now.astimezone(zone).date()
        rule = trust_rule(self.facts)
        warnings: list[str] = []
        devices = self._devices(contracts, logins, warnings)
        infos = []
        for contract in contracts:
            mine = tuple(
                LoginInfo(x.id, x.login, x.online, x.mac)
                for x in logins
                if x.contract_id == contract.id
            )
            measures = [Measure(f.rx_dbm, f.tx_dbm, f.read_at, "IXC") for f in fibers[contract.id]]
            if contract.id in devices:
                found = devices[contract.id]
                measures.append(Measure(found.rx_dbm, found.tx_dbm, found.last_contact, "Flashman"))
            infos.append(
                ContractInfo(
                    id=contract.id,
                    plan=contract.plan,
                    status=contract.status,
                    status_label=contract.status_label,
                    internet_status=contract.internet_status,
                    internet_status_label=contract.internet_status_label,
                    blocked=contract.blocked,
                    trust_unlock=judge(contract, rule, today),
                    logins=mine,
                    signal=self._judged(latest(measures)),
                )
            )
        return CustomerSnapshot(
            query_kind=key.kind,
            query=key.masked,
            customer_id=customer.id,
            name=customer.name,
            document=customer.document,
            contracts=tuple(infos),
            read_at=now,
            preselected=key.value if key.kind == "contract" else "",
            warnings=tuple(warnings),
        )

    def _customer(self, ixc: IxcClient, key: LookupKey) -> records.IxcCustomer:
        if key.kind == "contract":
            found = ixc.get("cliente_contrato", key.value)
            if found is None:
                raise NotFoundError(SYSTEM, f"nenhum contrato com o número {key.value}")
            owner = records.contract(found).customer_id
            record = ixc.get("cliente", owner) if owner else None
            if record is None:
                raise NotFoundError(SYSTEM, f"o contrato {key.value} não tem cliente no IXC")
            return records.customer(record)
        page = ixc.list_page("cliente", "cnpj_cpf", key.value, rp=10)
        candidates = list(page.records)
        active = [r for r in candidates if records.text(r, "ativo") != "N"]
        candidates = active or candidates
        what = "CPF" if key.kind == "cpf" else "CNPJ"
        if not candidates:
            raise NotFoundError(SYSTEM, f"nenhum cliente com o {what} {key.masked}")
        if len(candidates) > 1:
            raise AmbiguousError(
                SYSTEM,
                f"{len(candidates)} clientes com o {what} {key.masked}; "
                "peça o número do contrato e pesquise por ele",
            )
        return records.customer(candidates[0])

    def _devices(
        self,
        contracts: Iterable[records.IxcContract],
        logins: list[records.IxcLogin],
        warnings: list[str],
    ) -> dict[str, FlashmanDevice]:
        """Each contract's device in Flashman, by contract id; failures become warnings."""
        if self.flashman is None:
            return {}
        found: dict[str, FlashmanDevice] = {}
        try:
            with FlashmanClient(self.flashman, self.transport) as flashman:
                for contract in contracts:
                    names = [x.login for x in logins if x.contract_id == contract.id and x.login]
                    for name in names:
                        device = flashman.device_for_login(name)
                        if device is not None:
                            found[contract.id] = device
                            break
        except IntegrationError as exc:
            warnings.append(f"{exc} (o sinal mostrado é o do IXC, se houver)")
        return found

    def _judged(self, measure: Measure | None) -> SignalInfo | None:
        if measure is None:
            return None
        rx, tx = self.facts.signal.rx, self.facts.signal.tx
        # A pack without a range for RX or TX shows the value unjudged.
        rx_reading = (
            signal_reading(measure.rx_dbm, SignalCheck("signal.rx", rx))
            if measure.rx_dbm is not None and rx is not None
            else None
        )
        tx_reading = (
            signal_reading(measure.tx_dbm, SignalCheck("signal.tx", tx))
            if measure.tx_dbm is not None and tx is not None
            else None
        )
        return SignalInfo(
            rx_dbm=measure.rx_dbm,
            tx_dbm=measure.tx_dbm,
            read_at=measure.read_at,
            source=measure.source,
            rx_verdict=rx_reading.verdict if rx_reading else "",
            tx_verdict=tx_reading.verdict if tx_reading else "",
            rx_judgement=rx_reading.judgement if rx_reading else "",
            tx_judgement=tx_reading.judgement if tx_reading else "",
        )


def latest(measures: Iterable[Measure]) -> Measure | None:
    """The most recent measure that has an RX; one with a time beats one without."""
    usable = [m for m in measures if m.rx_dbm is not None]
    if not usable:
        return None
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    return max(usable, key=lambda m: (m.read_at is not None, m.read_at or floor))
