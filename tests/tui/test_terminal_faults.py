"""The installed command in tmux under faults: kill -9 at every moment worth keeping, two
copilots on one crashed call, the history deleted or locked under the app, a crash, a
hostile paste.

Each test runs its own tmux servers and data folders (see test_terminal.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_terminal import COMMAND, FIXTURE_PACK, Terminal

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "tmux"], capture_output=True).returncode != 0,
    reason="tmux not installed",
)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path, "f")
    yield term
    term.stop()


def kill_9(terminal: Terminal) -> None:
    pids = terminal.app_pids()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    terminal.wait_gone(pids)
    terminal.stop()


def history_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "mutum-copilot" / "history.sqlite3"


def opening(terminal: Terminal) -> None:
    terminal.wait_for("Nome do cliente")
    for answer, after in zip(
        ("Maria Souza", "529.982.247-25", "4821", "20261124-0001"),
        ("CPF do titular", "Contrato no IXC", "Protocolo", "Área"),
        strict=True,
    ):
        terminal.type(answer)
        terminal.keys("Enter")
        terminal.wait_for(after)
    terminal.keys("1")
    terminal.wait_for("Relato")


def resume(terminal: Terminal, size: tuple[int, int] = (100, 30)) -> str:
    terminal.start(size)
    screen = terminal.wait_for("não finalizada")
    terminal.keys("1")
    time.sleep(0.5)
    return screen


# --- kill -9 at each first thing worth keeping ---------------------------------------------
def test_killed_right_after_choosing_the_subject(terminal: Terminal, tmp_path: Path) -> None:
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")
    terminal.keys("1")
    terminal.wait_for("Nome do cliente")
    terminal.wait_saved(history_file(tmp_path), "sem-conexao")
    kill_9(terminal)
    assert "Sem conexão" in resume(terminal)
    terminal.wait_for("Nome do cliente")


def test_killed_with_notes_typed_before_any_subject(terminal: Terminal, tmp_path: Path) -> None:
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")
    terminal.keys("n")
    terminal.wait_for("Notas da chamada")
    terminal.type("cliente ligou nervoso")
    terminal.wait_saved(history_file(tmp_path), "cliente ligou nervoso")
    kill_9(terminal)
    resume(terminal)
    terminal.wait_for("Qual o motivo")
    terminal.keys("n")
    assert "cliente ligou nervoso" in terminal.wait_for("Notas da chamada")


def test_killed_with_a_value_half_typed(terminal: Terminal, tmp_path: Path) -> None:
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")
    terminal.keys("1")
    terminal.wait_for("Nome do cliente")
    terminal.type("Maria Sou")  # no Enter
    terminal.wait_saved(history_file(tmp_path), "Maria Sou")
    kill_9(terminal)
    resume(terminal)
    screen = terminal.wait_for("Maria Sou")
    assert "Nome do cliente" in screen
    terminal.type("za")
    terminal.keys("Enter")
    assert "Maria Souza" in terminal.wait_for("CPF do titular")


def test_killed_in_the_second_subject_resumes_both(terminal: Terminal) -> None:
    terminal.start((100, 30))
    terminal.wait_for("Financeiro")
    terminal.keys("3")
    opening(terminal)
    terminal.keys("Enter")  # no report
    terminal.wait_for("assunto")
    terminal.keys("1")
    time.sleep(0.3)
    terminal.keys("Enter")
    terminal.wait_for("Fim:")
    terminal.keys("C-r")
    terminal.wait_for("Mesmo cliente")
    terminal.keys("1")
    terminal.wait_for("Outro assunto, mesmo cliente")
    terminal.keys("2")  # Senha do Wi-Fi: the opening is known, the report is asked
    terminal.wait_for("Relato")
    time.sleep(0.3)
    kill_9(terminal)
    screen = resume(terminal)
    assert "2 assuntos" in screen
    screen = terminal.wait_for("Relato")
    assert "Maria Souza" in screen
    terminal.keys("C-o")
    terminal.wait_for("Assunto 1: Financeiro")
    terminal.keys("s", "s")  # one OS per subject: the second one
    assert "OS 2 de 2" in terminal.wait_for("Assunto 2 de 2: Senha do Wi-Fi")


# --- two copilots started together on one crashed call ------------------------------------
def test_two_copilots_started_together_offer_the_call_once(tmp_path: Path) -> None:
    first = Terminal(tmp_path, "a")
    try:
        first.start((100, 30))
        first.wait_for("Sem conexão")
        first.keys("1")
        first.wait_for("Nome do cliente")
        first.type("Maria Souza")
        first.keys("Enter")
        first.wait_for("CPF do titular")
        time.sleep(0.3)
        kill_9(first)
        second = Terminal(tmp_path, "b")
        try:
            first.start((100, 30))
            second.start((100, 30))  # the same data folders, the same instant
            screens = []
            for term in (first, second):
                screens.append(term.wait_for("N1 "))
            time.sleep(2)
            screens = [first.screen(), second.screen()]
            assert sum("não finalizada" in s for s in screens) == 1, screens
        finally:
            second.stop()
    finally:
        first.stop()


# --- storage surprises --------------------------------------------------------------------
def test_history_deleted_under_the_app_is_noticed_and_rewritten(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")
    terminal.keys("1")
    terminal.wait_for("Nome do cliente")
    terminal.type("Maria Souza")
    terminal.keys("Enter")
    terminal.wait_for("CPF do titular")
    time.sleep(0.3)
    db = history_file(tmp_path)
    for path in db.parent.glob("history.sqlite3*"):
        path.unlink()
    terminal.keys("Enter")  # no CPF: the next save
    terminal.wait_for("arquivo do histórico foi apagado")  # a toast: it wraps after this
    time.sleep(0.3)
    kill_9(terminal)
    resume(terminal)
    screen = terminal.wait_for("Contrato no IXC")
    assert "Maria Souza" in screen


HOLD = """
import sqlite3, sys, time
from pathlib import Path
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
Path(sys.argv[2]).touch()
while not Path(sys.argv[3]).exists():
    time.sleep(0.02)
con.execute("COMMIT")
"""

_CLOCK = re.compile(r"Você (\d\d:\d\d:\d\d)")


def test_a_lock_held_by_another_process_never_freezes_the_screen(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")
    terminal.keys("1")
    terminal.wait_for("Nome do cliente")
    held, release = tmp_path / "held", tmp_path / "release"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(history_file(tmp_path)), str(held), str(release)]
    )
    try:
        while not held.exists():
            time.sleep(0.02)
        for answer in ("Maria Souza", "529.982.247-25"):
            terminal.type(answer)
            terminal.keys("Enter")
        screen = terminal.wait_for("Histórico ocupado")
        assert "Contrato no IXC" in terminal.wait_for("Contrato no IXC")  # keys go on
        ticks = set()
        deadline = time.monotonic() + 20
        while len(ticks) < 3 and time.monotonic() < deadline:  # the clock keeps ticking
            found = _CLOCK.search(terminal.screen())
            if found:
                ticks.add(found.group(1))
            time.sleep(0.3)
        assert len(ticks) >= 3, ticks
    finally:
        release.touch()
        holder.wait(timeout=60)
    terminal.wait_for("Chamada gravada")
    with sqlite3.connect(history_file(tmp_path)) as db:
        steps = db.execute("SELECT node_id FROM steps ORDER BY seq").fetchall()
    assert [s[0] for s in steps] == ["abertura/cliente", "abertura/cpf"], screen


# --- an unexpected crash exits non-zero ------------------------------------------------------
CRASH = """
import sys
from mutum_copilot.cli import main
from mutum_copilot.tui.widgets.status_bar import StatusBar
def broken(self, now, status):  # a fault no handler guards: the clock's own drawing
    raise RuntimeError("relógio quebrado")
StatusBar.status_text = broken
sys.exit(main(["--knowledge", sys.argv[1]]))
"""


def test_an_unexpected_crash_exits_with_a_non_zero_status(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "c")
    status = tmp_path / "status"
    script = tmp_path / "crash.py"
    script.write_text(CRASH, encoding="utf-8")
    command = f"{sys.executable} {script} {FIXTURE_PACK}; echo $? > {status}; sleep 30"
    try:
        term.tmux("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", command)
        deadline = time.monotonic() + 30
        while not status.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status.read_text().strip() == "1"
        assert "erro inesperado" in term.screen()
        log = tmp_path / "state" / "mutum-copilot" / "log" / "mutum-copilot.log"
        assert "relógio quebrado" in log.read_text(encoding="utf-8")
    finally:
        term.stop()


# --- a hostile paste in a real terminal ----------------------------------------------------
def test_a_pasted_escape_sequence_never_reaches_the_screen(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")
    terminal.keys("1")
    terminal.wait_for("Nome do cliente")
    evil = "Maria\x1b[2J\x1b[H\x1b]0;hacked\x07 Souza"  # clear the screen, retitle the window
    name = f"buf-{uuid.uuid4().hex[:6]}"
    raw = tmp_path / "paste.bin"
    raw.write_bytes(evil.encode())
    terminal.tmux("load-buffer", "-b", name, str(raw))  # the bytes as they are
    terminal.tmux("paste-buffer", "-p", "-b", name, "-t", "app")  # a bracketed paste
    time.sleep(0.5)
    screen = terminal.screen()
    assert "N1 " in screen and "Nome do cliente" in screen  # nothing was cleared
    terminal.keys("Enter")
    terminal.wait_for("CPF do titular")
    title = terminal.tmux("display-message", "-p", "-t", "app", "#{pane_title}")
    assert "hacked" not in title
    time.sleep(0.3)
    with sqlite3.connect(history_file(tmp_path)) as db:
        (answer,) = db.execute(
            "SELECT answer FROM steps WHERE node_id = 'abertura/cliente'"
        ).fetchone()
    # Textual's parser turns an ESC inside a paste into "^" keys; what matters: no control
    # character was kept, shown or stored, and the agent's text is there
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in answer), repr(answer)
    assert "Maria" in answer and "Souza" in answer


assert COMMAND  # the installed command these tests drive (imported for its path)
