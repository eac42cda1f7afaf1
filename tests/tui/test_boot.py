"""A start drawn from the boot record: the same first frame, then the real screen, the keys kept.

The app boots (:meth:`CopilotApp.booting`) from a record made of a main
screen's first frame. Most tests keep it at its boot frame (``finish_boot``
replaced by a no-op) and let the build go on themselves, so every key they
type comes before the main screen exists, as from an agent who types the
moment the copilot shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events

from mutum_copilot.boot_record import build_record
from mutum_copilot.clock import FrozenClock
from mutum_copilot.services import Services
from mutum_copilot.tui.app import CopilotApp
from mutum_copilot.tui.boot import BootScreen, BootStart, first_frame
from mutum_copilot.tui.screens.main import MainScreen
from mutum_copilot.tui.screens.resume import ResumeScreen
from mutum_copilot.tui.widgets.faq_pane import FaqPane
from mutum_copilot.tui.widgets.triage_pane import TriagePane

from .helpers import OPENING, TUESDAY_NIGHT, app_for, play, screen_text, services_for, type_text


def booting_app(
    tmp_path: Path,
    clock: FrozenClock | None = None,
    build: Callable[[], Services | list[str]] | None = None,
) -> CopilotApp:
    """An app that boots from the record the fixture pack's main screen would leave."""
    clock = clock or FrozenClock(TUESDAY_NIGHT)
    frame = first_frame(MainScreen(services_for(tmp_path, clock)), "textual-dark")
    assert frame is not None
    record = build_record(frame, "key", clock())
    boot = BootStart(record, clock, build or (lambda: services_for(tmp_path, clock)))
    return CopilotApp.booting(boot, cursor_blink=False, catch_errors=False)


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (120, 40)])
async def test_the_boot_frame_is_the_main_screens_first_frame(
    tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainScreen, "call_after_refresh", lambda self, *a, **k: True)
    normal = app_for(tmp_path / "normal")
    async with normal.run_test(size=size) as pilot:
        await pilot.pause()
        expected = screen_text(normal)
    monkeypatch.setattr(CopilotApp, "finish_boot", lambda self: None)
    app = booting_app(tmp_path / "boot")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BootScreen)
        assert screen_text(app) == expected
    assert "N1 ● fechado" in expected and "1  Sem conexão" in expected


async def test_the_main_screen_takes_the_boot_frames_place(tmp_path: Path) -> None:
    app = booting_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert not [s for s in app.screen_stack if isinstance(s, BootScreen)]
        assert app.held_input is None
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.query_one(TriagePane).view is not None  # the flow's first step


async def test_a_call_typed_during_boot_reaches_the_main_screen_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    finish = CopilotApp.finish_boot
    monkeypatch.setattr(CopilotApp, "finish_boot", lambda self: None)
    app = booting_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await type_text(pilot, "Maria Souza")
        await pilot.press("enter")
        await type_text(pilot, "529.982.247-25")
        assert isinstance(app.screen, BootScreen) and app.held_input
        finish(app)  # the build goes on; the keys above were all typed before it
        app.post_message(events.Key("enter", "\r"))  # typed while the main screen mounts
        for _ in range(4):
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        values = screen.call.values()
        assert values.get("customer_name") == "Maria Souza"
        assert values.get("cpf", "").startswith("***.982.247")  # kept masked, as ever
        assert "Contrato" in screen_text(app)  # the step after the CPF, not before it


async def test_a_search_typed_during_boot_lands_in_the_faq(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    finish = CopilotApp.finish_boot
    monkeypatch.setattr(CopilotApp, "finish_boot", lambda self: None)
    app = booting_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "visita")
        finish(app)
        for _ in range(4):
            await pilot.pause()
        pane = app.screen.query_one(FaqPane)
        assert pane.hits and "visita" in pane.hits[0].entry.question.lower()
        assert app.screen.query_one(TriagePane).view is None  # the flow list, untouched


async def test_an_unfinished_call_is_offered_after_a_boot_and_gets_the_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = app_for(tmp_path)
    async with first.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING[:2])
    finish = CopilotApp.finish_boot
    monkeypatch.setattr(CopilotApp, "finish_boot", lambda self: None)
    app = booting_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("1")  # "retomar", typed before the dialog was there
        finish(app)
        for _ in range(4):
            await pilot.pause()
        screen = app.screen
        assert not isinstance(screen, ResumeScreen)
        assert isinstance(screen, MainScreen) and screen.call.values().get("customer_name")


async def test_a_boot_whose_pack_broke_meanwhile_closes_with_the_problems(tmp_path: Path) -> None:
    problems = ["pack/provider.yaml:3: provider.name: falta", "mutum-copilot: não iniciado"]
    app = booting_app(tmp_path, build=lambda: problems)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    assert app.return_code == 2 and app.exit_problems == problems


async def test_quitting_at_the_boot_frame_builds_nothing(tmp_path: Path) -> None:
    built: list[bool] = []

    def build() -> Services | list[str]:
        built.append(True)
        return services_for(tmp_path, FrozenClock(TUESDAY_NIGHT))

    app = booting_app(tmp_path, build=build)
    async with app.run_test(size=(100, 30)):
        app.exit()
    assert app.return_code == 0 and not built
