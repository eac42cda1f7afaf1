"""The installed command in a real terminal (tmux): keys in, screen out, and a crash mid-call.

Skipped where tmux is missing. Each test runs its own tmux server (``-L``) and
its own data folders, so it never touches a real agent's history.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")

COMMAND = Path(sys.executable).with_name("mutum-copilot")
FIXTURE_PACK = Path(__file__).resolve().parents[1] / "packs" / "fixture"


class Terminal:
    """A private tmux server running one command at a fixed size."""

    def __init__(self, folder: Path, name: str) -> None:
        self.socket = f"mc-test-{os.getpid()}-{name}-{uuid.uuid4().hex[:8]}"
        # pytest-xdist sets COLUMNS=80 and LINES=24, and Textual believes them over the
        # tmux window: the app would draw 80x24 in a 100x30 terminal
        outside = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        self.env = {
            **outside,
            "XDG_DATA_HOME": str(folder / "data"),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_STATE_HOME": str(folder / "state"),
            "XDG_CACHE_HOME": str(folder / "cache"),
            "TERM": "xterm-256color",
        }

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=self.env
        )
        return result.stdout

    def start(self, size: tuple[int, int] = (100, 30)) -> None:
        width, height = size
        self.tmux(
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            str(width),
            "-y",
            str(height),
            f"{COMMAND} --knowledge {FIXTURE_PACK}",
        )

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def wait_saved(self, history: Path, text: str, timeout: float = 20) -> None:
        """Until the call in ``history`` holds ``text`` (its notes or its state), or fail."""
        wait_until(lambda: text in saved_text(history), f"{text!r} saved in {history}", timeout)

    def wait_gone(self, pids: list[int], timeout: float = 20) -> None:
        """Until none of ``pids`` is alive (after a kill), or fail."""
        wait_until(lambda: not any(alive(pid) for pid in pids), f"{pids} gone", timeout)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "app", key)
            time.sleep(0.08)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "app", "-l", text)
        time.sleep(0.1)

    def app_pids(self) -> list[int]:
        pane = self.tmux("display-message", "-p", "-t", "app", "#{pane_pid}").strip()
        children = subprocess.run(["pgrep", "-P", pane], capture_output=True, text=True).stdout
        return [int(pane), *(int(p) for p in children.split())]

    def stop(self) -> None:
        self.tmux("kill-server")
        # a new server on a fresh socket: the next start never meets this one dying
        self.socket = f"{self.socket.rsplit('-', 1)[0]}-{uuid.uuid4().hex[:8]}"


def wait_until(ready: Callable[[], bool], what: str, timeout: float = 20) -> None:
    """Poll ``ready`` until it holds (a deadline, never a guess of how long it takes)."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def saved_text(history: Path) -> str:
    """Every call's notes and state in the history file, read-only ('' while there is none)."""
    if not history.exists():
        return ""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{history}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT notes, session_json FROM calls").fetchall()
    except sqlite3.Error:  # not created yet, or locked for a moment: try again
        return ""
    return "\n".join(f"{notes}\n{state}" for notes, state in rows)


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting to be reaped does not)."""
    try:
        os.kill(pid, 0)
        status = Path(f"/proc/{pid}/status")
        return "zombie" not in status.read_text().lower() if status.exists() else True
    except (ProcessLookupError, FileNotFoundError):
        return False


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path, "t")
    yield term
    term.stop()


def test_a_call_played_in_a_real_terminal(terminal: Terminal) -> None:
    terminal.start((100, 30))
    terminal.wait_for("N1 ")
    terminal.wait_for("Sem conexão")
    terminal.keys("1")
    terminal.wait_for("Nome do cliente")
    terminal.type("Maria Souza")
    terminal.keys("Enter")
    terminal.wait_for("CPF do titular")
    terminal.type("123.456.789-00")
    terminal.keys("Enter")
    screen = terminal.wait_for("CPF")
    assert "inválido" in screen.lower() or "verificador" in screen.lower()
    terminal.keys("C-u")
    terminal.type("529.982.247-25")
    terminal.keys("Enter")
    screen = terminal.wait_for("Contrato no IXC")
    assert "***.982.247-**" in screen  # the context bar shows it masked
    assert "529.982.247-25" not in screen
    terminal.keys("C-q")


def test_killed_mid_call_resumes_with_every_answer_and_the_notes(
    terminal: Terminal, tmp_path: Path
) -> None:
    history = tmp_path / "data" / "mutum-copilot" / "history.sqlite3"
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")
    terminal.keys("1")
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
    terminal.type("sem internet desde as 20h")
    terminal.keys("Enter")
    terminal.wait_for("Bloqueio por débito")
    terminal.keys("n")
    terminal.wait_for("Notas da chamada")
    terminal.type("cliente pede retorno cedo")
    terminal.wait_saved(history, "cliente pede retorno cedo")  # saved as they are typed
    pids = terminal.app_pids()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    terminal.wait_gone(pids)
    terminal.stop()

    terminal.start((100, 30))
    screen = terminal.wait_for("não finalizada")
    assert "Sem conexão" in screen
    terminal.keys("1")
    screen = terminal.wait_for("Bloqueio por débito")
    assert "Maria Souza" in screen and "20261124-0001" in screen
    terminal.keys("n")
    screen = terminal.wait_for("Notas da chamada")
    assert "cliente pede retorno cedo" in screen


def test_keys_typed_ahead_land_where_they_belong(terminal: Terminal) -> None:
    """Keys sent in bursts, without waiting for the screen, as a fast agent or a script does."""
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")
    burst = ["1Maria Souza", "\r", "52998224725", "\r", "4821", "\r", "20261124-0001", "\r"]
    burst += ["1sem internet", "\r", "141-27", "\r", "1-27,5", "\r", "2(65) 99988-7766", "\r"]
    for chunk in burst:
        if chunk == "\r":
            terminal.tmux("send-keys", "-t", "app", "Enter")
        else:
            terminal.tmux("send-keys", "-t", "app", "-l", chunk)
    screen = terminal.wait_for("Cliente informado do retorno")
    assert "Maria Souza" in screen and "Prot. 20261124-0001" in screen
    terminal.keys("Enter")
    terminal.wait_for("OS para a triagem do N1")
    terminal.keys("o")
    screen = terminal.wait_for("Sinal RX: -27,5 dBm")  # the title comes first, then the text
    assert "Sinal RX: -27 dBm" in screen
    terminal.keys("f")
    terminal.wait_for("Chamada finalizada")


def test_a_search_typed_as_the_first_frame_shows_lands_in_the_faq(terminal: Terminal) -> None:
    """A "/" and a query sent in one burst as soon as the flow list shows reach the FAQ.

    The end to end of it in a real terminal; the moment before the pane exists is
    held on purpose in tests/tui/test_first_frame.py.
    """
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")  # the first frame: status bar and flow list
    terminal.tmux("send-keys", "-t", "app", "-l", "/visita")
    screen = terminal.wait_for("visita técnica")  # the query's best answer, in the FAQ pane
    assert "N1 ●" in screen and "Sem conexão" in screen  # the flow list stays as it was


def test_a_second_start_is_drawn_from_the_boot_record_and_keeps_the_keys(
    terminal: Terminal, tmp_path: Path
) -> None:
    """The first start leaves its record; the next one boots from it (and leaves it as it is)."""
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")
    records = list((tmp_path / "cache").rglob("boot-*.json"))
    assert len(records) == 1 and records[0].stat().st_mode & 0o777 == 0o600
    written = records[0].stat().st_mtime_ns
    terminal.stop()
    terminal.start((100, 30))
    terminal.wait_for("Sem conexão")  # the boot frame: the keys below reach the main screen
    terminal.tmux("send-keys", "-t", "app", "-l", "1Maria Souza")
    terminal.tmux("send-keys", "-t", "app", "Enter")
    terminal.tmux("send-keys", "-t", "app", "-l", "52998224725")
    terminal.tmux("send-keys", "-t", "app", "Enter")
    screen = terminal.wait_for("CPF ***.982.247-**")
    assert "Maria Souza" in screen and "N1 ●" in screen
    assert records[0].stat().st_mtime_ns == written  # booted: the record still answers
