"""LiveCall: nothing the agent did is lost, and no customer data stays where it must not.

Real calls on the frozen fixture pack, saved to a real SQLite file in a temp
folder; the checks read the database (and its raw bytes) back.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.call import (
    PHONES_MISSING,
    FinishNeedsConfirmation,
    FinishRefused,
    LiveCall,
    call_to_resume,
    discard_call,
)
from mutum_copilot.clock import FrozenClock
from mutum_copilot.history import HistoryStore
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.engine import Triage
from tests.live_calls import CPF, FIXTURE, NIGHT, PHONE, new_call, walk

BRT = ZoneInfo("America/Sao_Paulo")
CPF_DIGITS, PHONE_DIGITS = "52998224725", "99988"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def raw_bytes(db: Path) -> bytes:
    """Every byte the history left on disk: the database, its WAL and its SHM."""
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def reopen(db: Path, *dead: LiveCall) -> HistoryStore:
    """Another copilot, started after ``dead`` ones were gone (their locks gone with them)."""
    for call in dead:
        assert call.history is not None
        call.history.close()  # what the kernel does to the lock of a killed process
    return HistoryStore(db)


# --- a call with several subjects ----------------------------------------------------
def test_same_customer_another_subject_keeps_every_subject(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    first = walk(call, call.start_flow("financeiro"))
    assert first.ended
    second = call.start_flow("senha-wifi")  # "mesmo cliente, outro assunto"
    # the call already knows who it is: the opening is answered, the report is asked
    assert second.node_id == "abertura/relato"
    assert call.values()["customer_name"] == "Maria Souza" and call.values()["cpf"].startswith(
        "***"
    )
    walk(call, second)
    assert len(call.subjects) == 2
    store = call.history
    assert store is not None and call.call_id is not None
    subjects = store.subjects(call.call_id)
    assert [s.flow_id for s in subjects] == ["financeiro", "senha-wifi"]
    assert [s.outcome for s in subjects] == ["resolved", "resolved"]
    assert all(len(s.uid) == 32 for s in subjects) and subjects[0].exit_node == "fim_fatura"
    steps = store.steps(call.call_id)
    assert {s.subject_seq for s in steps} == {0, 1}
    assert [s.node_id for s in steps if s.subject_seq == 0][-1] == "fatura"
    note = call.note_text()
    assert "Assunto 1: Financeiro" in note and "Assunto 2: Senha do Wi-Fi" in note
    assert note.count("Cliente: Maria Souza") == 1  # the header once
    per_subject = call.note_texts(per_subject=True)
    assert len(per_subject) == 2
    assert "Assunto 1 de 2: Financeiro" in per_subject[0] and "Senha" not in per_subject[0]
    assert all("Cliente: Maria Souza" in text for text in per_subject)


def test_a_crash_after_the_switch_resumes_with_every_subject(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("financeiro"))
    call.start_flow("senha-wifi")  # the switch: nothing answered in the new subject yet

    record = call_to_resume(reopen(db, call), {pack.id})  # killed: never finished
    assert record is not None, "a crash after the switch must offer the call back"
    again = new_call(pack, db)
    view = again.resume(record)
    assert view is not None and view.node_id == "abertura/relato"
    assert [s.flow_id for s in again.subjects] == ["financeiro", "senha-wifi"]
    assert again.triage.view(again.subjects[0]).node_id == "fim_fatura"


def test_a_subject_picked_by_mistake_is_replaced_not_kept(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    call.start_flow("financeiro")
    call.start_flow("senha-wifi")  # nothing answered in the first: it was a mistake
    assert [s.flow_id for s in call.subjects] == ["senha-wifi"]


# --- the call exists from the first thing worth keeping ------------------------------
def test_the_call_exists_once_a_subject_is_chosen(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    call.start_flow("sem-conexao")  # nothing answered
    record = call_to_resume(reopen(db, call), {pack.id})
    assert record is not None and record.flow_id == "sem-conexao"


def test_notes_typed_before_any_subject_make_a_call(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    call.set_notes("cliente ligou nervoso, CPF 529.982.247-25")
    assert call.call_id is not None
    record = call_to_resume(reopen(db, call), {pack.id})
    assert record is not None
    again = new_call(pack, db)
    assert again.resume(record) is None  # no subject yet: the flow list, notes kept
    assert again.notes == "cliente ligou nervoso, CPF ***.982.247-**"
    assert CPF_DIGITS not in raw_bytes(db).decode("utf-8", "replace").replace(".", "")


def test_a_half_typed_value_is_a_draft_that_survives_a_crash(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    call.start_flow("sem-conexao")
    call.enter("Maria Souza")
    call.set_draft("529.982.247-25")  # the CPF typed, Enter not pressed
    assert call.view().value.typed == "***.982.247-**"  # type: ignore[union-attr]
    record = call_to_resume(reopen(db, call), {pack.id})
    assert record is not None
    again = new_call(pack, db)
    view = again.resume(record)
    assert view is not None and view.node_id == "abertura/cpf"
    assert view.value is not None and view.value.typed == "***.982.247-**"
    assert CPF not in raw_bytes(db).decode("utf-8", "replace")


def test_a_draft_of_a_name_comes_back_as_typed(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    call.start_flow("sem-conexao")
    call.set_draft("Maria Sou")
    record = call_to_resume(reopen(db, call), {pack.id})
    assert record is not None
    view = new_call(pack, db).resume(record)
    assert view is not None and view.value is not None and view.value.text == "Maria Sou"


# --- going back keeps what was typed --------------------------------------------------
def test_going_back_shows_the_previous_value_ready_to_confirm(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    call.start_flow("sem-conexao")
    call.enter("Maria Souza")
    call.enter(CPF)
    view = call.back()
    assert view.node_id == "abertura/cpf"
    assert view.value is not None and view.value.text == "***.982.247-**"
    view = call.enter(view.value.text)  # Enter on the masked CPF confirms it
    assert view.node_id == "abertura/contrato" and call.values()["cpf"] == "***.982.247-**"
    view = call.back(2)
    assert view.value is not None and view.value.text == "Maria Souza"


def test_going_back_to_a_question_highlights_the_previous_choice(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("sem-conexao"), stop="bloqueio")
    call.choose(2)
    view = call.back()
    assert [c.previous for c in view.choices] == [False, True]


# --- finishing: rules of the core -------------------------------------------------------
def test_an_os_is_never_finished_without_phones(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("cancelamento"))
    assert call.view().outcome.opens_os  # type: ignore[union-attr]
    phones = call.subjects[-1]
    # the same end reached with the phones left blank (a pack that forgot to ask for them)
    call.subjects[-1] = replace(
        phones,
        answers=tuple(replace(a, value="") if a.personal else a for a in phones.answers),
    )
    assert "phones" not in call.values()
    assert call.finish_problem() == PHONES_MISSING
    with pytest.raises(FinishRefused, match="telefone atualizado"):
        call.finish(confirmed=True)
    assert not call.finished
    call.set_context("phones", PHONE)
    assert call.finish_problem() == ""
    assert PHONE in call.finish()


def test_finishing_before_the_end_needs_a_yes(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("financeiro"), stop="assunto")
    assert call.needs_confirmation()
    with pytest.raises(FinishNeedsConfirmation):
        call.finish()
    assert not call.finished
    call.finish(confirmed=True)
    record = call.history.get(call.call_id)  # type: ignore[union-attr, arg-type]
    assert record is not None and record.finished and record.outcome == "open"


# --- customer data --------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    [
        "529.982.247-25",
        "52998224725",
        "529 982 247 25",
        "529/982/247-25",
        "CPF: 529.982.247-25",
        "５２９．９８２．２４７－２５",
        "11.222.333/0001-81",  # a CNPJ
        "11222333000181",
    ],
)
def test_a_cpf_or_cnpj_is_never_stored_in_clear_whatever_field(
    pack: Pack, db: Path, typed: str
) -> None:
    call = new_call(pack, db)
    call.start_flow("sem-conexao")
    call.enter(f"Maria {typed}")  # the name
    call.enter("")  # no CPF
    call.enter(typed)  # the contract
    call.enter(f"prot {typed}")  # the protocol
    call.set_context("pppoe", typed)
    call.set_notes(f"titular {typed}")
    call.set_draft(typed)
    digits = "".join(str(int(c)) for c in typed if c.isdecimal())
    raw = raw_bytes(db).decode("utf-8", "replace")
    compact = "".join(str(int(c)) if c.isdecimal() else c for c in raw)
    for text in (compact, compact.replace(".", "").replace("-", "").replace("/", "")):
        assert digits not in text.replace(" ", "")
    assert typed not in raw
    note = call.note_text()
    assert digits not in "".join(c for c in note if c.isdecimal())


def test_after_finishing_phones_live_only_in_the_note(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("cancelamento"))  # an OS, phones asked on the way
    call.set_notes(f"ligar também {PHONE}")
    note = call.finish()
    assert PHONE in note
    store = reopen(db)
    record = store.get(call.call_id)  # type: ignore[arg-type]
    assert record is not None and record.finished
    assert PHONE_DIGITS in record.note_text
    assert PHONE_DIGITS not in json.dumps(record.session) and record.notes == ""
    steps = store.steps(record.id)
    assert not any(PHONE_DIGITS in s.answer + s.value for s in steps)
    assert not any(PHONE_DIGITS in json.dumps(s.session) for s in store.subjects(record.id))
    store.close()
    raw = raw_bytes(db)
    assert raw.count(PHONE_DIGITS.encode()) == raw.count(b"ligar tamb") + 1  # only the note


def test_a_discarded_call_keeps_its_phones_only_in_its_note(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("cancelamento"), stop="escalar_prioridade/fora_do_turno")
    call.set_notes("cliente pede retorno")
    assert PHONE_DIGITS in call.values()["phones"]
    store = reopen(db, call)
    record = call_to_resume(store, {pack.id})
    assert record is not None
    discard_call(store, Triage(pack, FrozenClock(NIGHT)), record, FrozenClock(NIGHT))
    kept = store.get(record.id)
    assert kept is not None and kept.discarded and not kept.finished
    assert PHONE_DIGITS in kept.note_text and "cliente pede retorno" in kept.note_text
    assert PHONE_DIGITS not in json.dumps(kept.session) and kept.notes == ""
    assert call_to_resume(store, {pack.id}) is None  # not offered again
    store.close()
    raw = raw_bytes(db)
    assert raw.count(PHONE_DIGITS.encode()) == 1  # the note; the WAL was emptied


# --- what a team store needs ----------------------------------------------------------
def test_uids_are_stable_and_revisions_count_every_save(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    call.start_flow("sem-conexao")
    call.enter("Maria Souza")
    store = call.history
    assert store is not None and call.call_id is not None
    first = store.get(call.call_id)
    uids = [s.uid for s in store.steps(call.call_id)]
    call.enter(CPF)
    second = store.get(call.call_id)
    assert first is not None and second is not None
    assert second.uid == first.uid == call.uid and second.revision == first.revision + 1
    assert [s.uid for s in store.steps(call.call_id)][: len(uids)] == uids
    assert second.pack_id == pack.id and second.pack_version == pack.version
    assert second.agent == "Ana"


def test_every_step_records_the_n1_and_call_center_states(pack: Pack, db: Path) -> None:
    clock = FrozenClock(dt.datetime(2026, 11, 25, 9, 0, tzinfo=BRT))  # Wednesday morning
    call = new_call(pack, db, clock)
    call.start_flow("sem-conexao")
    call.enter("Maria Souza")
    clock.moment = NIGHT  # the second step at night
    call.enter(CPF)
    steps = call.history.steps(call.call_id)  # type: ignore[union-attr, arg-type]
    assert [s.n1_state for s in steps] == ["on_shift", "closed"]
    assert all(s.call_center_state for s in steps)


# --- the escalation wording follows the live N1 ----------------------------------------
def test_the_step_after_a_shift_node_follows_n1_closing(pack: Pack, db: Path) -> None:
    # Wednesday 12:20 in Brasília = 11:20 in Mato Grosso: N1 on shift until 11:30
    clock = FrozenClock(dt.datetime(2026, 11, 25, 12, 20, tzinfo=BRT))
    call = new_call(pack, db, clock)
    view = walk(call, call.start_flow("cancelamento"), stop="escalar_prioridade/no_turno")
    assert view.node_id == "escalar_prioridade/no_turno"
    assert call.refresh() is None  # still on shift: nothing moves
    clock.advance(minutes=15)  # 11:35 in Mato Grosso: N1 at lunch
    moved = call.refresh()
    assert moved is not None and moved.node_id == "escalar_prioridade/fora_do_turno"
    assert "retorna" in moved.say
    steps = call.history.steps(call.call_id)  # type: ignore[union-attr, arg-type]
    assert steps[-1].node_id == "escalar_prioridade/turno" or steps[-2].verdict == "off_shift"
    assert call.refresh() is None
