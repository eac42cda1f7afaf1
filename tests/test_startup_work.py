"""What start-up does not do: scan with the cyclic GC, or import what the first screen never uses.

Each saves a measured share of the first screen (BENCHMARKS.md, issue 14):
httpx and its command-line extras the most, ~130 GC passes over start-up's
objects 20–35 ms, the reload machinery a few ms. These tests keep them out
of the start path.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mutum_copilot import cli, gcpause
from tests.tui.helpers import app_for

REPO = Path(__file__).resolve().parent.parent
PACK_DIR = REPO / "knowledge" / "mutum-fibra"


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every cyclic collection made while the test runs."""
    seen: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(count)
    try:
        yield seen
    finally:
        gc.callbacks.remove(count)
        gc.enable()  # whatever a failing test left behind


def test_a_quick_command_runs_without_a_collection_and_gives_the_gc_back(
    collections: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert gc.isenabled()
    rc = cli.main(["--knowledge", str(PACK_DIR), "shift", "--at", "2026-12-25T10:00-03:00"])
    during = list(collections)  # the GC is back on now: the asserts may collect
    assert rc == 0
    assert during == []  # thousands of objects made, no pass over them
    assert gc.isenabled()
    assert "N1" in capsys.readouterr().out


def test_a_long_command_runs_with_the_gc_on(
    collections: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    """``check`` (like ``report`` or ``history``) may run long: the GC is back before it runs."""
    rc = cli.main(["--knowledge", str(PACK_DIR), "check"])
    assert rc == 0, capsys.readouterr()
    assert collections, "a whole pack read with no collection: the GC stayed paused"
    assert gc.isenabled()


def test_a_command_that_fails_gives_the_gc_back(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--knowledge", str(PACK_DIR), "shift", "--at", "ontem"]) == 2
    assert gc.isenabled()
    assert "--at 'ontem'" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse's own exit, from inside the pause
        cli.main(["shift", "--no-such-option"])
    assert gc.isenabled()


def test_resume_freezes_start_ups_objects_once_and_is_a_no_op_after() -> None:
    gcpause.pause()
    assert not gc.isenabled()
    gcpause.resume()
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    gcpause.resume()  # the TUI and the CLI both resume: the second does nothing
    assert gc.get_freeze_count() == frozen


async def test_the_app_turns_the_gc_back_on_after_its_first_frame(tmp_path: Path) -> None:
    gcpause.pause()
    try:
        app = app_for(tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()


START_IMPORTS = (
    "import json, sys\n"
    "import mutum_copilot.commands.app, mutum_copilot.tui.app, mutum_copilot.tui.factory\n"
    "names = ('httpx', 'yaml', 'mutum_copilot.packs.loader', 'mutum_copilot.packs.diff',\n"
    "         'mutum_copilot.packs.reload', 'psycopg')\n"
    "print(json.dumps([n for n in names if n in sys.modules]))\n"
)


def test_the_tuis_modules_import_no_http_client_yaml_reload_or_team_store() -> None:
    """Importing the TUI (what ``mutum-copilot`` does before its first frame) brings none of them.

    They come with the first lookup, the first reload, the team sync, a pack
    read from YAML; tests/tui/test_first_frame.py starts the app itself.
    """
    done = subprocess.run(
        [sys.executable, "-c", START_IMPORTS], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []
