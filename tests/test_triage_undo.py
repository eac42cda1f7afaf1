"""The triage engine's going back, drafts, automatic answers and what a new subject carries.

Played on the frozen fixture pack (tests/packs/fixture) through the engine's public API.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.errors import InputError
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.checks import MISSING
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.session import Draft, Session
from mutum_copilot.triage.views import Preview

FIXTURE = Path(__file__).resolve().parent / "packs" / "fixture"
NIGHT = dt.datetime(2026, 11, 24, 23, 10, tzinfo=ZoneInfo("America/Sao_Paulo"))
CPF, MASKED = "529.982.247-25", "***.982.247-**"


@pytest.fixture(scope="module")
def triage() -> Triage:
    pack: Pack = load_pack(FIXTURE)
    return Triage(pack, lambda: NIGHT)


def to_area(triage: Triage) -> Session:
    session = triage.start("sem-conexao")
    for text in ("Maria Souza", CPF, "4821", "20261124-0001"):
        session = triage.enter(session, text)
    assert triage.view(session).node_id == "abertura/area"
    return session


def test_back_to_a_value_keeps_it_as_a_draft_ready_to_confirm(triage: Triage) -> None:
    session = triage.enter(triage.start("sem-conexao"), "Maria Souza")
    back = triage.back(session)
    assert triage.view(back).node_id == "abertura/cliente"
    assert back.draft == Draft("abertura/cliente", "Maria Souza", kept=True)


def test_a_masked_cpf_kept_from_going_back_is_confirmed_as_is(triage: Triage) -> None:
    session = triage.enter(triage.enter(triage.start("sem-conexao"), "Maria Souza"), CPF)
    back = triage.back(session)
    assert triage.view(back).node_id == "abertura/cpf"
    assert back.draft == Draft("abertura/cpf", MASKED, kept=True)
    assert "cpf" not in triage.values(back)
    assert triage.preview(back, MASKED).ok
    again = triage.enter(back, MASKED)  # the agent just confirms what the box shows
    assert triage.view(again).node_id == "abertura/contrato"
    assert triage.values(again)["cpf"] == MASKED


def test_a_masked_cpf_not_from_this_step_is_refused(triage: Triage) -> None:
    session = triage.enter(triage.start("sem-conexao"), "Maria Souza")
    with pytest.raises(InputError):
        triage.enter(session, MASKED)
    with pytest.raises(InputError):
        triage.enter(session, "111")
    assert triage.preview(session, "111").ok is False


def test_entering_a_value_clears_the_draft(triage: Triage) -> None:
    session = triage.with_draft(triage.start("sem-conexao"), "Mar")
    assert session.draft == Draft("abertura/cliente", "Mar", kept=False)
    assert triage.enter(session, "Maria Souza").draft is None


def test_an_empty_required_value_says_what_is_missing(triage: Triage) -> None:
    session = triage.start("sem-conexao")
    with pytest.raises(InputError, match="informe: "):
        triage.enter(session, "   ")


def test_an_optional_value_left_empty_is_missing_and_back_shows_it_empty(
    triage: Triage,
) -> None:
    session = triage.choose(to_area(triage), 1)
    assert triage.view(session).node_id == "abertura/relato"
    skipped = triage.skip(session)
    answer = skipped.answers[-1]
    assert (answer.node, answer.value, answer.verdict) == ("abertura/relato", None, MISSING)
    back = triage.back(skipped)
    assert triage.view(back).node_id == "abertura/relato" and back.draft is None


def test_automatic_answers_record_their_verdict_as_value(triage: Triage) -> None:
    session = triage.choose(triage.skip(triage.choose(to_area(triage), 2)), 1)
    auto = [a for a in session.answers if a.auto]
    assert [(a.node, a.value, a.verdict) for a in auto] == [("tecnologia", "rural", "rural")]
    city = triage.choose(triage.skip(triage.choose(to_area(triage), 1)), 1)
    assert [(a.value, a.verdict) for a in city.answers if a.auto] == [("urbana", "urbana")]
    assert all(len(a.uid) == 32 for a in session.answers)
    assert len({a.uid for a in session.answers}) == len(session.answers)


@pytest.mark.parametrize("area", [1, 2])
def test_a_new_subject_carries_the_choice_the_call_made(triage: Triage, area: int) -> None:
    first = triage.skip(triage.choose(to_area(triage), area))
    second = triage.start("financeiro", carry=first)
    carried = {a.node: a for a in second.answers if a.carried}
    assert carried["abertura/area"].choice == area
    assert triage.values(second)["area"] == triage.values(first)["area"]
    assert triage.view(second).node_id == "abertura/relato"


def test_carried_values_keep_their_verdict_and_personal_flag(triage: Triage) -> None:
    first = triage.skip(triage.choose(to_area(triage), 1))
    second = triage.start("financeiro", carry=first)
    before = {a.node: a for a in first.answers}
    for answer in second.answers:
        if answer.carried and answer.value is not None:
            assert answer.verdict == before[answer.node].verdict
            assert answer.personal == before[answer.node].personal


def test_the_preview_of_each_kind_of_text(triage: Triage) -> None:
    at_cpf = triage.enter(triage.start("sem-conexao"), "Maria Souza")
    assert triage.preview(at_cpf, "   ") == Preview(False, "", "")
    with pytest.raises(InputError) as refused:
        triage.enter(at_cpf, "111")
    assert triage.preview(at_cpf, "111") == Preview(False, str(refused.value), "")
    assert str(refused.value)
    good = triage.preview(at_cpf, CPF)
    assert good.ok and good.verdict == ""
    back = triage.back(triage.enter(at_cpf, CPF))
    assert triage.preview(back, MASKED) == Preview(True, MASKED, "")
    assert triage.preview(back, " " + MASKED + " ") == Preview(True, MASKED, "")
    assert not triage.preview(back, "***.111.222-**").ok  # not the one it had


def test_a_value_step_is_asked_only_on_a_value_step(triage: Triage) -> None:
    at_area = to_area(triage)
    for act in (lambda: triage.preview(at_area, "x"), lambda: triage.enter(at_area, "x")):
        with pytest.raises(InputError, match="a etapa atual não é um valor"):
            act()


def test_panel_edits_of_two_fields_are_both_kept(triage: Triage) -> None:
    session = triage.set_context(triage.start("sem-conexao"), "protocol", "111")
    session = triage.set_context(session, "contract", "4821")
    values = triage.values(session)
    assert (values["protocol"], values["contract"]) == ("111", "4821")


def test_an_answer_typed_again_after_going_back_wins_over_an_older_edit(
    triage: Triage,
) -> None:
    session = triage.enter(triage.start("sem-conexao"), "Maria Souza")
    edited = triage.set_context(session, "customer_name", "Joana Lima")
    assert triage.values(edited)["customer_name"] == "Joana Lima"
    back = triage.back(edited)
    assert triage.values(back)["customer_name"] == "Joana Lima"  # the edit stays
    again = triage.enter(back, "Ana Paula")
    assert triage.values(again)["customer_name"] == "Ana Paula"  # typed after it


def test_a_draft_is_kept_masked_and_stays_confirmable_only_unchanged(triage: Triage) -> None:
    start = triage.start("sem-conexao")
    assert not triage.view(start).can_back
    at_cpf = triage.enter(start, "Maria Souza")
    assert triage.view(at_cpf).can_back
    typed = triage.with_draft(at_cpf, "CPF " + CPF)
    assert typed.draft == Draft("abertura/cpf", "CPF " + MASKED, kept=False)
    assert triage.with_draft(typed, "CPF " + CPF) is typed  # nothing new: the same session
    back = triage.back(triage.enter(at_cpf, CPF))
    assert triage.with_draft(back, MASKED) is back
    assert triage.with_draft(back, MASKED + "9").draft == Draft(
        "abertura/cpf", MASKED + "9", kept=False
    )
    assert triage.with_draft(triage.with_draft(back, "x"), MASKED).draft == Draft(
        "abertura/cpf", MASKED, kept=False
    )  # edited away and back: no longer the answer it had
    at_area = to_area(triage)
    assert triage.with_draft(at_area, "x") is at_area  # no box on a question


def test_a_draft_of_another_step_is_not_shown(triage: Triage) -> None:
    at_cpf = triage.with_draft(triage.enter(triage.start("sem-conexao"), "Maria Souza"), "529")
    moved = triage.enter(at_cpf, CPF)
    assert moved.draft is None
    stale = Session(
        moved.flow_id, moved.started_at, moved.answers, draft=Draft("abertura/cpf", "529")
    )
    shown = triage.view(stale).value  # now at the contract: the CPF's draft is not its box
    assert shown is not None and shown.typed is None
    here = triage.view(at_cpf).value
    assert here is not None and here.typed == "529"
