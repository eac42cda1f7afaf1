"""The screen under the agent's mistakes and an attacker's texts (pilot tests, fixture pack).

Keys that destroy need intent, a half-typed value survives every detour, the
same customer is not asked again, and no control character reaches the
clipboard or the screen from a paste.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from textual import events

from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import Settings
from mutum_copilot.history import HistoryStore
from mutum_copilot.logs import setup_error_log
from mutum_copilot.services import build_services
from mutum_copilot.tui.factory import build_app
from mutum_copilot.tui.screens.note import ConfirmFinishScreen, NoteScreen
from mutum_copilot.tui.screens.resume import ResumeScreen
from mutum_copilot.tui.widgets.triage_pane import TriagePane, ValueInput

from .helpers import (
    BRT,
    FIXTURE_PACK,
    OPENING,
    TUESDAY_NIGHT,
    Posted,
    app_for,
    play,
    screen_text,
    type_text,
)

BAD_SIGNAL = [1, 4, 1, "-27", 1, "-27,5", 2]  # then the phones step


def view_of(app):  # type: ignore[no-untyped-def]
    return app.screen.query_one(TriagePane).view


def box(app) -> ValueInput:  # type: ignore[no-untyped-def]
    return app.screen.query_one(ValueInput)


# --- keys that destroy need intent --------------------------------------------------------
async def test_backspace_held_down_never_rewinds_the_call(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING[:3])
        where = view_of(app).node_id
        assert where == "abertura/protocolo" and box(app).value == ""
        await pilot.press(*["backspace"] * 30)  # held down in the empty box
        await pilot.pause()
        assert view_of(app).node_id == where
        await play(pilot, OPENING[3], 1, OPENING[5])  # on a question now
        where = view_of(app).node_id
        await pilot.press(*["backspace"] * 10)
        await pilot.pause()
        assert view_of(app).node_id == where
        await pilot.press("escape")  # Esc is "back"
        await pilot.pause()
        assert view_of(app).node_id == "abertura/relato"
        assert box(app).value == OPENING[5]  # ...with the answer it had, to confirm


async def test_f_on_an_unfinished_call_asks_before_finishing(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING, 1)
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmFinishScreen)
        assert "não chegou ao fim" in screen_text(app)
        await pilot.press("escape")  # no: back to the note, the call goes on
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen) and not app.screen.call.finished
        await pilot.press("f", "f")  # yes, really
        await pilot.pause()
        assert not isinstance(app.screen, (NoteScreen, ConfirmFinishScreen))
    (record,) = HistoryStore(tmp_path / "history.sqlite3").recent()
    assert record.finished and record.outcome == "open"


async def test_the_finish_key_refuses_an_os_without_phones(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING, *BAD_SIGNAL)
        call = app.screen.call
        # the OS end, reached with the phones left out (what a pack forgetting them allows)
        call.subjects[-1] = call.triage.set_context(call.subjects[-1], "phones", "(65) 99988-7766")
        await play(pilot, "(65) 99988-7766", None)
        assert view_of(app).ended and view_of(app).outcome.opens_os
        from dataclasses import replace

        session = call.subjects[-1]
        answers = tuple(replace(a, value="") if a.personal else a for a in session.answers)
        call.subjects[-1] = replace(session, answers=answers, edits=())
        await pilot.press("o")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("ctrl+s")  # the finish key (f is text in the phones box)
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen) and not call.finished
        assert "Falta o telefone atualizado" in screen_text(app)
        await type_text(pilot, "(65) 99988-7766")
        await pilot.press("enter")  # the phones box takes them; focus goes to the note
        await pilot.press("f")
        await pilot.pause()
        assert call.finished and "99988-7766" in app.clipboard


async def test_a_keymap_giving_one_key_two_actions_is_not_applied(tmp_path: Path) -> None:
    posted = Posted()
    app = app_for(tmp_path, keymap={"copy-say": "n"})
    async with app.run_test(size=(100, 30), message_hook=posted.hook) as pilot:
        await pilot.pause()
        text = str(posted)
        assert 'a tecla "n"' in text and '"copy-say"' in text and '"notes"' in text
        await pilot.press("1")
        await pilot.press("ctrl+y")  # the default keys are in use
        assert app.clipboard.startswith("Olá!")


def test_the_command_refuses_to_start_on_a_clashing_keymap(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("keymap:\n  copy-say: ctrl+n\n  os-note: f5\n", encoding="utf-8")
    env = {
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
        "XDG_STATE_HOME": str(tmp_path / "s"),
        "XDG_CACHE_HOME": str(tmp_path / "k"),
        "PATH": "/usr/bin:/bin",
    }
    command = Path(sys.executable).with_name("mutum-copilot")
    done = subprocess.run(
        [str(command), "--config", str(config), "--knowledge", str(FIXTURE_PACK)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert f'{config}: keymap: a tecla "ctrl+n"' in done.stderr
    assert '"copy-say" e "notes"' in done.stderr and '"history" e "os-note"' in done.stderr


# --- nothing typed is lost ---------------------------------------------------------------
async def test_a_half_typed_value_survives_the_faq_the_notes_and_the_call_data(
    tmp_path: Path,
) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await type_text(pilot, "Maria Sou")  # no Enter
        await pilot.pause()
        for opens, closes in (("ctrl+f", "escape"), ("ctrl+n", "escape"), ("ctrl+t", "escape")):
            await pilot.press(opens)
            await pilot.pause()
            await pilot.press(closes)
            await pilot.pause()
            if app.screen.query_one("#faq").has_focus_within:
                await pilot.press("escape")
                await pilot.pause()
            assert box(app).value == "Maria Sou", opens
            assert view_of(app).node_id == "abertura/cliente"
        await type_text(pilot, "za")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.call.values()["customer_name"] == "Maria Souza"


async def test_a_cpf_half_typed_is_kept_masked(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, "Maria Souza")
        await type_text(pilot, "529.982.247-25")
        await pilot.pause()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite3*"))
    assert b"529.982.247-25" not in raw and b"52998224725" not in raw
    assert b"***.982.247-**" in raw


async def test_same_customer_another_subject_is_not_asked_again(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")  # Financeiro
        await play(pilot, *OPENING)
        while not view_of(app).ended:
            view = view_of(app)
            await play(pilot, 1 if view.kind == "ask" else None)
        await pilot.press("ctrl+r")
        await pilot.press("1")  # same customer, another subject
        await pilot.pause()
        assert "Outro assunto, mesmo cliente" in screen_text(app)
        await pilot.press("2")  # Senha do Wi-Fi
        await pilot.pause()
        view = view_of(app)
        assert view.node_id == "abertura/relato"  # name, CPF, contract, protocol, area: known
        assert "Maria Souza" in screen_text(app)
        await play(pilot, "esqueceu a senha")
        await pilot.press("escape", "escape", "escape")  # the carried answers can be edited
        await pilot.pause()
        assert view_of(app).node_id == "abertura/protocolo" and box(app).value == OPENING[3]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        text = screen_text(app)
        assert "Assunto 1: Financeiro" in text and "Assunto 2: Senha do Wi-Fi" in text
        await pilot.press("s")
        await pilot.pause()
        assert "OS 1 de 2" in screen_text(app)
        await pilot.press("c")
        assert "Financeiro" in app.clipboard and "Senha do Wi-Fi" not in app.clipboard
    store = HistoryStore(tmp_path / "history.sqlite3")
    (record,) = store.recent()
    assert [s.flow_id for s in store.subjects(record.id)] == ["financeiro", "senha-wifi"]


# --- resume per pack ---------------------------------------------------------------------
async def test_a_call_of_another_pack_is_not_offered_and_stays(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    call_id = store.start_call(TUESDAY_NIGHT, pack_id="outro-provedor")
    store.save_call(
        call_id,
        updated_at=TUESDAY_NIGHT,
        session={"format": "call/1", "notes": "outra empresa", "subjects": []},
        steps=[],
        notes="outra empresa",
    )
    store.close()
    for _ in range(2):
        app = app_for(tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert not isinstance(app.screen, ResumeScreen)
            assert "não finalizada" not in screen_text(app)
    record = HistoryStore(tmp_path / "history.sqlite3").get(call_id)
    assert record is not None and not record.discarded and record.notes == "outra empresa"


async def test_notes_typed_before_any_subject_are_offered_back(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await type_text(pilot, "cliente ligou duas vezes")
        await pilot.pause()
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen) and "Com notas" in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert "Qual o motivo do contato" in screen_text(app)  # the subject is still to pick
        await pilot.press("n")
        await pilot.pause()
        assert "cliente ligou duas vezes" in screen_text(app)


# --- the live pack and the live clock -------------------------------------------------------
async def test_reload_updates_the_status_bar_hours_and_logs_a_refusal(tmp_path: Path) -> None:
    posted = Posted()
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, pack)
    log = setup_error_log(tmp_path / "logs")
    services = build_services(
        Settings(),
        knowledge=pack,
        clock=FrozenClock(TUESDAY_NIGHT),  # 22:10 in Mato Grosso: N1 closed
        history_path=tmp_path / "h.sqlite3",
        vault_path=tmp_path / "v.yaml",
    )
    app = build_app(services, cursor_blink=False, catch_errors=False)
    provider = pack / "provider.yaml"
    async with app.run_test(size=(100, 30), message_hook=posted.hook) as pilot:
        await pilot.pause()
        assert "N1 ● fechado" in screen_text(app)
        provider.write_text(
            provider.read_text(encoding="utf-8").replace(
                'tue: ["07:30-11:30", "13:30-17:30"]', 'tue: ["07:30-11:30", "13:30-23:00"]'
            ),
            encoding="utf-8",
        )
        await pilot.press("ctrl+l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Pacote recarregado" in str(posted)
        assert "N1 ● fechado" not in screen_text(app)  # the new hours, at once
        provider.write_text(
            provider.read_text(encoding="utf-8").replace("amount: 40.00", "amount: 1e999"),
            encoding="utf-8",
        )
        await pilot.press("ctrl+l")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert log is not None
    text = log.read_text(encoding="utf-8")
    assert "reload refused" in text and "fees.visit_city.amount" in text


async def test_the_escalation_wording_follows_n1_closing_on_screen(tmp_path: Path) -> None:
    # Wednesday 12:25 in Brasília = 11:25 in Mato Grosso: N1 on shift until 11:30
    clock = FrozenClock(dt.datetime(2026, 11, 25, 12, 25, tzinfo=BRT))
    app = app_for(tmp_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await play(pilot, *OPENING, *BAD_SIGNAL, "(65) 99988-7766")
        assert view_of(app).node_id == "escalar_sinal/no_turno"
        assert "equipe já vai analisar" in screen_text(app)
        clock.advance(minutes=10)  # 11:35: N1 went to lunch while the step is shown
        for _ in range(100):  # the screen's one-second timer; no key pressed
            await pilot.pause(0.05)
            if view_of(app).node_id == "escalar_sinal/fora_do_turno":
                break
        assert view_of(app).node_id == "escalar_sinal/fora_do_turno"
        assert "equipe técnica retorna" in screen_text(app)


# --- text from outside never drives the terminal ------------------------------------------
async def test_a_paste_with_control_characters_is_cleaned(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        app.post_message(events.Paste("Maria\x1b[2J\x1b]52;c;ZXZpbA==\x07 Souza\u202e"))
        await pilot.pause()
        assert box(app).value == "Maria[2J]52;c;ZXZpbA== Souza"
        await pilot.press("enter")
        await pilot.pause()
        assert "\x1b" not in app.screen.call.values()["customer_name"]


async def test_nothing_copied_carries_a_control_character(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        app.copy_to_clipboard("fala\x1b]52;c;ZXZpbA==\x07 do\x9b passo")
        assert app.clipboard == "fala]52;c;ZXZpbA== do passo"
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.post_message(events.Paste("ligar\x1b[31m amanhã\nàs 8h"))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("c")
        assert "ligar[31m amanhã" in app.clipboard and "\x1b" not in app.clipboard
