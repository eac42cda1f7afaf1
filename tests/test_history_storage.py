"""The history under storage surprises and concurrent copilots, on real files and processes.

- a real schema-2 file, written by the copilot before this schema, migrated in place;
- two copilots started together on one crashed call: exactly one resumes it;
- resume per pack: a call of another pack is neither offered nor discarded;
- the file deleted or replaced while the app runs: noticed, warned, rewritten;
- a write lock held by another process: the save gives up fast, warns, retries;
- owner-only files whatever the umask; folders others can write repaired or refused;
- rows planted with control characters come back clean.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.call import BUSY, LiveCall, call_to_resume, restore_problem
from mutum_copilot.clock import FrozenClock
from mutum_copilot.files import UnsafeFolderError, private_dir
from mutum_copilot.history import (
    SCHEMA_VERSION,
    UI_BUSY_TIMEOUT_MS,
    HistoryError,
    HistoryStore,
)
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.engine import Triage

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "packs" / "fixture"
V2_FILE = HERE / "data" / "history-v2.sqlite3"  # written by the copilot of schema 2
BRT = ZoneInfo("America/Sao_Paulo")
NIGHT = dt.datetime(2026, 11, 24, 23, 40, tzinfo=BRT)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


def live(pack: Pack, store: HistoryStore | None, clock: FrozenClock | None = None) -> LiveCall:
    clock = clock or FrozenClock(NIGHT)
    return LiveCall(Triage(pack, clock), store, clock, agent="Ana", pack_id=pack.id)


# --- migration ------------------------------------------------------------------------
def test_a_real_schema_2_file_is_migrated_in_place(tmp_path: Path, pack: Pack) -> None:
    db = tmp_path / "history.sqlite3"
    shutil.copy(V2_FILE, db)
    old = sqlite3.connect(db)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 2
    assert old.execute("SELECT value FROM steps WHERE node_id = 'abertura/contrato'").fetchall()
    old.close()

    store = HistoryStore(db)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    finished, crashed = sorted(store.recent(), key=lambda r: r.id)
    assert finished.finished and finished.outcome == "os_n1" and "99988-7766" in finished.note_text
    assert len({finished.uid, crashed.uid}) == 2 and all(
        len(r.uid) == 32 for r in (finished, crashed)
    )
    assert [s.flow_id for s in store.subjects(finished.id)] == ["sem-conexao"]
    steps = store.steps(crashed.id)
    assert all(len(s.uid) == 32 for s in steps)
    contract = next(s for s in steps if s.node_id == "abertura/contrato")
    assert contract.value == "***.444.777-**"  # a CPF typed as the contract, in clear in v2
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite3*"))
    store.close()

    record = call_to_resume(HistoryStore(db), {pack.id})
    assert record is not None and record.id == crashed.id
    call = live(pack, HistoryStore(db))
    view = call.resume(record)  # the v2 session, wrapped as a one-subject call, plays on
    assert view is not None and view.node_id == "abertura/area"
    assert call.values()["customer_name"] == "João Lima"
    assert call.notes == "ligar (65) 3308-4455"
    assert b"111.444.777-35" not in raw and b"11144477735" not in raw


def test_a_file_of_a_newer_copilot_is_refused_not_damaged(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    HistoryStore(db).close()
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA user_version = 9")
    with pytest.raises(HistoryError, match="newer copilot"):
        HistoryStore(db)


# --- two copilots, one crashed call ----------------------------------------------------
CLAIM = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from mutum_copilot.history import HistoryStore
    db, go, pack_id = sys.argv[1:4]
    store = HistoryStore(db)
    while not Path(go).exists():
        time.sleep(0.001)
    record = store.resumable_call({pack_id})
    print(json.dumps(record.id if record else None))
    sys.stdout.flush()
    time.sleep(0.5)  # still running while the other one looks
    """
)


def crashed_call(pack: Pack, db: Path) -> int:
    """A call of a copilot killed mid-call (a real process, really killed)."""
    script = textwrap.dedent(
        f"""
        import datetime as dt, os, signal
        from mutum_copilot.call import LiveCall
        from mutum_copilot.clock import FrozenClock
        from mutum_copilot.history import HistoryStore
        from mutum_copilot.packs.loader import load_pack
        from mutum_copilot.triage.engine import Triage
        pack = load_pack({str(FIXTURE)!r})
        clock = FrozenClock(dt.datetime(2026, 11, 25, 2, 40, tzinfo=dt.timezone.utc))
        call = LiveCall(Triage(pack, clock), HistoryStore({str(db)!r}), clock, pack_id=pack.id)
        call.start_flow("sem-conexao")
        call.enter("Maria Souza")
        print(call.call_id, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == -9, done.stderr
    return int(done.stdout)


@pytest.mark.parametrize("round_", range(3))
def test_two_copilots_started_together_never_both_resume_it(
    tmp_path: Path, pack: Pack, round_: int
) -> None:
    db, go = tmp_path / "history.sqlite3", tmp_path / "go"
    call_id = crashed_call(pack, db)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIM, str(db), str(go), pack.id],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    time.sleep(1.0)  # both opened the history; now they look at the same instant
    go.touch()
    claims = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        claims.append(json.loads(out))
    assert sorted(claims, key=str) == sorted([call_id, None], key=str)
    store = HistoryStore(db)
    record = store.get(call_id)
    assert record is not None and not record.discarded and not record.finished


# --- resume per pack -------------------------------------------------------------------
def test_a_call_of_another_pack_is_never_offered_nor_discarded(tmp_path: Path, pack: Pack) -> None:
    db = tmp_path / "history.sqlite3"
    mine = HistoryStore(db)
    other = LiveCall(Triage(pack, FrozenClock(NIGHT)), mine, FrozenClock(NIGHT), pack_id="outro")
    other.start_flow("sem-conexao")
    other.enter("Maria")
    mine.close()
    for _ in range(3):  # every start of a copilot of this pack
        store = HistoryStore(db)
        assert call_to_resume(store, {pack.id}) is None
        store.close()
    store = HistoryStore(db)
    record = call_to_resume(store, {"outro"})
    assert record is not None and not record.discarded and record.session["subjects"]


def test_a_call_that_cannot_be_restored_is_kept_not_discarded(tmp_path: Path, pack: Pack) -> None:
    db = tmp_path / "history.sqlite3"
    edited = tmp_path / "pack"
    shutil.copytree(FIXTURE, edited)
    first = HistoryStore(db)
    call = live(pack, first)
    call.start_flow("senha-wifi")
    call.enter("Maria")
    first.close()
    (edited / "flows" / "senha-wifi.yaml").unlink()  # the supervisor removed the flow
    newer = load_pack(edited)
    for _ in range(2):
        store = HistoryStore(db)
        record = call_to_resume(store, {newer.id})
        assert record is not None and "não existe mais" in restore_problem(
            Triage(newer, FrozenClock(NIGHT)), record
        )
        store.close()  # not resumed, not discarded: offered again next time
    assert not HistoryStore(db).get(record.id).discarded  # type: ignore[union-attr]


# --- the file deleted or replaced while the app runs ------------------------------------
@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_history_file_gone_from_under_the_app_is_noticed_and_rewritten(
    tmp_path: Path, pack: Pack, how: str
) -> None:
    db = tmp_path / "data" / "history.sqlite3"
    call = live(pack, HistoryStore(db))
    call.start_flow("sem-conexao")
    call.enter("Maria Souza")
    call.enter("529.982.247-25")
    for path in db.parent.glob("history.sqlite3*"):
        path.unlink()
    if how == "replaced":  # e.g. a backup restored over it, holding another call
        HistoryStore(db).close()
        intruder = HistoryStore(db)
        intruder.start_call(NIGHT, agent="outro")
        intruder.close()
    call.enter("4821")
    assert "apagado ou trocado" in call.warning and "gravada de novo" in call.warning
    store = HistoryStore(db)
    record = store.get_uid(call.uid)
    assert record is not None
    assert [s.node_id for s in store.steps(record.id)] == [
        "abertura/cliente",
        "abertura/cpf",
        "abertura/contrato",
    ]
    call.enter("20261124-0001")
    assert call.warning == ""  # said once


# --- a write lock held by another process ------------------------------------------------
HOLD = textwrap.dedent(
    """
    import sqlite3, sys, time
    from pathlib import Path
    db, held, release = sys.argv[1:4]
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    Path(held).touch()
    while not Path(release).exists():
        time.sleep(0.01)
    con.execute("COMMIT")
    """
)


def test_a_write_lock_held_elsewhere_never_holds_the_call_up(tmp_path: Path, pack: Pack) -> None:
    from mutum_copilot.config import Settings
    from mutum_copilot.services import build_services

    db, held, release = tmp_path / "h.sqlite3", tmp_path / "held", tmp_path / "release"
    services = build_services(
        Settings(), knowledge=FIXTURE, clock=FrozenClock(NIGHT), history_path=db,
        vault_path=tmp_path / "v.yaml",
    )  # fmt: skip
    assert services.history is not None and services.history.busy_timeout_ms == UI_BUSY_TIMEOUT_MS
    call = live(pack, services.history)
    call.start_flow("sem-conexao")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(held), str(release)])
    try:
        while not held.exists():
            time.sleep(0.01)
        waits = []
        for text in ("Maria Souza", "529.982.247-25", "4821"):
            began = time.monotonic()
            call.enter(text)
            waits.append(time.monotonic() - began)
            assert call.warning == BUSY and call.pending
        # liveness, not speed: the old store waited 10 s per save, holding the UI that long
        assert max(waits) < 5, waits
        assert call.retry_save() is False  # still held: still pending
    finally:
        release.touch()
        holder.wait(timeout=60)
    assert call.retry_save() is True and call.warning == ""
    store = HistoryStore(db)
    record = store.get_uid(call.uid)
    assert record is not None and len(store.steps(record.id)) == 3


def test_a_history_locked_at_start_still_opens(tmp_path: Path) -> None:
    db, held, release = tmp_path / "h.sqlite3", tmp_path / "held", tmp_path / "release"
    HistoryStore(db).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(held), str(release)])
    try:
        while not held.exists():
            time.sleep(0.01)
        store = HistoryStore(db, busy_timeout_ms=UI_BUSY_TIMEOUT_MS)  # no write needed to open
        assert store.recent() == []
    finally:
        release.touch()
        holder.wait(timeout=60)


# --- owner-only files ----------------------------------------------------------------------
UMASK_0 = textwrap.dedent(
    """
    import datetime as dt, os, sys
    from pathlib import Path
    os.umask(0)
    home = Path(sys.argv[1])
    from mutum_copilot.cli import main
    from mutum_copilot.call import LiveCall
    from mutum_copilot.clock import FrozenClock
    from mutum_copilot.config import Settings
    from mutum_copilot.logs import get_logger, setup_error_log
    from mutum_copilot.packs.cache import load_indexed_pack
    from mutum_copilot.services import build_services
    from mutum_copilot.triage.engine import Triage
    pack_dir = Path(sys.argv[2])
    load_indexed_pack(pack_dir)
    services = build_services(Settings(), knowledge=pack_dir, clock=FrozenClock(
        dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.timezone.utc)))
    call = LiveCall(Triage(services.pack, services.clock), services.history, services.clock)
    call.start_flow("sem-conexao")
    call.enter("Maria")
    for suffix in ("-wal", "-shm"):  # they exist while the copilot runs
        side = services.history.path.with_name(services.history.path.name + suffix)
        assert os.stat(side).st_mode & 0o777 == 0o600, (side, oct(os.stat(side).st_mode))
    setup_error_log()
    get_logger("test").error("a line")
    assert main(["--knowledge", str(pack_dir), "vault", "init"]) == 0
    assert main(["history", "export", "--since", "2026-01-01", "--output",
                 str(home / "export.csv")]) == 0
    """
)


def test_every_file_the_app_writes_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [sys.executable, "-c", UMASK_0, str(tmp_path), str(FIXTURE)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    written = [p for p in tmp_path.rglob("*") if p.name != "go"]
    names = {p.name for p in written}
    assert {"history.sqlite3", "secrets.yaml", "export.csv"} <= names
    assert "mutum-copilot.log" in names and any(n.endswith(".pickle") for n in names)
    assert any(n.endswith(".lock") for n in names)  # the owner lock
    app_folders = [p for p in written if p.is_dir() and "mutum-copilot" in p.parts]
    assert app_folders
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            if "mutum-copilot" in path.parts:
                assert mode == 0o700, (path, oct(mode))
        else:
            assert mode == 0o600, (path, oct(mode))


def test_a_data_folder_others_can_write_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "mutum-copilot"
    folder.mkdir()
    folder.chmod(0o777)
    HistoryStore(folder / "history.sqlite3").close()
    assert stat.S_IMODE(folder.stat().st_mode) & 0o022 == 0
    private_dir(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_folder_of_another_user_that_others_can_write_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chown(folder, 12345, 12345)
    folder.chmod(0o777)
    with pytest.raises(HistoryError, match="outro usuário"):
        HistoryStore(folder / "history.sqlite3")
    with pytest.raises(UnsafeFolderError):
        private_dir(folder)


# --- planted rows --------------------------------------------------------------------------
def test_rows_planted_with_control_characters_come_back_clean(tmp_path: Path, pack: Pack) -> None:
    db = tmp_path / "history.sqlite3"
    store = HistoryStore(db)
    call_id = store.start_call(NIGHT, agent="Ana\x1b]52;c;ZXZpbA==\x07")
    store.close()
    raw = sqlite3.connect(db)
    evil = "\x1b[2J\x1b[31mhacked\u202e\x9b"
    session = {
        "format": "call/1",
        "notes": f"nota {evil}",
        "subjects": [
            {
                "version": 2,
                "uid": "u1",
                "flow_id": "sem-conexao",
                "started_at": NIGHT.isoformat(),
                "answers": [
                    {"node": "abertura/cliente", "at": NIGHT.isoformat(), "value": f"Maria{evil}"}
                ],
                "edits": [],
            }
        ],
    }
    raw.execute(
        "UPDATE calls SET note_text = ?, flow_title = ?, notes = ?, session_json = ? WHERE id = ?",
        (f"OS {evil}", f"Sem conexão{evil}", f"n {evil}", json.dumps(session), call_id),
    )
    raw.execute(
        "INSERT INTO steps (call_id, seq, node_id, title, answer) VALUES (?, 0, 'x', ?, ?)",
        (call_id, f"t{evil}", f"a{evil}"),
    )
    raw.commit()
    raw.close()
    store = HistoryStore(db)
    record = store.get(call_id)
    assert record is not None
    shown = [
        record.note_text,
        record.flow_title,
        record.notes,
        record.agent,
        json.dumps(record.session),
    ]
    shown += [s.title + s.answer for s in store.steps(call_id)]
    for text in shown:
        assert not any(c in text for c in "\x1b\x07\u202e\x9b"), repr(text)
    resumed = call_to_resume(store, {pack.id})
    assert resumed is not None
    call = live(pack, store)
    call.resume(resumed)
    assert call.values()["customer_name"] == "Maria[2J[31mhacked"
    assert "\x1b" not in call.note_text() and "\x1b" not in call.notes
