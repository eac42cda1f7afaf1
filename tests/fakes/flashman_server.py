"""A fake Flashman (API v2), following the public source ``rilpires/flashman``.

- ``routes/api/v2.js``: every route but ``/health`` goes through
  ``authController.ensureAPIAccess`` (passport-http's BasicStrategy: a wrong
  pair is a 401 with ``WWW-Authenticate: Basic realm="Users"`` and the body
  ``Unauthorized``), then ``ensurePermission('grantAPIAccess')`` (403
  ``{"message": "Permissão negada (...)", "type": "danger"}``).
- ``PUT /device/search`` -> ``deviceListController.searchDeviceReg``:
  ``filter_list`` split on commas; a simple-search user
  (``simpleSearchDeviceQuery``) matches the first term exactly against
  ``pppoe_user``, ``_id``, ``serial_tr069``, ``alt_uid_tr069``,
  ``external_reference.data`` and ``wan_bssid``; a complex-search user
  (``complexSearchDeviceQuery``) by case-insensitive substring of ``_id``,
  ``pppoe_user``, ``serial_tr069``... for every term; ``?page`` and
  ``?limit`` (at most 50). Reply: ``{"success": true, "type": "success",
  "limit", "page", "pages", "status": {"onlinenum", "recoverynum",
  "offlinenum", "totalnum"}, "filter_list", "devices": [...]}``.
- ``GET /device/update/:id`` -> ``getDeviceReg``: ``findByMacOrSerial`` of
  the id upper-cased; 200 with the registry (``mqtt_secret`` nulled), or 404
  ``{"success": false, "message": "CPE não encontrada (...)"}``.

Device fields follow ``models/device.js``: ``_id`` (the MAC), ``use_tr069``,
``serial_tr069``, ``model``, ``connection_type`` (pppoe/dhcp),
``pppoe_user``, ``pppoe_password``, ``pon_rxpower``/``pon_txpower``
(Number), ``last_contact`` (Date, JSON as ISO 8601 with ``Z``),
``wan_up_time`` (seconds).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from typing import Any
from urllib.parse import unquote

from .httpbase import FakeServer, Reply, Seen, json_reply

PREFIX = "/api/v2"
EXACT_FIELDS = (
    "pppoe_user",
    "_id",
    "serial_tr069",
    "alt_uid_tr069",
    "external_reference.data",
    "wan_bssid",
)
REGEX_FIELDS = ("_id", "pppoe_user", "serial_tr069", "external_reference.data", "wan_bssid")
MAX_LIMIT = 50
#: The registry's secrets exist in the real reply; the client must never keep them.
NEVER_KEPT = "-".join(("nao", "guardar"))


def _field(device: dict[str, Any], dotted: str) -> str:
    value: Any = device
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


class FakeFlashman(FakeServer):
    """Flashman's API v2 over real HTTP, with devices in memory."""

    def __init__(self, user: str = "api-copilot", password: str = "") -> None:
        super().__init__(user, password or "p" * 6 + "flashman-fake")
        self.devices: list[dict[str, Any]] = []
        #: The user's role has ``grantAPIAccess``.
        self.api_access = True
        #: The user's role has ``grantSearchLevel`` >= 2 (regex search).
        self.complex_search = True

    def add(
        self,
        mac: str,
        pppoe_user: str,
        *,
        rx: float | None = -19.5,
        tx: float | None = 2.3,
        last_contact: dt.datetime | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        contact = last_contact or dt.datetime(2026, 11, 20, 23, 10, tzinfo=dt.UTC)
        device: dict[str, Any] = {
            "_id": mac.upper(),
            "use_tr069": True,
            "serial_tr069": "ZTEG" + mac.replace(":", "")[-8:],
            "model": "F670L",
            "connection_type": "pppoe",
            "pppoe_user": pppoe_user,
            "pppoe_password": NEVER_KEPT,
            "wifi_ssid": "Fibra-Teste",
            "wifi_password": NEVER_KEPT,
            "mqtt_secret": NEVER_KEPT,
            "last_contact": contact.astimezone(dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "wan_up_time": 5400,
            "sys_up_time": 7200,
            "external_reference": {"kind": "CPF", "data": ""},
        }
        if rx is not None:
            device["pon_rxpower"] = rx
        if tx is not None:
            device["pon_txpower"] = tx
        device.update(extra)
        with self.lock:
            self.devices.append(device)
        return device

    # --- HTTP ----------------------------------------------------------------------
    def handle(self, seen: Seen) -> Reply:
        if seen.path == f"{PREFIX}/health":
            return json_reply(200, {"version": "0.0.0-fake", "uptime": 1.0})
        if not self.authorized(seen.headers):
            return Reply(
                401, b"Unauthorized", "text/plain", {"WWW-Authenticate": 'Basic realm="Users"'}
            )
        if not self.api_access:
            return json_reply(
                403, {"message": "Permissão negada (0)", "type": "danger"}, ascii_only=False
            )
        if seen.method == "PUT" and seen.path == f"{PREFIX}/device/search":
            return self._search(seen)
        prefix = f"{PREFIX}/device/update/"
        if seen.method == "GET" and seen.path.startswith(prefix):
            return self._device(unquote(seen.path[len(prefix) :]))
        return Reply(404, f"Cannot {seen.method} {seen.path}".encode(), "text/html")

    def _search(self, seen: Seen) -> Reply:
        body = seen.body if isinstance(seen.body, dict) else {}
        terms: list[str] = []
        if isinstance(body.get("filter_list"), str):
            terms = body["filter_list"].split(",")
        with self.lock:
            devices = [copy.deepcopy(d) for d in self.devices]
        if self.complex_search:
            for term in (t.lower() for t in terms if t):
                devices = [
                    d for d in devices if any(term in _field(d, f).lower() for f in REGEX_FIELDS)
                ]
        elif terms and terms[0]:
            wanted = terms[0].lower()  # collation strength 1: case-insensitive equality
            devices = [
                d for d in devices if any(_field(d, f).lower() == wanted for f in EXACT_FIELDS)
            ]
        else:
            devices = []
        page = _int(seen.query.get("page"), 1)
        limit = min(_int(seen.query.get("limit"), 10), MAX_LIMIT)
        chunk = devices[(page - 1) * limit : page * limit]
        for device in chunk:
            device["status_color"] = "green-text"
            device.pop("mqtt_secret", None)  # the search's projection drops the heavy fields
        reply = {
            "success": True,
            "type": "success",
            "limit": limit,
            "page": page,
            "pages": max(1, math.ceil(len(devices) / limit)),
            "min_length_pass_pppoe": 8,
            "status": {
                "onlinenum": len(devices),
                "recoverynum": 0,
                "offlinenum": 0,
                "totalnum": len(devices),
            },
            "single_releases": [],
            "filter_list": body.get("filter_list"),
            "devices": chunk,
        }
        return json_reply(200, reply, ascii_only=False)

    def _device(self, device_id: str) -> Reply:
        wanted = device_id.upper()
        with self.lock:
            found = next(
                (d for d in self.devices if wanted in (d["_id"], d.get("serial_tr069"))), None
            )
            found = copy.deepcopy(found) if found else None
        if found is None:
            return json_reply(
                404, {"success": False, "message": "CPE não encontrada (0)"}, ascii_only=False
            )
        found["mqtt_secret"] = None
        found["status_color"] = "green"
        return json_reply(200, found, ascii_only=False)


def _int(values: list[str] | None, default: int) -> int:
    try:
        return int(values[0]) if values else default
    except ValueError:
        return default
