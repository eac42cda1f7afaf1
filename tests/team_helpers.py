"""Test-side parts of the team store tests.

- :class:`SqliteOutbox`: a ``SyncSource`` over a plain SQLite file. It is a
  STAND-IN for the adapter over the seat's history v3 (next phase): it keeps
  each call/search at its latest revision plus the revision the store is known
  to hold, exactly the contract the adapter must honour.
- :func:`build_call`: a call from a compact spec (offsets in seconds).
- :class:`TcpProxy`: a real TCP relay on 127.0.0.1 whose "network" can be cut
  (every connection reset, new ones refused) and restored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import socket
import sqlite3
import struct
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mutum_copilot.team.records import (
    FaqSearch,
    SyncBatch,
    TeamCall,
    TeamStep,
    TeamSubject,
    new_uid,
)


# --- a record <-> JSON codec (the outbox stores bodies as JSON) --------------------------
def _time(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def call_to_json(call: TeamCall) -> str:
    return json.dumps(_encode(asdict(call)))


def call_from_json(text: str) -> TeamCall:
    data = json.loads(text)
    subjects = tuple(
        TeamSubject(**{**s, "started_at": _time(s["started_at"]), "ended_at": _time(s["ended_at"])})
        for s in data.pop("subjects")
    )
    steps = tuple(TeamStep(**{**s, "at": _time(s["at"])}) for s in data.pop("steps"))
    for name in ("started_at", "updated_at", "finished_at"):
        data[name] = _time(data[name])
    return TeamCall(**data, subjects=subjects, steps=steps)


def search_to_json(search: FaqSearch) -> str:
    return json.dumps(_encode(asdict(search)))


def search_from_json(text: str) -> FaqSearch:
    data = json.loads(text)
    data["at"] = _time(data["at"])
    data["shown"], data["opened"] = tuple(data["shown"]), tuple(data["opened"])
    return FaqSearch(**data)


# --- the stand-in source ---------------------------------------------------------------
class SqliteOutbox:
    """A SyncSource over a SQLite file: the seat writes items, the sync reads what is pending."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA busy_timeout = 30000")
        for table in ("calls", "searches"):
            self.db.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (uid TEXT PRIMARY KEY, revision INTEGER,"
                " synced INTEGER NOT NULL DEFAULT 0, saved_at REAL, body TEXT)"
            )

    def close(self) -> None:
        self.db.close()

    def save_call(self, call: TeamCall) -> None:
        self._save("calls", call.uid, call.revision, call_to_json(call))

    def save_search(self, search: FaqSearch) -> None:
        self._save("searches", search.uid, search.revision, search_to_json(search))

    def _save(self, table: str, uid: str, revision: int, body: str) -> None:
        self.db.execute(
            f"INSERT INTO {table} (uid, revision, saved_at, body) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (uid) DO UPDATE SET revision = excluded.revision,"
            " saved_at = excluded.saved_at, body = excluded.body",
            (uid, revision, time.time(), body),
        )

    def pending(self, limit: int) -> SyncBatch:
        calls = self.db.execute(
            "SELECT body FROM calls WHERE synced < revision ORDER BY saved_at LIMIT ?", (limit,)
        ).fetchall()
        searches = self.db.execute(
            "SELECT body FROM searches WHERE synced < revision ORDER BY saved_at LIMIT ?",
            (limit,),
        ).fetchall()
        return SyncBatch(
            tuple(call_from_json(b) for (b,) in calls),
            tuple(search_from_json(b) for (b,) in searches),
        )

    def mark_synced(self, batch: SyncBatch) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        for table, items in (("calls", batch.calls), ("searches", batch.searches)):
            self.db.executemany(
                f"UPDATE {table} SET synced = max(synced, ?) WHERE uid = ?",
                [(item.revision, item.uid) for item in items],
            )
        self.db.execute("COMMIT")

    def count_pending(self) -> int:
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM calls WHERE synced < revision)"
            " + (SELECT count(*) FROM searches WHERE synced < revision)"
        ).fetchone()
        return int(row[0])

    def revisions(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT uid, revision FROM calls").fetchall())


# --- building calls from a compact spec ------------------------------------------------
@dataclass(frozen=True)
class StepSpec:
    at: int
    node: str
    title: str = ""
    automatic: bool = False
    answer: str = ""


@dataclass(frozen=True)
class SubjectSpec:
    flow: str
    title: str
    start: int
    end: int | None = None
    outcome: str = ""
    urgency: str = ""
    exit: str = ""
    steps: Sequence[StepSpec] = field(default=())


def build_call(
    agent: str,
    start: dt.datetime,
    subjects: Sequence[SubjectSpec],
    *,
    finished: int | None = None,
    discarded: bool = False,
    pack_id: str = "mutum-fibra",
    revision: int = 1,
    n1: str = "closed",
    cc: str = "on_shift",
    uid: str | None = None,
    seat: str = "",
    note_text: str = "",
) -> TeamCall:
    """A call whose times are ``start`` plus offsets in seconds; every step in states n1/cc."""

    def at(offset: int | None) -> dt.datetime | None:
        return None if offset is None else start + dt.timedelta(seconds=offset)

    subject_records, steps = [], []
    for seq, spec in enumerate(subjects):
        subject_start = at(spec.start)
        assert subject_start is not None
        subject_records.append(
            TeamSubject(
                new_uid(),
                seq,
                spec.flow,
                subject_start,
                spec.title,
                spec.outcome,
                spec.urgency,
                spec.exit,
                at(spec.end),
            )
        )
        for index, step in enumerate(spec.steps):
            moment = at(step.at)
            assert moment is not None
            steps.append(
                TeamStep(
                    new_uid(),
                    seq,
                    index,
                    moment,
                    step.node,
                    step.title,
                    step.answer,
                    n1_state=n1,
                    call_center_state=cc,
                    automatic=step.automatic,
                )
            )
    last = max([0, finished or 0, *(s.end or s.start for s in subjects)])
    return TeamCall(
        uid or new_uid(),
        revision,
        start,
        start + dt.timedelta(seconds=last),
        agent=agent,
        pack_id=pack_id,
        pack_version="2026.12.01",
        finished_at=at(finished),
        discarded=discarded,
        seat=seat,
        subjects=tuple(subject_records),
        steps=tuple(steps),
        note_text=note_text,
    )


# --- a network that can be cut ---------------------------------------------------------
class TcpProxy:
    """Relay 127.0.0.1:<port> to ``target``; ``cut()`` resets everything, ``restore()``."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for attempt in range(50):  # a relay thread may still hold the port for a moment
            try:
                listener.bind(("127.0.0.1", self.port))
                break
            except OSError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._open = self._open, []
        if listener is not None:
            listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.shutdown(socket.SHUT_RD)  # wakes the relay thread blocked in recv()
            with contextlib.suppress(OSError):
                sock.close()  # linger 0: the peer gets a reset, as when a route disappears

    close = cut

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
