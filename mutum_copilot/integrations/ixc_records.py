"""IXC records as typed values: only the fields the copilot uses, everything else dropped.

An IXC record carries much the copilot must not keep (``cliente.senha``, the
Central do Assinante's password; the full ``cnpj_cpf``; ``radusuarios.senha``,
the PPPoE password). Each parser here reads the few fields it needs, masks the
document, passes every text through :func:`~mutum_copilot.safetext.clean_line`
and forgets the rest. Codes and their meanings are those of IXC's collection
(``cliente_contrato`` field descriptions, ``radusuarios``).

IXC writes numbers as strings (``"id": "2"``), dates as ``2024-11-21`` (in
replies; ``DD/MM/AAAA`` in the documented inserts) and "no date" as
``0000-00-00``; times are the server's wall clock, so they are read in the
provider's zone.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from mutum_copilot.integrations.documents import mask_document
from mutum_copilot.integrations.errors import MalformedReplyError
from mutum_copilot.safetext import clean_line

SYSTEM = "IXC"
#: ``cliente_contrato.status_internet`` ("Status acesso").
INTERNET_STATUS_LABELS = {
    "A": "ativo",
    "D": "desativado",
    "CM": "bloqueio manual",
    "CA": "bloqueio automático",
    "FA": "financeiro em atraso",
    "AA": "aguardando assinatura",
}
#: ``cliente_contrato.status`` ("Status contrato").
CONTRACT_STATUS_LABELS = {
    "P": "pré-contrato",
    "A": "ativo",
    "I": "inativo",
    "N": "negativado",
    "D": "desistiu",
}
#: ``radusuarios.online``.
ONLINE_LABELS = {"S": "online", "N": "offline", "SS": "sem status"}
#: Internet statuses that cut the customer's access.
BLOCKED = frozenset({"CM", "CA", "FA"})
#: The blocks a trust unlock lifts: the financial ones (a manual block is a person's decision).
UNLOCKABLE = frozenset({"CA", "FA"})
SIGNAL_LIMIT = 60.0
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_BR = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")

Record = Mapping[str, Any]


@dataclass(frozen=True)
class IxcCustomer:
    """``cliente``: who the contracts belong to; the document only masked."""

    id: str
    name: str
    document: str
    person: str  # tipo_pessoa: F (física) or J (jurídica)


@dataclass(frozen=True)
class IxcContract:
    """``cliente_contrato``: a contract, its access status and its trust unlock state."""

    id: str
    customer_id: str
    plan: str
    status: str
    internet_status: str
    #: ``desbloqueio_confianca``: S habilitado, N desabilitado, P padrão.
    trust_unlock_setting: str
    #: ``desbloqueio_confianca_ativo``: the contract is running on a trust unlock now.
    trust_unlock_active: bool
    #: ``dt_ult_des_bloq_conf``: the last trust unlock (None: never).
    last_trust_unlock: dt.date | None

    @property
    def internet_status_label(self) -> str:
        return INTERNET_STATUS_LABELS.get(self.internet_status, "desconhecido")

    @property
    def status_label(self) -> str:
        return CONTRACT_STATUS_LABELS.get(self.status, "desconhecido")

    @property
    def blocked(self) -> bool:
        return self.internet_status in BLOCKED


@dataclass(frozen=True)
class IxcLogin:
    """``radusuarios``: a PPPoE (or other) login of a contract."""

    id: str
    contract_id: str
    login: str
    online: str  # S, N or SS (sem status)
    mac: str


@dataclass(frozen=True)
class IxcFiber:
    """``radpop_radio_cliente_fibra``: the ONU's last signal as IXC recorded it."""

    id: str
    contract_id: str
    login_id: str
    rx_dbm: float | None
    tx_dbm: float | None
    read_at: dt.datetime | None


def text(record: Record, key: str) -> str:
    """A field as a clean one-line text ("" when absent, null or not a scalar)."""
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return clean_line(str(value)).strip()


def record_id(record: Record, table: str) -> str:
    value = text(record, "id")
    if not value.isdigit():
        raise MalformedReplyError(SYSTEM, f"registro de {table} sem id")
    return value


def parse_date(value: str) -> dt.date | None:
    """``2024-11-21`` or ``21/11/2024``; None for empty, ``0000-00-00`` and nonsense."""
    iso, br = _DATE_ISO.match(value), _DATE_BR.match(value)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if br:
            return dt.date(int(br[3]), int(br[2]), int(br[1]))
    except ValueError:  # 0000-00-00, 2024-02-30
        return None
    return None


def parse_datetime(value: str, zone: ZoneInfo) -> dt.datetime | None:
    """``2024-11-12 01:02:08`` (or ``12/11/2024 01:02``) in the provider's zone."""
    day = parse_date(value)
    if day is None:
        return None
    clock = _TIME.search(value[10:])
    hour, minute, second = (0, 0, 0)
    if clock:
        hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
    try:
        return dt.datetime.combine(day, dt.time(hour, minute, second), zone)
    except ValueError:
        return None


def parse_dbm(value: str) -> float | None:
    """``-19.50``, ``-19,5`` or ``-19.5 dBm``; None when empty or not a possible signal."""
    number = value.lower().replace("dbm", "").replace(",", ".").strip()
    try:
        found = float(number)
    except ValueError:
        return None
    if not math.isfinite(found) or abs(found) > SIGNAL_LIMIT:
        return None
    return found


def customer(record: Record) -> IxcCustomer:
    return IxcCustomer(
        id=record_id(record, "cliente"),
        name=text(record, "razao") or text(record, "fantasia"),
        document=mask_document(text(record, "cnpj_cpf")),
        person=text(record, "tipo_pessoa"),
    )


def contract(record: Record) -> IxcContract:
    return IxcContract(
        id=record_id(record, "cliente_contrato"),
        customer_id=text(record, "id_cliente"),
        plan=text(record, "contrato"),
        status=text(record, "status"),
        internet_status=text(record, "status_internet"),
        trust_unlock_setting=text(record, "desbloqueio_confianca"),
        trust_unlock_active=text(record, "desbloqueio_confianca_ativo") == "S",
        last_trust_unlock=parse_date(text(record, "dt_ult_des_bloq_conf")),
    )


def login(record: Record) -> IxcLogin:
    return IxcLogin(
        id=record_id(record, "radusuarios"),
        contract_id=text(record, "id_contrato"),
        login=text(record, "login"),
        online=text(record, "online"),
        mac=text(record, "mac").upper(),
    )


def fiber(record: Record, zone: ZoneInfo) -> IxcFiber:
    return IxcFiber(
        id=record_id(record, "radpop_radio_cliente_fibra"),
        contract_id=text(record, "id_contrato"),
        login_id=text(record, "id_login"),
        rx_dbm=parse_dbm(text(record, "sinal_rx")),
        tx_dbm=parse_dbm(text(record, "sinal_tx")),
        read_at=parse_datetime(text(record, "data_sinal"), zone),
    )
