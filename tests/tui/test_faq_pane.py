"""The FAQ pane says "Nada no documento sobre isso" and never opens a weak match by itself.

Pilot tests on the frozen fixture pack (tests/packs/fixture), played by keys.
"""

from __future__ import annotations

from pathlib import Path

from mutum_copilot.tui.widgets.entry_view import EntryView
from mutum_copilot.tui.widgets.faq_pane import FaqPane

from .helpers import app_for, screen_text, type_text

NOT_IN_THE_PACK = "quanto custa o plano de 300 mega"


async def test_no_answer_state_lists_weak_matches_and_enter_opens_none(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, NOT_IN_THE_PACK)
        await pilot.pause()
        text = screen_text(app)
        assert "Nada no documento sobre isso" in text
        assert "encaminhe" in text and "fraca" in text
        assert text.index("Nada no documento") < text.index("fraca")
        pane = app.screen.query_one(FaqPane)
        assert pane.result is not None and not pane.result.answered
        await pilot.press("enter")
        await pilot.pause()
        assert pane.open_entry is None, "Enter never opens a weak match"
        assert not app.screen.query_one(EntryView).display
        await pilot.press("down", "enter")  # the agent picks a weak match on purpose
        await pilot.pause()
        assert pane.open_entry is not None and pane.open_weak
        assert "Resultado fraco" in screen_text(app)


async def test_an_answered_query_opens_on_enter_without_the_no_answer_line(
    tmp_path: Path,
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "visita improdutiva")
        await pilot.pause()
        assert "Nada no documento" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        pane = app.screen.query_one(FaqPane)
        assert pane.open_entry is not None and pane.open_entry.id == "visita-improdutiva"
        assert not pane.open_weak and "Resultado fraco" not in screen_text(app)


async def test_the_if_asked_line_is_shown_apart_and_copied_apart(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "ip fixo")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "SÓ SE O CLIENTE PERGUNTAR" in text and "R$ 100,00" in text
        await pilot.press("c")
        assert app.clipboard.startswith("Sim, fornecemos IP fixo")
        assert "R$" not in app.clipboard, "the say text is copied without the price"
        await pilot.press("p")
        assert app.clipboard == "O IP fixo tem custo adicional de R$ 100,00."


async def test_the_command_palette_speaks_portuguese(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Buscar ação, fluxo ou pergunta do FAQ" in text
        for english in ("Search for commands", "Quit", "Theme", "Screenshot", "Keys"):
            assert english not in text, english
        await type_text(pilot, "sair")
        await pilot.pause(0.5)
        assert "Sair do mutum-copilot" in screen_text(app)
        await pilot.press("ctrl+a", "backspace")
        await type_text(pilot, "xyzzyq")
        await pilot.pause(1.5)
        assert "Nada encontrado" in screen_text(app)
        assert "No matches" not in screen_text(app)
