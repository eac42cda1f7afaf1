"""The background sync against a real PostgreSQL: seats at once, a server stopped, a network cut.

Seats are separate processes (tests/team_seat.py) over a SQLite outbox, the
stand-in for the history adapter of the next phase. Every test checks the
store against the outboxes: each call exactly once, at its last revision,
with exactly its subjects and steps.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pg
import psycopg
import pytest
from conftest import TeamDb
from team_helpers import SqliteOutbox, SubjectSpec, TcpProxy, build_call, wait_until

from mutum_copilot.team.connect import TeamTarget
from mutum_copilot.team.schema import LATEST, ensure_schema
from mutum_copilot.team.store import TeamStore
from mutum_copilot.team.sync import SyncWorker

TESTS = Path(__file__).resolve().parent
SEAT = TESTS / "team_seat.py"
T0 = dt.datetime(2026, 12, 1, 22, 0, tzinfo=dt.UTC)


def seat_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["HOME"] = str(tmp_path / "home")
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        folder = tmp_path / "xdg" / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[f"XDG_{name}_HOME"] = str(folder)
    return env


def start_seat(tmp_path: Path, outbox: Path, url: str, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, str(SEAT), "--outbox", str(outbox), "--url", url, *args]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=seat_env(tmp_path)
    )


def finish(seat: subprocess.Popen[str], timeout: float = 240) -> dict[str, Any]:
    out, err = seat.communicate(timeout=timeout)
    assert seat.returncode == 0, f"seat failed ({seat.returncode}):\n{out}\n{err}"
    return dict(json.loads(out.strip().splitlines()[-1]))


def expected(outboxes: list[Path]) -> dict[str, tuple[int, int, int]]:
    """uid -> (revision, subjects, steps) as the seats saved them last."""
    found: dict[str, tuple[int, int, int]] = {}
    for path in outboxes:
        box = SqliteOutbox(path)
        for uid, revision, body in box.db.execute("SELECT uid, revision, body FROM calls"):
            data = json.loads(body)
            found[uid] = (revision, len(data["subjects"]), len(data["steps"]))
        box.close()
    return found


def arrived(url: str) -> dict[str, tuple[int, int, int]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.uid::text, c.revision,"
            " (SELECT count(*) FROM subjects s WHERE s.call_uid = c.uid),"
            " (SELECT count(*) FROM steps t WHERE t.call_uid = c.uid) FROM calls c"
        ).fetchall()
    return {uid.replace("-", ""): (rev, subjects, steps) for uid, rev, subjects, steps in rows}


def count_calls(url: str) -> int:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            row = conn.execute("SELECT count(*) FROM calls").fetchone()
            return int(row[0]) if row else 0
    except psycopg.errors.UndefinedTable:  # no seat got through yet to create the schema
        return 0
    except psycopg.Error:
        return -1


# --- the worker in this process --------------------------------------------------------
def _worker(outbox: Path, open_store: Any) -> SyncWorker:
    return SyncWorker(
        lambda: SqliteOutbox(outbox),
        open_store,
        idle_poll_s=0.1,
        backoff_min_s=0.05,
        backoff_max_s=0.2,
    ).start()


def _save_calls(outbox: Path, n: int) -> None:
    box = SqliteOutbox(outbox)
    spec = SubjectSpec("sem-conexao", "Sem conexão", 0, 60, "resolved", "", "fim")
    for i in range(n):
        box.save_call(build_call("Ana", T0 + dt.timedelta(minutes=i), [spec], finished=60))
    box.close()


def test_the_worker_pushes_what_the_seat_saved(tmp_path: Path, team_db: TeamDb) -> None:
    outbox = tmp_path / "seat.sqlite3"
    _save_calls(outbox, 7)
    worker = _worker(outbox, lambda: TeamStore.open(TeamTarget(team_db.url)))
    try:
        assert wait_until(lambda: count_calls(team_db.url) == 7, 30)
        assert wait_until(lambda: worker.status.state == "idle", 10)
        assert worker.status.pushed_calls == 7
    finally:
        assert worker.stop()
    assert worker.status.state == "stopped"


def test_offline_the_worker_backs_off_and_catches_up(tmp_path: Path, team_db: TeamDb) -> None:
    info = psycopg.conninfo.conninfo_to_dict(team_db.admin_url)
    if str(info.get("host", "")).startswith("/"):
        pytest.skip("the proxy relays TCP")
    proxy = TcpProxy((str(info["host"]), int(info.get("port", 5432))))
    proxy.cut()
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/{team_db.name}"
    outbox = tmp_path / "seat.sqlite3"
    _save_calls(outbox, 5)
    worker = _worker(outbox, lambda: TeamStore.open(TeamTarget(url)))
    try:
        assert wait_until(lambda: worker.status.failures >= 3, 30)
        status = worker.status
        assert status.state == "offline" and "base da equipe indisponível" in status.message
        worker.wake()  # the seat's call: returns at once, offline or not
        assert count_calls(team_db.url) == 0
        proxy.restore()
        assert wait_until(lambda: count_calls(team_db.url) == 5, 30)
        assert wait_until(lambda: worker.status.state == "idle", 10)
        assert worker.status.failures == 0 and worker.status.message == ""
    finally:
        worker.stop()
        proxy.close()


def test_a_newer_store_stops_the_sync_with_a_message(tmp_path: Path, team_db: TeamDb) -> None:
    with psycopg.connect(team_db.url, autocommit=True) as conn:
        ensure_schema(conn)
        conn.execute("INSERT INTO schema_version VALUES (%s, 'futuro')", (LATEST + 1,))
    outbox = tmp_path / "seat.sqlite3"
    _save_calls(outbox, 1)
    worker = _worker(outbox, lambda: TeamStore.open(TeamTarget(team_db.url)))
    assert wait_until(lambda: worker.status.state == "refused", 30)
    assert "atualize o mutum-copilot" in worker.status.message
    assert worker.stop(timeout=5)  # the thread ended by itself
    assert worker.status.state == "refused"


def test_a_local_history_that_cannot_be_read_is_retried(tmp_path: Path, team_db: TeamDb) -> None:
    folder = tmp_path / "not-yet"
    outbox = folder / "seat.sqlite3"  # its folder does not exist: sqlite3 cannot open it
    worker = _worker(outbox, lambda: TeamStore.open(TeamTarget(team_db.url)))
    try:
        assert wait_until(lambda: worker.status.failures >= 2, 30)
        assert "histórico local" in worker.status.message
        folder.mkdir()
        _save_calls(outbox, 2)
        assert wait_until(lambda: count_calls(team_db.url) == 2, 30)
    finally:
        worker.stop()


# --- seats as processes ----------------------------------------------------------------
@pytest.mark.parametrize(("seats", "calls"), [(2, 40), (20, 12)])
def test_seats_pushing_at_once_deliver_every_call_once(
    tmp_path: Path, team_db: TeamDb, seats: int, calls: int
) -> None:
    outboxes = [tmp_path / f"seat-{i}.sqlite3" for i in range(seats)]
    running = [
        start_seat(
            tmp_path,
            box,
            team_db.url,
            "--seat",
            f"s{i}",
            "--seed",
            str(i),
            "--calls",
            str(calls),
            "--saves",
            "3",
            "--searches",
            "1",
            "--batch",
            "7",
        )
        for i, box in enumerate(outboxes)
    ]
    results = [finish(seat) for seat in running]
    assert all(r["pending"] == 0 for r in results)
    want = expected(outboxes)
    assert len(want) == seats * calls
    assert arrived(team_db.url) == want
    with psycopg.connect(team_db.url) as conn:
        searches = conn.execute("SELECT count(*), count(DISTINCT uid) FROM faq_searches").fetchone()
        assert searches == (seats * calls, seats * calls)
        leaked = conn.execute("SELECT count(*) FROM faq_searches WHERE query LIKE '%%99988%%'")
        assert leaked.fetchone() == (0,)


def test_two_copilots_syncing_one_history_never_roll_a_call_back(
    tmp_path: Path, team_db: TeamDb
) -> None:
    """Two copilots on one machine share the history: both push the same calls."""
    outbox = tmp_path / "shared.sqlite3"
    SqliteOutbox(outbox).close()
    # one of them on a loaded machine: what it read is often old when it pushes it
    done = tmp_path / "taking-done"
    other = start_seat(
        tmp_path,
        outbox,
        team_db.url,
        "--sync-only",
        "--until-file",
        str(done),
        "--batch",
        "2",
        "--slow-read",
        "0.05",
    )
    taking = start_seat(
        tmp_path,
        outbox,
        team_db.url,
        "--calls",
        "80",
        "--saves",
        "6",
        "--pause",
        "0.003",
        "--batch",
        "2",
    )
    finish(taking)
    done.touch()
    assert finish(other)["batches"] > 0  # it pushed too (what the guard refused is not counted)
    assert arrived(team_db.url) == expected([outbox])


def test_postgres_stopped_mid_sync_loses_and_doubles_nothing(
    tmp_path: Path, own_pg_server: pg.PgServer
) -> None:
    name = pg.create_database(own_pg_server.admin_url)
    url = pg.url_for(own_pg_server.admin_url, name)
    outbox = tmp_path / "seat.sqlite3"
    seat = start_seat(
        tmp_path,
        outbox,
        url,
        "--calls",
        "300",
        "--saves",
        "3",
        "--batch",
        "4",
        "--pause",
        "0.004",
        "--wait",
        "180",
    )
    assert wait_until(lambda: count_calls(url) >= 20, 60), "the seat never started syncing"
    own_pg_server.stop("immediate")  # as a crash: every connection dropped mid-transaction
    time.sleep(2)
    own_pg_server.start()
    result = finish(seat)
    assert result["pending"] == 0
    want = expected([outbox])
    assert len(want) == 300
    assert arrived(url) == want


def test_a_shift_without_network_then_the_seat_catches_up(tmp_path: Path, team_db: TeamDb) -> None:
    info = psycopg.conninfo.conninfo_to_dict(team_db.admin_url)
    if str(info.get("host", "")).startswith("/"):
        pytest.skip("the proxy relays TCP")
    proxy = TcpProxy((str(info["host"]), int(info.get("port", 5432))))
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/{team_db.name}"
    outbox = tmp_path / "seat.sqlite3"
    # 160 calls, one every 3 minutes of call-center time: a whole night's shift
    seat = start_seat(
        tmp_path,
        outbox,
        url,
        "--calls",
        "160",
        "--saves",
        "3",
        "--pause",
        "0.01",
        "--batch",
        "10",
        "--wait",
        "120",
    )
    try:
        assert wait_until(lambda: count_calls(team_db.url) >= 1, 60)
        proxy.cut()
        before = count_calls(team_db.url)

        def shift_done() -> bool:
            box = SqliteOutbox(outbox)
            try:
                return len(box.revisions()) == 160 and min(box.revisions().values()) == 3
            finally:
                box.close()

        assert wait_until(shift_done, 120), "the seat stopped taking calls without the network"
        time.sleep(1)
        assert count_calls(team_db.url) == before  # nothing went through the cut
        assert before < 160
        proxy.restore()
        result = finish(seat)
    finally:
        proxy.close()
    assert result["pending"] == 0 and result["state"] in ("idle", "stopped", "syncing")
    assert arrived(team_db.url) == expected([outbox])
