"""The first frame holds the status bar and the flow list; the rest follows it.

The FAQ pane, the footer and the step's value box are mounted right after
the first frame (``MainScreen.mount_rest``, ``TriagePane.mount_value_box``).
A key typed before then must still land where it belongs: these tests play
that moment on purpose, by starting the app with the late parts held back.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mutum_copilot.tui.screens.main import MainScreen
from mutum_copilot.tui.widgets.faq_pane import FaqPane
from mutum_copilot.tui.widgets.triage_pane import TriagePane, ValueInput

from .helpers import app_for, screen_text, type_text


@pytest.fixture
def late_parts_held_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Start-up as if every key came before the first frame: nothing is mounted after it.

    Only the scheduling is held back (the calls made right after the first
    frame); whatever a key needs still mounts it on demand, as in a real start.
    """
    monkeypatch.setattr(MainScreen, "call_after_refresh", lambda self, *a, **k: True)
    monkeypatch.setattr(TriagePane, "call_after_refresh", lambda self, *a, **k: True)
    yield


async def test_the_first_frame_is_the_status_bar_and_the_flow_list(
    tmp_path: Path, late_parts_held_back: None
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query(FaqPane) and not screen.query("Footer")
        assert not screen.query(ValueInput)
        text = screen_text(app)
        assert "N1 ● fechado" in text and "1  Sem conexão" in text


async def test_a_search_typed_before_the_faq_pane_is_mounted_lands_in_it(
    tmp_path: Path, late_parts_held_back: None
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "visita")
        pane = app.screen.query_one(FaqPane)
        assert pane.hits and "visita" in pane.hits[0].entry.question.lower()
        await pilot.press("enter")
        await pilot.pause()
        assert "improdutiva" in screen_text(app)
        assert app.screen.query_one(TriagePane).view is None  # the flow list, untouched


async def test_a_flow_picked_and_answered_before_the_step_widgets_exist(
    tmp_path: Path, late_parts_held_back: None
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await type_text(pilot, "Maria Souza")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.call.values().get("customer_name") == "Maria Souza"
        assert "CPF do titular" in screen_text(app)  # the next step, typed into its own box


async def test_enter_before_the_step_widgets_exist_is_no_crash(
    tmp_path: Path, late_parts_held_back: None
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # on the flow list: picks the highlighted flow
        await pilot.pause()
        assert app.is_running
        assert app.screen.query(ValueInput)


def test_the_start_path_leaves_out_httpx_the_ixc_clients_the_reload_and_the_store(
    tmp_path: Path,
) -> None:
    """A real start to the first frame, in a process of its own, with IXC off."""
    import subprocess

    script = (
        "import asyncio, json, sys\n"
        "from pathlib import Path\n"
        "from tests.tui.helpers import app_for\n"
        "async def main():\n"
        f"    app = app_for(Path({str(tmp_path)!r}))\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause()\n"
        "names = ('httpx', 'psycopg', 'mutum_copilot.packs.reload', 'mutum_copilot.packs.diff',\n"
        "         'mutum_copilot.integrations.service', 'mutum_copilot.integrations.callside',\n"
        "         'mutum_copilot.tui.widgets.lookup_panel')\n"
        "asyncio.run(main())\n"
        "print(json.dumps([n for n in names if n in sys.modules]))\n"
    )
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=repo, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


FIRST_FRAME_MODULES = """
import json, sys
import textual.app
import mutum_copilot.tui.widgets.status_bar as status_bar
from mutum_copilot.cli import main
NAMES = ('mutum_copilot.knowledge.models', 'mutum_copilot.triage.models',
         'mutum_copilot.packs.model', 'mutum_copilot.services', 'mutum_copilot.history',
         'mutum_copilot.search', 'mutum_copilot.tui.screens.main', 'yaml')
seen = []
tick = status_bar.StatusBar.tick
def first_tick(self):
    tick(self)
    if not seen:
        seen.append([name for name in NAMES if name in sys.modules])
        self.call_after_refresh(self.app.exit)
status_bar.StatusBar.tick = first_tick
run = textual.app.App.run
textual.app.App.run = lambda self, *a, **k: run(self, *a, headless=True, size=(100, 30))
code = main(['--knowledge', sys.argv[1]])
print(json.dumps([code, seen[0]]))
"""


def test_a_start_from_the_boot_record_draws_before_importing_the_packs_models() -> None:
    """Two real starts, each in its own process: the second one boots from the first's record."""
    import json
    import subprocess

    repo = Path(__file__).resolve().parents[2]
    pack = repo / "tests" / "packs" / "fixture"
    starts = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_FRAME_MODULES, str(pack)],
            capture_output=True,
            text=True,
            cwd=repo,
            check=True,
        )
        starts.append(json.loads(done.stdout.strip().splitlines()[-1]))
    (code, normal), (boot_code, booted) = starts
    assert code == boot_code == 0
    assert "mutum_copilot.knowledge.models" in normal  # the first start: the normal way
    assert booted == []  # the second: its first frame imported none of them


async def test_an_app_closed_at_its_first_frame_closes_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting before the late parts are mounted is no error (they are simply not mounted)."""
    on_mount = MainScreen.on_mount

    def mounted_then_quit(self: MainScreen) -> None:
        on_mount(self)  # schedules the late parts after the first frame...
        self.app.exit()  # ...which is then the app's last

    monkeypatch.setattr(MainScreen, "on_mount", mounted_then_quit)
    app = app_for(tmp_path)
    app.catch_errors = True  # as installed: an error would be logged and end the app with 1
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    assert app.return_code == 0


async def test_a_provider_picked_before_the_faq_pane_exists_gets_its_own_faq(
    tmp_path: Path, late_parts_held_back: None
) -> None:
    """Several providers: the pick comes first; the FAQ pane built later is that pack's."""
    from .test_providers import two_provider_app

    app = two_provider_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")  # Rio Negro Net, before the late parts are mounted
        await pilot.pause()
        assert "Rio Negro Net: Qual o motivo do contato?" in screen_text(app)
        await pilot.press("slash")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.query_one(FaqPane).index is screen.entry.search  # the picked pack's
