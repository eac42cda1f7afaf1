"""The call history on a real SQLite file: saves, resumes, concurrent writers, purge."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mutum_copilot.history import HistoryError, HistoryStore, StepRecord

T0 = dt.datetime(2026, 11, 24, 22, 0, tzinfo=dt.UTC)


def store_at(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "data" / "history.sqlite3")


def test_a_call_is_saved_step_by_step_and_finished(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    call = store.start_call(T0, agent="Ana", pack_id="mutum-fibra")
    session = {"flow_id": "sem-conexao", "answers": [{"node": "bloqueio", "choice": 1}]}
    store.save_call(
        call,
        updated_at=T0 + dt.timedelta(seconds=30),
        session=session,
        steps=[StepRecord("bloqueio", "Bloqueio", "Não", "", "")],
        notes="cliente irritado",
        flow_id="sem-conexao",
        flow_title="Sem conexão",
    )
    record = store.get(call)
    assert record is not None and not record.finished
    assert record.session == session and record.notes == "cliente irritado"
    assert [s.node_id for s in store.steps(call)] == ["bloqueio"]

    store.finish_call(
        call,
        finished_at=T0 + dt.timedelta(minutes=5),
        outcome="os_n1",
        urgency="normal",
        note_text="OS",
    )
    record = store.get(call)
    assert record is not None and record.finished and record.outcome == "os_n1"
    assert [r.id for r in store.recent()] == [call]


def test_undo_replaces_the_stored_path(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    call = store.start_call(T0)
    three = [StepRecord(f"n{i}") for i in range(3)]
    store.save_call(call, updated_at=T0, session={"a": 3}, steps=three, notes="")
    store.save_call(call, updated_at=T0, session={"a": 2}, steps=three[:2], notes="")
    assert [s.node_id for s in store.steps(call)] == ["n0", "n1"]


def test_unfinished_call_of_a_dead_process_is_resumable(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    script = textwrap.dedent(
        f"""
        import datetime as dt
        from mutum_copilot.history import HistoryStore
        store = HistoryStore({str(db)!r})
        call = store.start_call(dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc))
        store.save_call(call, updated_at=dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc),
                        session={{"flow_id": "x"}}, steps=[], notes="half")
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    record = HistoryStore(db).resumable_call()
    assert record is not None and record.notes == "half"


def test_a_live_copilots_call_is_not_offered_to_another(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    mine = HistoryStore(db)
    call = mine.start_call(T0)
    mine.save_call(call, updated_at=T0, session={"flow_id": "x"}, steps=[], notes="")
    other = HistoryStore(db)  # a second copilot open at the same time
    assert other.resumable_call() is None
    assert mine.resumable_call() is not None
    mine.close()  # the first copilot is closed: now the other may take the call over
    record = other.resumable_call()
    assert record is not None and record.id == call
    other.discard_call(call)
    assert other.resumable_call() is None


def test_a_schema_1_database_is_migrated(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "old.sqlite3"
    old = sqlite3.connect(db)
    old.execute(
        "CREATE TABLE calls (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, updated_at TEXT"
        " NOT NULL, finished_at TEXT, flow_id TEXT NOT NULL DEFAULT '', flow_title TEXT NOT NULL"
        " DEFAULT '', outcome TEXT NOT NULL DEFAULT '', urgency TEXT NOT NULL DEFAULT '', agent"
        " TEXT NOT NULL DEFAULT '', pack_id TEXT NOT NULL DEFAULT '', session_json TEXT NOT NULL"
        " DEFAULT '{}', notes TEXT NOT NULL DEFAULT '', note_text TEXT NOT NULL DEFAULT '',"
        " owner_pid INTEGER NOT NULL DEFAULT 0, owner_host TEXT NOT NULL DEFAULT '', discarded"
        " INTEGER NOT NULL DEFAULT 0)"
    )
    old.execute(
        "INSERT INTO calls (started_at, updated_at, session_json) VALUES ('2026-11-24T"
        "22:00:00+00:00', '2026-11-24T22:00:00+00:00', '{\"flow_id\": \"x\"}')"
    )
    old.commit()
    old.close()
    store = HistoryStore(db)
    record = store.resumable_call()
    assert record is not None and record.uid and record.revision == 0
    (subject,) = record.session["subjects"]  # the old bare session, now the call's subject
    assert subject["flow_id"] == "x" and len(subject["uid"]) == 32
    assert [s.flow_id for s in store.subjects(record.id)] == ["x"]


def test_purge_and_since(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    old = store.start_call(T0 - dt.timedelta(days=100))
    new = store.start_call(T0)
    assert [r.id for r in store.since(T0 - dt.timedelta(days=1))] == [new]
    assert store.purge(T0 - dt.timedelta(days=90)) == 1
    assert store.get(old) is None and store.get(new) is not None


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    HistoryStore(db).close()
    worker = textwrap.dedent(
        f"""
        import datetime as dt, sys
        from mutum_copilot.history import HistoryStore, StepRecord
        store = HistoryStore({str(db)!r})
        now = dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc)
        call = store.start_call(now, agent=sys.argv[1])
        steps = []
        for i in range(300):
            steps.append(StepRecord(f"n{{i}}", value=str(i)))
            store.save_call(call, updated_at=now, session={{"n": i}}, steps=steps, notes=str(i))
        store.finish_call(call, finished_at=now, outcome="resolved", urgency="", note_text="ok")
        print(call)
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", worker, name], stdout=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    ids = [int(p.communicate(timeout=120)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    store = HistoryStore(db)
    for call in ids:
        record = store.get(call)
        assert record is not None and record.finished and record.session == {"n": 299}
        assert len(store.steps(call)) == 300
    check = store._db.execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"


def test_unwritable_folder_raises_a_history_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(HistoryError):
        HistoryStore(blocker / "h.sqlite3")


def test_naive_times_are_refused(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    with pytest.raises(ValueError):
        store.start_call(dt.datetime(2026, 1, 1))
