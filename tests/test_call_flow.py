"""LiveCall's bookkeeping: the outcome and urgency a call is filed under, resuming and
reloading without losing the call's identity, abandoning, and nothing written after the end.

Real calls on the frozen fixture pack, saved to a real SQLite file in a temp folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mutum_copilot.call import FinishNeedsConfirmation, LiveCall, call_to_resume
from mutum_copilot.callstate import subjects_of
from mutum_copilot.clock import FrozenClock
from mutum_copilot.history import HistoryStore
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.engine import Triage
from tests.live_calls import FIXTURE, NIGHT, VALUES, new_call, walk


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(FIXTURE)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def stored(call: LiveCall) -> Any:
    assert call.history is not None and call.call_id is not None
    record = call.history.get(call.call_id)
    assert record is not None
    return record


# --- what a finished call is filed under ----------------------------------------------
def test_a_call_is_urgent_when_any_subject_is(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    assert walk(call, call.start_flow("cancelamento"), 1).node_id == "fim_prioridade"  # alta
    assert walk(call, call.start_flow("sem-conexao"), 3).node_id == "fim_os_equipamento"
    call.finish()
    record = stored(call)
    assert record.urgency == "alta"
    assert record.outcome == "os_n1"  # the last subject's outcome


def test_the_urgency_is_the_subjects_when_none_is_high(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("sem-conexao"), 3)  # os_n1, normal
    walk(call, call.start_flow("financeiro"), 1)  # resolved, no urgency
    call.finish()
    record = stored(call)
    assert (record.urgency, record.outcome) == ("normal", "resolved")


def test_a_call_without_urgency_is_filed_without_one(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("financeiro"), 1)
    text = call.finish()
    record = stored(call)
    assert (record.urgency, record.outcome) == ("", "resolved")
    assert record.note_text == text and "Financeiro" in text
    assert call.finished and not call.active and call.warning == ""


def test_finishing_early_files_the_call_as_open(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("financeiro"), stop="assunto")
    with pytest.raises(FinishNeedsConfirmation, match="não chegou ao fim"):
        call.finish()
    call.finish(confirmed=True)
    assert stored(call).outcome == "open"


def test_a_finished_call_keeps_its_start_time_and_no_notes_outside_the_note(
    pack: Pack, db: Path
) -> None:
    clock = FrozenClock(NIGHT)
    call = new_call(pack, db, clock)
    call.set_notes("cliente sem luz no poste")
    walk(call, call.start_flow("financeiro"))
    clock.advance(minutes=7)
    text = call.finish()
    record = stored(call)
    assert record.started_at == NIGHT and record.finished_at == NIGHT + dt.timedelta(minutes=7)
    assert "cliente sem luz no poste" in text
    assert record.notes == "" and record.session["notes"] == ""
    assert all(not s.get("notes") for s in subjects_of(record.session))


def test_nothing_is_written_after_the_end(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    view = walk(call, call.start_flow("sem-conexao"), 3)
    call.finish()
    before = stored(call)
    draft = call.session.draft if call.session is not None else None
    call.set_notes("depois do fim")
    call.set_draft("digitado depois")
    assert call.refresh() is None
    after = stored(call)
    assert (after.revision, after.notes, after.finished) == (before.revision, "", True)
    assert call.session is not None and call.session.draft == draft
    assert call.view() == view


def test_a_call_without_history_still_finishes(pack: Pack) -> None:
    call = new_call(pack, None)
    assert call.values() == {}
    call.set_notes("anotação")
    walk(call, call.start_flow("financeiro"))
    assert call.call_id is None and "anotação" in call.finish()


# --- abandoning -----------------------------------------------------------------------
def test_an_abandoned_call_is_recorded_as_interrupted_with_its_note(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("financeiro"), stop="assunto")
    call.abandon()
    record = stored(call)
    assert call.finished and record.finished and record.outcome == "interrupted"
    assert "Financeiro" in record.note_text
    revision = record.revision
    call.abandon()  # twice: nothing more
    assert stored(call).revision == revision


def test_abandoning_an_empty_call_records_nothing(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    call.abandon()
    assert call.finished and call.call_id is None
    assert call_to_resume(HistoryStore(db), {pack.id}) is None


# --- the subject picked by mistake ----------------------------------------------------
def test_a_second_subject_picked_by_mistake_is_replaced(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("financeiro"))
    call.start_flow("senha-wifi")  # only what the call already knew: carried answers
    call.start_flow("cancelamento")
    assert [s.flow_id for s in call.subjects] == ["financeiro", "cancelamento"]


# --- resuming and reloading keep the call's identity ----------------------------------
def test_a_resumed_call_goes_on_in_the_same_record(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("financeiro"), stop="assunto")
    call.set_notes("volta já")
    uid, call_id = call.uid, call.call_id
    assert call.history is not None
    call.history.close()
    store = HistoryStore(db)
    record = call_to_resume(store, {pack.id})
    assert record is not None
    store.close()
    clock = FrozenClock(NIGHT + dt.timedelta(minutes=30))
    again = new_call(pack, db, clock)
    view = again.resume(record)
    assert view is not None and view.node_id == "assunto"
    assert (again.uid, again.call_id, again.started_at) == (uid, call_id, NIGHT)
    assert again.notes == "volta já"
    walk(again, view)
    again.finish()
    done = stored(again)
    assert done.id == call_id and done.uid == uid and done.started_at == NIGHT


def _strip(data: Any, keys: set[str]) -> Any:
    if isinstance(data, dict):
        return {k: _strip(v, keys) for k, v in data.items() if k not in keys}
    if isinstance(data, list):
        return [_strip(v, keys) for v in data]
    return data


@pytest.mark.parametrize("session_uid", [True, False])
def test_a_call_saved_before_uids_gets_them_once(pack: Pack, db: Path, session_uid: bool) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("financeiro"), stop="assunto")
    record = stored(call)
    old_uid = call.subjects[0].uid
    legacy = _strip(dict(record.session), {"uid"})
    if session_uid:  # the subject had one, its answers not yet
        legacy["subjects"][0]["uid"] = old_uid
    again = new_call(pack, db)
    again.resume(replace(record, session=legacy))
    session = again.subjects[0]
    assert len(session.uid) == 32 and session.answers
    assert all(len(a.uid) == 32 for a in session.answers)
    assert len({a.uid for a in session.answers}) == len(session.answers)
    assert (session.uid == old_uid) is session_uid
    assert [a.node for a in session.answers] == [a.node for a in call.subjects[0].answers]


def test_a_call_with_every_uid_is_resumed_unchanged(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    walk(call, call.start_flow("financeiro"), stop="assunto")
    again = new_call(pack, db)
    again.resume(stored(call))
    assert again.subjects == call.subjects


def test_a_call_on_a_reloaded_pack_is_the_same_call(pack: Pack, db: Path) -> None:
    clock = FrozenClock(NIGHT)
    call = new_call(pack, db, clock)
    walk(call, call.start_flow("financeiro"), stop="assunto")
    call.set_notes("antes do recarregar")
    other = call.rebased(Triage(load_pack(FIXTURE), clock))
    assert (other.uid, other.call_id, other.started_at) == (call.uid, call.call_id, NIGHT)
    assert (other.agent, other.pack_id, other.notes) == ("Ana", pack.id, "antes do recarregar")
    assert (other.finished, other.pending, other.warning) == (False, False, "")
    assert other.history is call.history and other.clock is clock
    assert other.pack_version == pack.version and call.shift_clock is not None
    assert other.shift_clock is call.shift_clock  # the N1 calendar is not rebuilt
    assert [s.to_dict() for s in other.subjects] == [s.to_dict() for s in call.subjects]
    assert other.to_dict() == call.to_dict()
    assert other.to_dict()["notes"] == "antes do recarregar"
    assert [s["flow_id"] for s in other.to_dict()["subjects"]] == ["financeiro"]
    walk(other, other.view() or other.start_flow("financeiro"))
    other.finish()
    assert stored(other).id == call.call_id


def test_retry_save_is_true_once_the_call_is_on_disk(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    call.start_flow("financeiro")
    revision = stored(call).revision
    assert call.retry_save() and not call.pending
    assert stored(call).revision == revision  # nothing pending: nothing written again


def test_the_preview_judges_the_value_being_typed(pack: Pack, db: Path) -> None:
    call = new_call(pack, db)
    view = call.start_flow("sem-conexao")
    while view.kind != "value" or view.value is None or view.value.kind != "cpf":
        view = (
            call.choose(1)
            if view.kind == "ask"
            else (call.enter(VALUES[view.value.kind]) if view.value else call.proceed())
        )
    assert not call.preview("123").ok
    assert call.preview(VALUES["cpf"]).ok


def test_the_note_names_the_agent_and_when_the_call_began(pack: Pack, db: Path) -> None:
    clock = FrozenClock(NIGHT)
    call = new_call(pack, db, clock)
    call.set_notes("ligou antes de escolher o assunto")  # the call begins here
    clock.advance(minutes=20)
    walk(call, call.start_flow("financeiro"))
    text = call.note_text()
    assert "Atendente: Ana" in text
    began, subject = NIGHT.strftime("%H:%M"), (NIGHT + dt.timedelta(minutes=20)).strftime("%H:%M")
    assert began in text and subject not in text
    assert call.note_texts(per_subject=False) == [text]
    assert stored(call).flow_title == "Financeiro"
