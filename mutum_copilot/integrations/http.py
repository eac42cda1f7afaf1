"""The HTTP plumbing both clients share: timeouts, the retry policy, network failures in words.

Reads are retried once (a dropped connection or a 5xx is often momentary);
writes never are, because a write that timed out may have been stored, and a
second OS or a second unlock is worse than a clear "confira no IXC". Every
network failure becomes an :class:`UnreachableError` naming the host only.
Request bodies (where a CPF travels) are never part of a message.

httpx itself is imported by the methods that send (``import httpx`` in
:class:`Http`), not with this module: it costs ~40 ms the copilot's first
screen does not need, and most seats run with the integrations off.
"""

from __future__ import annotations

import functools
import json
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mutum_copilot.integrations.errors import (
    IntegrationError,
    MalformedReplyError,
    NotConfiguredError,
    UnreachableError,
    WriteUncertainError,
)

if TYPE_CHECKING:
    import httpx

#: Seconds to wait for a reply; a lookup is abandoned rather than hold a call.
READ_TIMEOUT = 5.0
CONNECT_TIMEOUT = 3.0
#: Replies larger than this are refused: no lookup needs them, and memory is the agent's.
MAX_REPLY_BYTES = 5_000_000


@dataclass(frozen=True)
class Endpoint:
    """One system's API: where it is, and the Basic-auth pair (never shown)."""

    system: str
    base_url: str
    user: str = field(repr=False)
    secret: str = field(repr=False)
    timeout: float = READ_TIMEOUT

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or self.base_url

    def __repr__(self) -> str:
        return f"Endpoint({self.system!r}, {self.host!r}, user=••••••••, secret=••••••••)"


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process: building one costs ~0.1 s, a client per task."""
    import certifi  # httpx's own CA bundle

    return ssl.create_default_context(cafile=certifi.where())


class Http:
    """An ``httpx.Client`` for one endpoint; use it as a context manager, one per task."""

    def __init__(self, endpoint: Endpoint, transport: httpx.BaseTransport | None = None) -> None:
        import httpx

        self.endpoint = endpoint
        self.requests = 0  # what was sent, for the caller's report and the tests
        timeout = httpx.Timeout(endpoint.timeout, connect=min(CONNECT_TIMEOUT, endpoint.timeout))
        try:
            self._client = httpx.Client(
                base_url=endpoint.base_url.rstrip("/") + "/",
                auth=httpx.BasicAuth(endpoint.user, endpoint.secret),
                timeout=timeout,
                transport=transport,
                verify=tls_context(),
                follow_redirects=False,
                headers={"Accept": "application/json", "User-Agent": "mutum-copilot"},
            )
        except (httpx.InvalidURL, ValueError):
            raise NotConfiguredError(endpoint.system, "endereço do servidor inválido") from None

    def __enter__(self) -> Http:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        write: bool,
    ) -> httpx.Response:
        """One request; a read is tried again once after a network failure or a 5xx."""
        import httpx

        content = json.dumps(dict(body), ensure_ascii=False).encode() if body is not None else None
        all_headers = dict(headers or {})
        if content is not None:
            all_headers["Content-Type"] = "application/json"
        attempts = 1 if write else 2
        for attempt in range(1, attempts + 1):
            try:
                self.requests += 1
                response = self._client.request(
                    method, path.lstrip("/"), content=content, headers=all_headers, params=params
                )
            except (httpx.TransportError, httpx.InvalidURL) as exc:
                if attempt < attempts:
                    continue
                raise self._failure(exc, write) from None
            if response.status_code >= 500 and attempt < attempts:
                continue
            if len(response.content) > MAX_REPLY_BYTES:
                raise MalformedReplyError(self.endpoint.system, "resposta grande demais")
            return response
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _failure(self, exc: Exception, write: bool) -> IntegrationError:
        """The network failure in words; a write that may have arrived says so."""
        import httpx

        system, where = self.endpoint.system, f"{self.endpoint.system} ({self.endpoint.host})"
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
            words = f"não respondeu em {self.endpoint.timeout:g} s"
        else:
            words = _network_words(exc)
        if write and not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            return WriteUncertainError(
                system,
                f"o pedido foi enviado a {where}, mas {words}; confira no sistema se foi "
                "gravado antes de tentar de novo (nada foi reenviado)",
            )
        return UnreachableError(system, f"inacessível em {where}: {words}")


def _network_words(exc: Exception) -> str:
    import httpx

    text = str(exc).lower()
    if "name or service" in text or "nodename" in text or "getaddrinfo" in text:
        return "o nome do servidor não foi encontrado (DNS)"
    if "refused" in text:
        return "a conexão foi recusada"
    if "ssl" in text or "certificate" in text:
        return "falha no certificado TLS do servidor"
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "endereço inválido (use http:// ou https://)"
    return "falha de rede"


def json_reply(response: httpx.Response, system: str) -> Any:
    """The reply's JSON, or a MalformedReplyError (IXC answers errors as HTML pages too)."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise MalformedReplyError(
            system, f"resposta que não é JSON (HTTP {response.status_code})"
        ) from None
