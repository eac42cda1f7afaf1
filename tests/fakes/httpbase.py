"""What both fakes share: a ThreadingHTTPServer on 127.0.0.1:0, Basic auth, faults, a log."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

F = TypeVar("F", bound="FakeServer")


@dataclass
class Seen:
    """One request as the fake received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, data: Any, *, ascii_only: bool = True) -> Reply:
    return Reply(status, json.dumps(data, ensure_ascii=ascii_only).encode())


@dataclass
class Faults:
    """Switches a test flips to make the server misbehave."""

    #: Seconds to wait before every reply.
    slow: float = 0.0
    #: Answer this many next requests with HTTP 500 (then behave again).
    fail_next: int = 0
    #: Answer every request with a 200 whose body is not JSON.
    malformed: bool = False
    #: Answer every request with this HTTP status and an empty body (e.g. 403).
    status: int = 0


class FakeServer:
    """Base of the fakes: subclasses implement :meth:`handle`."""

    def __init__(self, user: str, secret: str) -> None:
        self.user = user
        self.secret = secret
        self.faults = Faults()
        self.seen: list[Seen] = []
        self.lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------
    def start(self) -> FakeServer:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self.dispatch))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- requests ------------------------------------------------------------------
    def authorized(self, headers: dict[str, str]) -> bool:
        expected = base64.b64encode(f"{self.user}:{self.secret}".encode()).decode()
        return headers.get("authorization", "") == f"Basic {expected}"

    def dispatch(self, seen: Seen) -> Reply:
        with self.lock:
            self.seen.append(seen)
            faults = self.faults
            failing = faults.fail_next > 0
            if failing:
                faults.fail_next -= 1
        if faults.slow:
            time.sleep(faults.slow)
        if failing:
            return self.server_error()
        if faults.status:
            return Reply(faults.status, b"", "text/html")
        if faults.malformed:
            return Reply(200, b'{"page": "1", "total": ', "application/json")
        return self.handle(seen)

    def handle(self, seen: Seen) -> Reply:
        raise NotImplementedError

    def server_error(self) -> Reply:
        return Reply(500, b"Internal Server Error", "text/plain")

    def requests_to(self, method: str, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.method == method and s.path == path]


def _handler_for(dispatch: Callable[[Seen], Reply]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms wait

        def log_message(self, format: str, *args: Any) -> None:  # quiet tests
            return

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw
            headers = {k.lower(): v for k, v in self.headers.items()}
            seen = Seen(self.command, parts.path, parse_qs(parts.query), headers, body)
            reply = dispatch(seen)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
                pass

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


def closed_port_url() -> str:
    """An http://127.0.0.1:<port> where nobody listens: connection refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def serving(fake: F) -> Iterator[F]:
    """The fake started on 127.0.0.1 for the ``with`` block, stopped after."""
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
