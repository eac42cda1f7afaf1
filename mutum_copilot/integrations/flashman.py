"""A client of Flashman's API v2 (``routes/api/v2.js`` of the public Flashman source).

- Basic auth (passport-http's BasicStrategy): a wrong pair is a 401; a user
  whose role lacks ``grantAPIAccess`` gets 403 ``{"message": "Permissão
  negada (...)", "type": "danger"}``.
- ``PUT /api/v2/device/search`` with ``{"filter_list": "<terms, comma
  separated>"}`` and ``?page=&limit=`` (limit at most 50) answers ``{"success":
  true, "type": "success", "page", "pages", "limit", "status": {...},
  "devices": [...]}``; a failed query is ``{"success": false, "type": "danger",
  "message"}``. A simple-search user matches a term exactly against
  ``pppoe_user``, ``_id`` (the MAC), ``serial_tr069``...; a complex-search user
  by case-insensitive substring, so the exact login is checked here.
- ``GET /api/v2/device/update/<MAC or serial>`` answers the device registry, or
  404 ``{"success": false, "message": "CPE não encontrada (...)"}``. The fields
  read: ``pon_rxpower``, ``pon_txpower`` (numbers, dBm), ``last_contact`` (a
  date), ``wan_up_time`` (seconds), ``connection_type`` (``pppoe``/``dhcp``),
  ``pppoe_user``. The registry also holds ``pppoe_password`` and
  ``wifi_password``: never read here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mutum_copilot.integrations.errors import (
    MalformedReplyError,
    NotFoundError,
    RefusedError,
    ServerError,
)
from mutum_copilot.integrations.http import Endpoint, Http, json_reply
from mutum_copilot.safetext import clean_line

if TYPE_CHECKING:  # httpx is imported where requests are made (http.py), not at start
    import httpx

SYSTEM = "Flashman"
API_PATH = "/api/v2"
SEARCH_LIMIT = "10"
SIGNAL_LIMIT = 60.0


@dataclass(frozen=True)
class FlashmanDevice:
    """A router or ONU as Flashman's registry describes it (only what the copilot uses)."""

    id: str
    pppoe_user: str
    connection_type: str
    rx_dbm: float | None
    tx_dbm: float | None
    last_contact: dt.datetime | None
    wan_up_time: int | None


def api_base(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith(API_PATH) else url + API_PATH


def _text(value: Any) -> str:
    return clean_line(value).strip() if isinstance(value, str) else ""


def _dbm(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        found = float(value) if isinstance(value, (int, float, str)) else math.nan
    except ValueError:
        return None
    return found if math.isfinite(found) and abs(found) <= SIGNAL_LIMIT else None


def _instant(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def device(record: Mapping[str, Any]) -> FlashmanDevice:
    """A registry record as typed values; secrets and everything else are dropped."""
    device_id = _text(record.get("_id"))
    if not device_id:
        raise MalformedReplyError(SYSTEM, "equipamento sem identificação (_id)")
    uptime = record.get("wan_up_time")
    return FlashmanDevice(
        id=device_id.upper(),
        pppoe_user=_text(record.get("pppoe_user")),
        connection_type=_text(record.get("connection_type")),
        rx_dbm=_dbm(record.get("pon_rxpower")),
        tx_dbm=_dbm(record.get("pon_txpower")),
        last_contact=_instant(record.get("last_contact")),
        wan_up_time=uptime if isinstance(uptime, int) and not isinstance(uptime, bool) else None,
    )


class FlashmanClient:
    """Searching devices and reading one; one instance per task, as a context manager."""

    def __init__(self, endpoint: Endpoint, transport: httpx.BaseTransport | None = None) -> None:
        self._http = Http(endpoint, transport)

    def __enter__(self) -> FlashmanClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._http.close()

    def search(self, term: str) -> list[FlashmanDevice]:
        """Devices matching one term (a PPPoE user or a MAC); at most SEARCH_LIMIT."""
        if not term or "," in term:  # Flashman splits filter_list on commas
            return []
        response = self._http.send(
            "PUT",
            "device/search",
            body={"filter_list": term},
            params={"page": "1", "limit": SEARCH_LIMIT},
            write=False,  # a query, although Flashman routes it as a PUT
        )
        reply = self._reply(response)
        devices = reply.get("devices")
        if reply.get("success") is not True or not isinstance(devices, list):
            raise MalformedReplyError(SYSTEM, "busca fora do formato documentado")
        return [device(d) for d in devices if isinstance(d, dict)]

    def get(self, device_id: str) -> FlashmanDevice:
        """The registry of one device (by MAC or serial); NotFoundError if Flashman has none."""
        path = f"device/update/{quote(device_id.upper(), safe='')}"
        response = self._http.send("GET", path, write=False)
        if response.status_code == 404:
            raise NotFoundError(SYSTEM, "equipamento não encontrado no Flashman")
        reply = self._reply(response)
        return device(reply)

    def device_for_login(self, pppoe_user: str) -> FlashmanDevice | None:
        """The device whose PPPoE user is exactly ``pppoe_user``, read fresh; None if none."""
        wanted = pppoe_user.strip().lower()
        for found in self.search(pppoe_user.strip()):
            if found.pppoe_user.lower() == wanted:
                return self.get(found.id)
        return None

    def _reply(self, response: httpx.Response) -> Mapping[str, Any]:
        code = response.status_code
        if code == 401:
            raise RefusedError(
                SYSTEM, "login ou senha recusados (HTTP 401): confira flashman no cofre"
            )
        if code == 403:
            raise RefusedError(
                SYSTEM,
                "sem permissão (HTTP 403): o usuário do Flashman precisa de acesso à API "
                "(grantAPIAccess)",
            )
        if code >= 500:
            raise ServerError(SYSTEM, f"erro no servidor (HTTP {code})")
        if 300 <= code < 400:
            raise ServerError(
                SYSTEM,
                f"o servidor mandou para outro endereço (HTTP {code}): confira "
                "integrations.flashman.url (https://?)",
            )
        reply = json_reply(response, SYSTEM)
        if not isinstance(reply, dict):
            raise MalformedReplyError(SYSTEM, "resposta fora do formato documentado")
        if reply.get("success") is False or code >= 400:
            words = _text(reply.get("message"))[:200] or f"HTTP {code}"
            raise ServerError(SYSTEM, f'o Flashman recusou o pedido: "{words}"')
        return reply
