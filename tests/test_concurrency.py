"""Nothing lost: two copilots on one history, and a disk that refuses writes.

Two real processes play hundreds of steps each through :class:`LiveCall` on
the same SQLite file; afterwards every step of both calls is there and the
file passes ``PRAGMA integrity_check``.

A disk that refuses writes is tested three ways, each as real as this machine
allows:
- a read-only data folder (``chmod 0500``): real for a normal user; root
  ignores permissions, so the test detects that by trying to write and skips;
- a refused write in the middle of a call, on every machine: the store's
  connection is swapped for a read-only one (``mode=ro``), so SQLite itself
  answers "attempt to write a readonly database", as for a read-only file;
- a really full disk: a tiny tmpfs filled to the last byte, where the machine
  lets the tests mount one (root with mount rights); skipped elsewhere.
In every case the call goes on in memory with a visible warning, and the
next change after the disk comes back saves the whole call.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mutum_copilot.call import PERSONAL_PLACEHOLDER, LiveCall
from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import Settings
from mutum_copilot.history import HistoryStore
from mutum_copilot.packs.model import Pack
from mutum_copilot.services import build_services
from mutum_copilot.triage.engine import Triage

REPO = Path(__file__).resolve().parent.parent
T0 = dt.datetime(2026, 11, 24, 22, 0, tzinfo=dt.UTC)
ROUNDS = 30  # ip-fixo forward and all the way back: ~19 saves a round, 500+ per process
VALUES = {"cpf": "529.982.247-25", "phones": "65 99988-7766", "text": "Maria"}

# One copilot: wait for the start signal, then walk ip-fixo to its end and all the
# way back ROUNDS times (every step saved), finish, and report what it holds in memory.
WORKER = textwrap.dedent(
    """
    import datetime as dt, json, sys, time
    from pathlib import Path
    from mutum_copilot.call import LiveCall
    from mutum_copilot.clock import FrozenClock
    from mutum_copilot.history import HistoryStore
    from mutum_copilot.packs.loader import load_pack
    from mutum_copilot.triage.engine import Triage

    db, go, agent, rounds, pack_dir, values = sys.argv[1:7]
    values, rounds = json.loads(values), int(rounds)
    clock = FrozenClock(dt.datetime(2026, 11, 24, 22, tzinfo=dt.timezone.utc))
    triage = Triage(load_pack(pack_dir), clock)
    call = LiveCall(triage, HistoryStore(db), clock, agent=agent)
    while not Path(go).exists():
        time.sleep(0.005)
    began, saves, warnings = time.time(), 0, []

    def did(view):
        global saves
        saves += 1
        clock.advance(seconds=1)
        if call.warning:
            warnings.append(call.warning)
        return view

    def forward(view):
        while not view.ended:
            if view.kind == "ask":
                view = did(call.choose(1))
            elif view.kind == "value":
                view = did(call.enter(values[view.value.kind]))
            else:
                view = did(call.proceed())
        return view

    view = did(call.start_flow("ip-fixo"))
    for number in range(rounds):
        view = forward(view)
        while view.can_back:
            view = did(call.back())
        call.set_notes(f"{agent}: volta {number}")
        did(None)
    forward(call.view())
    call.finish()
    path = [
        [s.node_id, "(dado pessoal: só na nota da OS)" if s.personal else s.answer]
        for s in triage.path(call.session)
    ]
    print(json.dumps({
        "call": call.call_id, "saves": saves, "warnings": warnings, "path": path,
        "notes": call.notes, "updated": clock().isoformat(), "span": [began, time.time()],
    }))
    """
)


def test_two_copilots_playing_hundreds_of_steps_lose_nothing(tmp_path: Path) -> None:
    db, go = tmp_path / "history.sqlite3", tmp_path / "go"
    HistoryStore(db).close()
    args = [str(db), str(go), "", str(ROUNDS), str(REPO / "knowledge" / "mutum-fibra")]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, *args[:2], agent, *args[3:], json.dumps(VALUES)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for agent in ("Ana", "Bia")
    ]
    time.sleep(0.5)  # both load the pack, then start together
    go.touch()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        reports.append(json.loads(out))

    (a_began, a_ended), (b_began, b_ended) = (r["span"] for r in reports)
    assert a_began < b_ended and b_began < a_ended  # they really wrote at the same time
    store = HistoryStore(db)
    assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store._db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert {r["call"] for r in reports} == {c.id for c in store.recent()}
    for report in reports:
        assert report["saves"] >= 300 and report["warnings"] == []
        record = store.get(report["call"])
        assert record is not None and record.finished and record.outcome == "os_n1"
        assert report["notes"].endswith(f"volta {ROUNDS - 1}")
        assert record.notes == ""  # finished: the notes live only inside the OS note
        assert report["notes"] in record.note_text
        assert record.updated_at.isoformat() == report["updated"]  # the very last save landed
        stored = [[s.node_id, s.answer] for s in store.steps(report["call"])]
        assert stored == report["path"]
        assert PERSONAL_PLACEHOLDER in dict(stored).values()


# --- a disk that refuses writes ------------------------------------------------------
def start_call(store: HistoryStore | None, pack: Pack) -> tuple[LiveCall, FrozenClock]:
    clock = FrozenClock(T0)
    call = LiveCall(Triage(pack, clock), store, clock, agent="Ana")
    call.start_flow("ip-fixo")
    call.enter("Maria")
    return call, clock


def answer_next(call: LiveCall) -> None:
    """One more step of the current flow, whatever it asks."""
    view = call.view()
    assert view is not None and not view.ended
    if view.kind == "ask":
        call.choose(1)
    elif view.kind == "value":
        assert view.value is not None
        call.enter(VALUES[view.value.kind])
    else:
        call.proceed()


def assert_saved(store: HistoryStore, call: LiveCall) -> None:
    """The database holds exactly the call in memory."""
    assert call.call_id is not None and call.session is not None
    record = store.get(call.call_id)
    assert record is not None and record.session == call.to_dict()
    nodes = [s.node_id for s in call.triage.path(call.session)]
    assert [s.node_id for s in store.steps(call.call_id)] == nodes


@contextlib.contextmanager
def read_only_connection(store: HistoryStore) -> Iterator[None]:
    """The store writes through a read-only connection: SQLite refuses every write."""
    writable = store._db
    refusing = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True, isolation_level=None)
    refusing.row_factory = sqlite3.Row
    store._db = refusing
    try:
        yield
    finally:
        store._db = writable
        refusing.close()


def test_refused_writes_keep_the_call_in_memory_then_save_again(tmp_path: Path, pack: Pack) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    call, clock = start_call(store, pack)
    assert_saved(store, call)
    saved_steps = len(store.steps(call.call_id or 0))
    with read_only_connection(store):
        answer_next(call)  # the CPF
        assert "segue na memória" in call.warning and "readonly" in call.warning
        call.set_notes("cliente sem paciência")
        answer_next(call)
        assert call.warning
        assert len(call.session.answers if call.session else ()) == saved_steps + 2
        assert len(store.steps(call.call_id or 0)) == saved_steps  # nothing reached the disk
    clock.advance(seconds=5)
    answer_next(call)  # the disk is back: this change saves the whole call
    assert call.warning == ""
    assert_saved(store, call)
    record = store.get(call.call_id or 0)
    assert record is not None and record.notes == "cliente sem paciência"


def test_a_call_started_while_writes_are_refused_is_saved_later(tmp_path: Path, pack: Pack) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    with read_only_connection(store):
        call, _ = start_call(store, pack)
        assert call.call_id is None and call.warning
    answer_next(call)
    assert not call.warning
    assert_saved(store, call)


def test_finishing_while_writes_are_refused_still_gives_the_note(
    tmp_path: Path, pack: Pack
) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    call, _ = start_call(store, pack)
    while not (view := call.view()) or not view.ended:
        answer_next(call)
    with read_only_connection(store):
        note = call.finish()
    assert "Maria" in note and "copie-a agora" in call.warning


def writes_are_refused(folder: Path) -> bool:
    try:
        (folder / "probe").write_text("x")
    except PermissionError:
        return True
    (folder / "probe").unlink()
    return False


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    folder.mkdir()
    HistoryStore(folder / "history.sqlite3").close()  # yesterday's history is there
    os.chmod(folder / "history.sqlite3", 0o400)
    os.chmod(folder, 0o500)
    try:
        if not writes_are_refused(folder):
            pytest.skip("running as root: permissions do not stop writes (see the mode=ro tests)")
        yield folder
    finally:
        os.chmod(folder, 0o700)


def test_a_read_only_data_folder_gives_a_warning_and_memory_only_calls(
    read_only_folder: Path, pack: Pack, pack_dir: Path
) -> None:
    for name in ("history.sqlite3", "new/history.sqlite3"):
        services = build_services(
            Settings(history_path=str(read_only_folder / name)),
            knowledge=pack_dir,
            clock=FrozenClock(T0),
            vault_path=read_only_folder / "no-vault.yaml",
        )
        assert services.history is None
        assert any("Histórico indisponível" in w for w in services.warnings)
    call, _ = start_call(None, pack)
    answer_next(call)
    assert call.session is not None and len(call.session.answers) >= 2


def test_an_unusable_history_path_is_a_warning_not_a_crash(tmp_path: Path, pack_dir: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for where in (blocker / "history.sqlite3", tmp_path, blocker):
        services = build_services(
            Settings(),
            knowledge=pack_dir,
            clock=FrozenClock(T0),
            history_path=where,
            vault_path=tmp_path / "no-vault.yaml",
        )
        assert services.history is None, where
        assert len(services.warnings) == 1 and "memória" in services.warnings[0]


# --- a really full disk ---------------------------------------------------------------
@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs, if this machine lets the tests mount one."""
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root): the mode=ro tests cover refusals")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with contextlib.suppress(OSError):  # ENOSPC: full
            while True:
                os.write(descriptor, b"\0" * 4096)
    finally:
        os.close(descriptor)
    return filler


def test_a_full_disk_keeps_the_call_in_memory_then_saves_again(tiny_disk: Path, pack: Pack) -> None:
    store = HistoryStore(tiny_disk / "history.sqlite3")
    call, _ = start_call(store, pack)
    filler = fill(tiny_disk)
    answer_next(call)
    call.set_notes("x" * 20_000)  # a long note needs pages the disk no longer has
    assert "disk is full" in call.warning
    filler.unlink()
    answer_next(call)
    assert call.warning == ""
    assert_saved(store, call)
    store.close()
