"""A client of the IXC Provedor webservice, as IXC's own Postman collection documents it.

- Base ``https://<host>/webservice/v1/<table>``; ``Authorization: Basic
  base64("<user id>:<token>")``.
- Listing is a GET with the header ``ixcsoft: listar`` and a JSON body:
  ``qtype`` (``table.field``), ``query``, ``oper``, ``page``, ``rp``,
  ``sortname``, ``sortorder``, every value a string. The reply is
  ``{"page": "1", "total": "3", "registros": [...]}``; ``total`` comes as a
  string or a number depending on the table, and numbers inside records are
  strings.
- Inserting is a POST of the record's fields; the reply is
  ``{"type": "success", "message": "Registro inserido com sucesso!", "id": 2}``.
- Errors are ``{"type": "error", "message": "..."}``, sometimes with HTML in
  the text (``<br />``); the IP allow-list refusal is one of them: "Seu IP não
  está liberado para efetuar login!". A GET without ``ixcsoft: listar`` is a
  404; a bad token a 401; a token from before a server migration a 403.

The references, field by field, are listed in docs/integrations.md.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from mutum_copilot.integrations.errors import (
    IntegrationError,
    IpNotAllowedError,
    MalformedReplyError,
    RefusedError,
    ServerError,
    WriteUncertainError,
)
from mutum_copilot.integrations.http import Endpoint, Http, json_reply
from mutum_copilot.safetext import clean_line

if TYPE_CHECKING:  # httpx is imported where requests are made (http.py), not at start
    import httpx

SYSTEM = "IXC"
API_PATH = "/webservice/v1"
LIST_HEADERS = {"ixcsoft": "listar"}
PAGE_SIZE = 50
#: A lookup never needs more: 20 pages of 50 contracts or logins of one customer.
MAX_PAGES = 20
MAX_MESSAGE = 200
_TAG = re.compile(r"<[^>]*>")

Record = Mapping[str, Any]


@dataclass(frozen=True)
class IxcPage:
    """One page of a listing: IXC's ``page``, ``total`` and ``registros``."""

    page: int
    total: int
    records: tuple[Record, ...]


def api_base(url: str) -> str:
    """``https://host`` (or one already ending in /webservice/v1) -> the API's base."""
    url = url.rstrip("/")
    return url if url.endswith(API_PATH) else url + API_PATH


def ixc_message(reply: Mapping[str, Any]) -> str:
    """IXC's own words from an error reply (``message``, else ``valor``), safe to show."""
    for key in ("message", "valor"):
        text = reply.get(key)
        if isinstance(text, str) and text.strip():
            words = clean_line(html.unescape(_TAG.sub(" ", text)))
            words = " ".join(words.split())
            return words if len(words) <= MAX_MESSAGE else words[: MAX_MESSAGE - 1] + "…"
    return ""


def error_from_reply(reply: Mapping[str, Any]) -> IntegrationError:
    """The error an IXC ``{"type": "error"}`` reply stands for."""
    words = ixc_message(reply)
    lowered = words.lower()
    if "ip" in lowered.split() and "liberado" in lowered:
        return IpNotAllowedError(
            SYSTEM,
            "o IXC não aceita o IP deste computador (Redes Permitidas do grupo do usuário "
            f'da API); peça ao administrador do IXC para liberá-lo. O IXC disse: "{words}"',
            remote=words,
        )
    if "permiss" in lowered or "não está disponível" in lowered:
        return RefusedError(
            SYSTEM,
            f'o usuário da API não tem permissão para isto. O IXC disse: "{words}"',
            remote=words,
        )
    return ServerError(SYSTEM, f'o IXC recusou o pedido: "{words or "sem mensagem"}"', remote=words)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


class IxcClient:
    """Listing and inserting in IXC's tables; one instance per task, as a context manager."""

    def __init__(self, endpoint: Endpoint, transport: httpx.BaseTransport | None = None) -> None:
        self._http = Http(endpoint, transport)

    def __enter__(self) -> IxcClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._http.close()

    @property
    def requests(self) -> int:
        return self._http.requests

    # --- reading -------------------------------------------------------------------
    def list_page(
        self,
        table: str,
        field: str,
        query: str,
        *,
        oper: str = "=",
        page: int = 1,
        rp: int = PAGE_SIZE,
        sortname: str = "",
        sortorder: str = "asc",
    ) -> IxcPage:
        """One page of ``table`` where ``table.field <oper> query``."""
        body = {
            "qtype": f"{table}.{field}",
            "query": query,
            "oper": oper,
            "page": str(page),
            "rp": str(rp),
            "sortname": f"{table}.{sortname or 'id'}",
            "sortorder": sortorder,
        }
        response = self._http.send("GET", table, body=body, headers=LIST_HEADERS, write=False)
        reply = self._reply(response)
        records = reply.get("registros", [])
        total = _as_int(reply.get("total", 0))
        if (
            not isinstance(records, list)
            or not all(isinstance(r, dict) for r in records)
            or total is None
        ):
            raise MalformedReplyError(SYSTEM, f"listagem de {table} fora do formato documentado")
        return IxcPage(_as_int(reply.get("page", page)) or page, total, tuple(records))

    def list_all(self, table: str, field: str, query: str, *, oper: str = "=") -> list[Record]:
        """Every record of ``table`` matching, page after page (at most MAX_PAGES)."""
        found: list[Record] = []
        for number in range(1, MAX_PAGES + 1):
            page = self.list_page(table, field, query, oper=oper, page=number)
            found.extend(page.records)
            if not page.records or len(found) >= page.total:
                break
        return found

    def get(self, table: str, record_id: str) -> Record | None:
        """The record of ``table`` with this id, or None."""
        page = self.list_page(table, "id", record_id, rp=1)
        return page.records[0] if page.records else None

    # --- writing (never retried) ---------------------------------------------------
    def insert(self, table: str, fields: Mapping[str, str]) -> str:
        """POST a new record; its id. Raises WriteUncertainError when the result is unclear."""
        reply = self.post(table, fields)
        new_id = _as_int(reply.get("id"))
        if not new_id:
            raise WriteUncertainError(
                SYSTEM,
                f"o IXC respondeu sem o número do registro em {table}; confira no IXC "
                "se foi gravado antes de tentar de novo",
            )
        return str(new_id)

    def post(self, endpoint: str, fields: Mapping[str, Any]) -> Mapping[str, Any]:
        """A write (an insert or a button such as ``desbloqueio_confianca``); the success reply."""
        response = self._http.send("POST", endpoint, body=fields, write=True)
        try:
            return self._reply(response)
        except MalformedReplyError as exc:
            raise WriteUncertainError(
                SYSTEM,
                f"{exc.detail} depois de enviar; confira no IXC se foi "
                "gravado antes de tentar de novo",
            ) from None
        except ServerError as exc:
            if response.status_code >= 500:  # the server broke mid-way: it may have stored it
                raise WriteUncertainError(
                    SYSTEM,
                    f"erro no servidor (HTTP {response.status_code}) depois de enviar; "
                    "confira no IXC se foi gravado antes de tentar de novo",
                ) from None
            raise exc from None

    # --- replies -------------------------------------------------------------------
    def _reply(self, response: httpx.Response) -> Mapping[str, Any]:
        code = response.status_code
        reply: Any = None
        if response.content.strip():
            try:
                reply = json_reply(response, SYSTEM)
            except MalformedReplyError:
                if code < 400:
                    raise
        if isinstance(reply, dict) and reply.get("type") == "error":
            raise error_from_reply(reply)
        if code == 401:
            raise RefusedError(
                SYSTEM,
                "acesso recusado (HTTP 401): confira user (id do usuário) e token de ixc_api "
                "no cofre, e se o usuário da API está ativo no IXC",
            )
        if code == 403:
            raise RefusedError(
                SYSTEM,
                "acesso proibido (HTTP 403): o token pode ter mudado (p. ex. numa migração "
                "de servidor); gere um token novo no IXC e atualize o cofre",
            )
        if code == 404:
            raise ServerError(
                SYSTEM, "endereço não encontrado (HTTP 404): confira integrations.ixc.url"
            )
        if 300 <= code < 400:
            raise ServerError(
                SYSTEM,
                f"o servidor mandou para outro endereço (HTTP {code}): confira "
                "integrations.ixc.url (https://?)",
            )
        if code >= 400:
            raise ServerError(SYSTEM, f"erro no servidor (HTTP {code})")
        if not isinstance(reply, dict):
            raise MalformedReplyError(SYSTEM, f"resposta fora do formato documentado (HTTP {code})")
        return reply
