"""A fake IXC Provedor webservice, built from IXC's own Postman collection.

Field by field from ``ixc_examples.json`` (excerpts of the collection):

- every request needs ``Authorization: Basic base64("<user id>:<token>")``,
  else 401 ("401 - Authorization Requested");
- a listing is a GET under ``/webservice/v1/<table>`` with the header
  ``ixcsoft: listar`` (without it: 404, as the collection warns) and a JSON
  body with ``qtype`` (``table.field``; a bare or unknown field is a 500, as
  documented), ``query``, ``oper``, ``page``, ``rp``, ``sortname``,
  ``sortorder``; the reply is ``{"page", "total", "registros"}`` with every
  value a string, ``total`` a number for ``cliente`` (as in the collection's
  example) and a string elsewhere;
- an unknown table answers ``{"type": "error", "message": "Recurso <t> não
  está disponível!"}``; a machine off the allow-list ``{"type": "error",
  "message": "Seu IP não está liberado para efetuar login!"}`` (JSON escaped
  to ASCII, as IXC sends it);
- an insert is a POST of the record; the collection's "Obrigatório" fields
  are required, unknown fields refused, and the reply is ``{"type":
  "success", "message": "Registro inserido com sucesso!", "id": <n>}``;
- ``POST desbloqueio_confianca`` with ``{"id": <contract>}``.

Records start from the collection's own shapes: a ``cliente`` is the
example record with a few fields replaced; the other tables use the columns
of their documented insert. Wherever the collection shows no reply (the
texts of an insert refusal, of a refused trust unlock), the words are the
fake's own and say so in :data:`FAKE_WORDS`.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .httpbase import FakeServer, Reply, Seen, json_reply

EXAMPLES: dict[str, Any] = json.loads(
    (Path(__file__).with_name("ixc_examples.json")).read_text(encoding="utf-8")
)
PREFIX = "/webservice/v1/"
WRITABLE = ("su_ticket", "su_oss_chamado")
OPERATORS = ("=", "!=", ">", "<", ">=", "<=", "L", "NL", "IN", "NI")
#: IXC's listing default when a body has no ``rp`` (the collection's CPF example sends none).
DEFAULT_RP = 20
#: Texts the collection does not document, so the fake words them itself.
FAKE_WORDS = {
    "missing": "Campo obrigatório não informado: {field}",
    "unknown_field": "Campo inexistente em {table}: {field}",
    "permission": "Usuário sem permissão para inserir em {table}",
    "unlock_not_found": "Contrato não encontrado!",
    "unlock_inactive": "Contrato inativo, não é possível realizar o desbloqueio!",
    "unlock_not_blocked": "Contrato não está bloqueado!",
    "unlock_disabled": "Desbloqueio de confiança desabilitado para este contrato!",
    "unlock_used": "Desbloqueio de confiança já utilizado, aguardando pagamento!",
    "unlock_done": "Desbloqueio de confiança realizado com sucesso!",
}
HTML_500 = (
    b"<div class='preserveHtml' style=\"margin:40px\">Ocorreu um erro ao processar. "
    b"Contate o suporte IXC Soft.</div>"
)


def _columns(name: str) -> dict[str, str]:
    fields = dict(EXAMPLES[f"{name}_insert"]["fields"])
    fields.setdefault("id", "")
    return {k: "" if v is None else str(v) for k, v in fields.items()}


TEMPLATES: dict[str, dict[str, str]] = {
    "cliente": dict(EXAMPLES["cliente_by_cpf"]["reply"]["registros"][0]),
    "cliente_contrato": _columns("cliente_contrato"),
    "radusuarios": _columns("radusuarios"),
    "radpop_radio_cliente_fibra": _columns("radpop_radio_cliente_fibra"),
    "su_ticket": _columns("su_ticket"),
    "su_oss_chamado": _columns("su_oss_chamado"),
}
REQUIRED = {t: EXAMPLES[f"{t}_insert"]["required"] for t in WRITABLE}
INT_TOTAL = {"cliente"}


class FakeIxc(FakeServer):
    """IXC's webservice over real HTTP; tables are lists of string-valued records."""

    def __init__(self, user: str = "17", token: str = "") -> None:
        super().__init__(user, token or "f" * 8 + "0123456789abcdef" * 3 + "e" * 8)
        self.tables: dict[str, list[dict[str, str]]] = {t: [] for t in TEMPLATES}
        #: Tables the API user may insert into (IXC's permissions per user group).
        self.writable = set(WRITABLE)
        #: Refuse every request as from an IP outside "Redes Permitidas".
        self.ip_refused = False
        #: Store the next insert into this table (or do the next trust unlock), then
        #: answer it with a 500.
        self.insert_500: str = ""
        #: Change a record as it is stored (IXC truncating a text, say): (table, record).
        self.on_insert: Callable[[str, dict[str, str]], None] | None = None
        #: Refuse the trust unlock with these words, whatever the contract says.
        self.refuse_unlock: str = ""
        self.today = dt.date(2026, 11, 20)

    # --- data ----------------------------------------------------------------------
    def add(self, table: str, **fields: str) -> dict[str, str]:
        """A record of ``table``: the documented shape, ``fields`` replaced, an id if none."""
        with self.lock:
            record = copy.deepcopy(TEMPLATES[table])
            unknown = set(fields) - set(record)
            assert not unknown, f"{table} has no fields {unknown}"
            record.update({k: str(v) for k, v in fields.items()})
            if "id" not in fields:
                record["id"] = str(1 + max((int(r["id"]) for r in self.tables[table]), default=0))
            self.tables[table].append(record)
            return record

    def find(self, table: str, record_id: str) -> dict[str, str] | None:
        with self.lock:
            return next((r for r in self.tables[table] if r["id"] == record_id), None)

    # --- HTTP ----------------------------------------------------------------------
    def handle(self, seen: Seen) -> Reply:
        if not self.authorized(seen.headers):
            return Reply(401, b"Authorization Requested", "text/html")
        if self.ip_refused:
            return json_reply(200, EXAMPLES["errors"]["ip_not_allowed"])
        if not seen.path.startswith(PREFIX):
            return Reply(404, b"Not Found", "text/html")
        table = seen.path[len(PREFIX) :].strip("/")
        body = seen.body if isinstance(seen.body, dict) else {}
        if seen.method == "GET":
            if seen.headers.get("ixcsoft") != "listar":
                return Reply(404, b"Not Found", "text/html")
            return self._list(table, body)
        if seen.method == "POST" and table == "desbloqueio_confianca":
            return self._unlock(body)
        if seen.method == "POST":
            return self._insert(table, body)
        return Reply(405, b"Method Not Allowed", "text/html")

    def _unavailable(self, table: str) -> Reply:
        return json_reply(
            200, {"type": "error", "message": f"Recurso {table} não está disponível!"}
        )

    def _list(self, table: str, body: dict[str, Any]) -> Reply:
        if table not in self.tables:
            return self._unavailable(table)
        with self.lock:
            rows = list(self.tables[table])
        qtype = str(body.get("qtype", ""))
        if qtype:
            name = _field_of(qtype, table, rows)
            oper = str(body.get("oper", "="))
            if name is None or oper not in OPERATORS:
                return Reply(500, HTML_500, "text/html")
            rows = [r for r in rows if _matches(r.get(name, ""), oper, str(body.get("query", "")))]
        sortname = str(body.get("sortname", ""))
        if sortname:
            name = _field_of(sortname, table, rows)
            if name is None:
                return Reply(500, HTML_500, "text/html")
            rows.sort(key=lambda r: _sort_key(r.get(name, "")))
            if str(body.get("sortorder", "asc")).lower() == "desc":
                rows.reverse()
        page = int(str(body.get("page", "1")) or 1)
        rp = int(str(body.get("rp", DEFAULT_RP)) or DEFAULT_RP)
        chunk = rows[(page - 1) * rp : page * rp]
        total: int | str = len(rows) if table in INT_TOTAL else str(len(rows))
        return json_reply(200, {"page": str(page), "total": total, "registros": chunk})

    def _insert(self, table: str, body: dict[str, Any]) -> Reply:
        if table not in TEMPLATES:
            return self._unavailable(table)
        if table not in self.writable:
            return self._error(FAKE_WORDS["permission"].format(table=table))
        for name in body:
            if name not in TEMPLATES[table]:
                return self._error(FAKE_WORDS["unknown_field"].format(table=table, field=name))
        for name in REQUIRED.get(table, ()):
            if not str(body.get(name, "")).strip():
                return self._error(FAKE_WORDS["missing"].format(field=name))
        fields = {k: str(v) for k, v in body.items() if k != "id"}
        if table == "su_ticket":
            fields["protocolo"] = f"{self.today:%Y%m%d}{len(self.tables[table]) + 1:05d}"
        record = self.add(table, **fields)
        if self.on_insert is not None:
            self.on_insert(table, record)
        if self.insert_500 == table:  # stored, then the server broke: the worst case
            self.insert_500 = ""
            return Reply(500, HTML_500, "text/html")
        reply = dict(EXAMPLES["insert_success"]["reply"], id=int(record["id"]))
        return json_reply(200, reply)

    def _unlock(self, body: dict[str, Any]) -> Reply:
        contract = self.find("cliente_contrato", str(body.get("id", "")))
        if contract is None:
            return self._error(FAKE_WORDS["unlock_not_found"])
        if self.refuse_unlock:
            return self._error(self.refuse_unlock)
        if contract["status"] != "A":
            return self._error(FAKE_WORDS["unlock_inactive"])
        if contract["status_internet"] not in ("CA", "FA"):
            return self._error(FAKE_WORDS["unlock_not_blocked"])
        if contract["desbloqueio_confianca"] == "N":
            return self._error(FAKE_WORDS["unlock_disabled"])
        if contract["desbloqueio_confianca_ativo"] == "S":
            return self._error(FAKE_WORDS["unlock_used"])
        with self.lock:
            contract["status_internet"] = "A"
            contract["desbloqueio_confianca_ativo"] = "S"
            contract["dt_ult_des_bloq_conf"] = self.today.isoformat()
        if self.insert_500 == "desbloqueio_confianca":  # done, then the server broke
            self.insert_500 = ""
            return Reply(500, HTML_500, "text/html")
        return json_reply(200, {"type": "success", "message": FAKE_WORDS["unlock_done"]})

    def _error(self, message: str) -> Reply:
        return json_reply(200, {"type": "error", "message": message})

    def server_error(self) -> Reply:
        return Reply(500, HTML_500, "text/html")


def _field_of(qualified: str, table: str, rows: list[dict[str, str]]) -> str | None:
    """``table.field`` -> field, if that table has it (IXC fails on anything else)."""
    prefix, _, name = qualified.partition(".")
    if prefix != table or not name:
        return None
    return name if name in TEMPLATES[table] else None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _matches(value: str, oper: str, query: str) -> bool:
    if oper in ("L", "NL"):
        found = query.lower() in value.lower()
        return found if oper == "L" else not found
    if oper in ("IN", "NI"):
        found = value in [q.strip() for q in query.split(",")]
        return found if oper == "IN" else not found
    left, right = _number(value), _number(query)
    a: Any = left if left is not None and right is not None else value
    b: Any = right if left is not None and right is not None else query
    return {
        "=": a == b,
        "!=": a != b,
        ">": a > b,
        "<": a < b,
        ">=": a >= b,
        "<=": a <= b,
    }[oper]


def _sort_key(value: str) -> tuple[int, float, str]:
    number = _number(value)
    return (0, number, "") if number is not None else (1, 0.0, value)
