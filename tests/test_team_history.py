"""The seat's real history as the team sync's source: schema 4, the adapter, the search log.

Calls are played through LiveCall on the fixture pack into a real SQLite history;
the adapter reads them through its own connection, as the sync thread does.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from team_calls import CPF, EXITS, OS, PHONE, RESOLVED, new_call, seat_night

from mutum_copilot.call_records import PERSONAL_PLACEHOLDER
from mutum_copilot.clock import FrozenClock
from mutum_copilot.history import SCHEMA_VERSION, HistoryStore
from mutum_copilot.history_schema import CALLS, INDEXES, STEPS, SUBJECTS
from mutum_copilot.search_log import SETTLE_S, SearchContext, SearchLog
from mutum_copilot.team.history_source import HistorySource
from mutum_copilot.team.records import SyncBatch
from mutum_copilot.team.store import TeamStore

BRT = ZoneInfo("America/Sao_Paulo")
NIGHT = dt.datetime(2026, 12, 1, 22, 0, tzinfo=BRT)


def history(tmp_path: Path, name: str = "history.sqlite3") -> HistoryStore:
    return HistoryStore(tmp_path / name)


# --- schema 4 -------------------------------------------------------------------------
def test_a_schema_3_file_is_migrated_to_4_and_everything_it_held_is_pending(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v3.sqlite3"
    with sqlite3.connect(path) as raw:  # a file as the copilot of schema 3 left it
        for statement in (CALLS, SUBJECTS, STEPS, *INDEXES):
            raw.execute(statement)
        raw.execute(
            "INSERT INTO calls (uid, started_at, updated_at, finished_at, agent, revision)"
            " VALUES ('0123456789abcdef0123456789abcdef', '2026-12-01T01:00:00+00:00',"
            " '2026-12-01T01:05:00+00:00', '2026-12-01T01:05:00+00:00', 'Ana', 3)"
        )
        raw.execute("PRAGMA user_version = 3")
    HistoryStore(path).close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert raw.execute("SELECT synced_revision FROM calls").fetchall() == [(0,)]
        seat = raw.execute("SELECT value FROM meta WHERE key = 'seat_id'").fetchone()[0]
    source = HistorySource(path)
    batch = source.pending(10)
    assert [(c.uid, c.revision, c.agent, c.seat) for c in batch.calls] == [
        ("0123456789abcdef0123456789abcdef", 3, "Ana", seat)
    ]
    HistoryStore(path).close()  # opened again: same seat, nothing re-migrated
    assert HistorySource(path).seat == seat and len(seat) == 32


# --- the adapter ----------------------------------------------------------------------
def test_played_calls_leave_as_records_minimised_with_their_exits_and_states(
    tmp_path: Path,
) -> None:
    store = history(tmp_path)
    resolved, os_call = seat_night(store, "Ana", NIGHT, [RESOLVED, OS])
    batch = HistorySource(store.path).pending(10)
    calls = {c.uid: c for c in batch.calls}
    assert set(calls) == {resolved.uid, os_call.uid}
    for live, answers in ((resolved, RESOLVED), (os_call, OS)):
        call = calls[live.uid]
        (subject,) = call.subjects
        assert (subject.exit_node, subject.outcome) == EXITS[answers]
        assert call.finished_at is not None and call.agent == "Ana" and call.pack_id
        assert [s.seq for s in call.steps] == list(range(len(call.steps)))
        assert all(s.n1_state and s.call_center_state for s in call.steps)
        texts = " ".join(f"{s.answer} {s.value}" for s in call.steps)
        assert CPF not in texts and "***.982.247-**" in texts
        assert "99988" not in texts
    assert any(s.answer == PERSONAL_PLACEHOLDER for s in calls[os_call.uid].steps)
    assert "99988-7766" in calls[os_call.uid].note_text  # the store drops it unless opted in
    assert any(s.automatic for c in calls.values() for s in c.steps)  # the clock check
    assert not all(s.automatic for c in calls.values() for s in c.steps)


def test_mark_synced_keeps_a_call_saved_again_meanwhile_pending(tmp_path: Path) -> None:
    store = history(tmp_path)
    clock = FrozenClock(NIGHT)
    call = new_call(store, clock, "Ana")
    call.start_flow("senha-wifi")
    call.enter("Maria Souza")
    call.enter(CPF)  # in progress: pending too
    source = HistorySource(store.path)
    first = source.pending(10)
    (sent,) = first.calls
    call.enter("4821")  # saved again while the batch was on its way
    source.mark_synced(first)
    (again,) = source.pending(10).calls
    assert again.uid == sent.uid and again.revision > sent.revision
    source.mark_synced(SyncBatch((again,)))
    assert source.pending(10).empty and source.count_pending() == 0
    source.mark_synced(first)  # an old batch acknowledged late changes nothing
    assert source.pending(10).empty


def test_pushed_twice_from_the_real_history_the_store_holds_each_call_once(
    tmp_path: Path, team_db: object
) -> None:
    url = team_db.url  # type: ignore[attr-defined]
    store = history(tmp_path)
    seat_night(store, "Ana", NIGHT, [RESOLVED, OS, RESOLVED])
    source = HistorySource(store.path)
    with psycopg.connect(url, autocommit=True) as conn:
        from mutum_copilot.team.schema import ensure_schema

        ensure_schema(conn)
        team = TeamStore(conn)
        batch = source.pending(200)
        assert team.push(batch).calls_written == 3
        assert team.push(batch).calls_unchanged == 3  # a repeated push changes nothing
        source.mark_synced(batch)
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM calls), (SELECT count(*) FROM subjects),"
            " (SELECT count(*) FROM steps), (SELECT count(*) FROM calls WHERE note_text"
            " IS NOT NULL)"
        ).fetchone()
    assert counts[0] == 3 and counts[1] == 3 and counts[2] > 20 and counts[3] == 0
    assert source.pending(200).empty


# --- the FAQ search log ---------------------------------------------------------------
def _log(store: HistoryStore | None, clock: FrozenClock) -> SearchLog:
    return SearchLog(store, clock, lambda: SearchContext("Ana", "fixture", "1", None))


def _searches(path: Path) -> list[sqlite3.Row]:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    return db.execute("SELECT * FROM faq_searches ORDER BY at, rowid").fetchall()


def test_a_search_typed_key_by_key_is_one_record_with_its_final_query(tmp_path: Path) -> None:
    store = history(tmp_path)
    clock = FrozenClock(NIGHT)
    log = _log(store, clock)
    for n in range(1, len("segunda via boleto") + 1):
        clock.advance(seconds=0.2)
        log.typed("segunda via boleto"[:n], ["boleto"], n > 10)
    assert _searches(store.path) == []  # nothing written while typing
    log.opened("boleto")
    (row,) = _searches(store.path)
    assert row["query"] == "segunda via boleto" and row["answered"] == 1
    assert row["opened"] == '["boleto"]' and row["shown"] == '["boleto"]'
    assert len(row["uid"]) == 32


def test_a_new_query_or_a_pause_settles_the_search_before_it(tmp_path: Path) -> None:
    store = history(tmp_path)
    clock = FrozenClock(NIGHT)
    log = _log(store, clock)
    log.typed("tem tv a cabo", [], False)
    clock.advance(seconds=1)
    log.typed("wifi", ["senha-wifi"], True)  # another subject: the first is settled
    clock.advance(seconds=SETTLE_S + 1)
    log.typed("wifi lento", ["senha-wifi"], True)  # typed on after a pause: a new search
    log.flush()
    rows = _searches(store.path)
    assert [(r["query"], r["answered"], r["opened"]) for r in rows] == [
        ("tem tv a cabo", 0, "[]"),
        ("wifi", 1, "[]"),
        ("wifi lento", 1, "[]"),
    ]
    assert len({r["uid"] for r in rows}) == 3


def test_searches_are_scrubbed_and_synced_with_what_was_opened(tmp_path: Path) -> None:
    store = history(tmp_path)
    clock = FrozenClock(NIGHT)
    log = _log(store, clock)
    log.typed(f"cliente {CPF} tel {PHONE} sem internet", ["sem-internet"], True)
    log.flush()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite3*"))
    assert b"529.982.247-25" not in raw and b"99988-7766" not in raw
    source = HistorySource(store.path)
    (search,) = source.pending(10).searches
    assert "***.982.247-**" in search.query and "99988" not in search.query
    source.mark_synced(source.pending(10))
    log.opened("sem-internet")  # opened after it was recorded: same search, sent again
    (again,) = source.pending(10).searches
    assert again.uid == search.uid and again.opened == ("sem-internet",)
    assert again.revision > search.revision


def test_without_a_history_the_log_keeps_nothing_and_never_fails() -> None:
    clock = FrozenClock(NIGHT)
    log = _log(None, clock)
    log.typed("boleto", ["boleto"], True)
    log.opened("boleto")
    log.flush()


@pytest.mark.parametrize("short", ["", "a", "wi"])
def test_a_query_too_short_is_not_a_search(tmp_path: Path, short: str) -> None:
    store = history(tmp_path)
    log = _log(store, FrozenClock(NIGHT))
    log.typed(short, [], False)
    log.flush()
    assert _searches(store.path) == []
