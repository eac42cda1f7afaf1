"""The triage engine: answers, undo, restart, context edits, saved sessions, privacy."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.errors import InputError
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.session import Draft, Session, SessionError

BRT = ZoneInfo("America/Sao_Paulo")
NIGHT = dt.datetime(2026, 11, 24, 23, 10, tzinfo=BRT)  # Tuesday 22:10 in Mato Grosso: N1 closed
MORNING = dt.datetime(2026, 11, 25, 9, 0, tzinfo=BRT)  # Wednesday 08:00 in Mato Grosso: N1 on shift
CPF = "529.982.247-25"


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NIGHT)


@pytest.fixture
def triage(pack: Pack, clock: Clock) -> Triage:
    return Triage(pack, clock)


def opened(triage: Triage, flow_id: str = "sem-conexao", area: int = 1) -> Session:
    session = triage.start(flow_id)
    for text in ("Maria Souza", CPF, "4821", "20261124-0001"):
        session = triage.enter(session, text)
    session = triage.choose(session, area)
    return triage.enter(session, "Sem internet")


def test_a_flow_starts_with_the_shared_opening(triage: Triage) -> None:
    view = triage.view(triage.start("lentidao"))
    assert view.node_id == "abertura/cliente" and view.kind == "value"
    assert view.value is not None and view.value.name == "customer_name"
    assert not view.can_back and not view.ended


def test_the_opening_collects_the_call_context(triage: Triage) -> None:
    values = triage.values(opened(triage))
    assert dict(values) == {
        "customer_name": "Maria Souza",
        "cpf": "***.982.247-**",
        "contract": "4821",
        "protocol": "20261124-0001",
        "area": "urbana",
        "report": "Sem internet",
    }
    assert [f.name for f in triage.context_fields][:5] == [
        "customer_name",
        "cpf",
        "contract",
        "pppoe",
        "protocol",
    ]


def test_texts_are_filled_with_facts_and_call_values(triage: Triage) -> None:
    session = triage.choose(opened(triage), 2)
    session = triage.enter(session, "")
    view = triage.view(session)
    assert view.node_id == "desbloqueio_oferta"
    assert view.do == "No IXC, faça o desbloqueio de confiança no contrato 4821."
    assert "0800 308 1020" in view.note
    assert view.choices[0].label == "Desbloqueado, a conexão voltou"


def test_invalid_input_is_refused_and_not_recorded(triage: Triage) -> None:
    session = triage.choose(triage.choose(opened(triage), 1), 4)
    session = triage.choose(session, 1)
    assert triage.view(session).node_id == "sinal_rx"
    for bad in ("abc", "27", ""):
        with pytest.raises(InputError):
            triage.enter(session, bad)
    with pytest.raises(InputError, match="não é uma pergunta"):
        triage.choose(session, 1)
    assert triage.view(session).node_id == "sinal_rx"


def test_choice_out_of_range(triage: Triage) -> None:
    session = opened(triage)
    for number in (0, 3, 10):
        with pytest.raises(InputError, match="escolha um número de 1 a 2"):
            triage.choose(session, number)


def test_live_preview_of_a_value(triage: Triage) -> None:
    session = triage.choose(triage.choose(triage.choose(opened(triage), 1), 4), 1)
    preview = triage.preview(session, "-27")
    assert preview.ok and preview.verdict == "outside"
    assert preview.message == "-27 dBm: fora da faixa ideal (-15 a -22 dBm), abaixo do mínimo"
    assert not triage.preview(session, "-2x").ok
    assert triage.preview(session, "").message == ""
    assert triage.view(session).value.check == "faixa ideal: -15 a -22 dBm"


def test_optional_value_left_empty_is_missing(triage: Triage) -> None:
    session = triage.enter(triage.choose(opened(triage), 2), "")
    step = triage.path(session)[-1]
    assert step.node_id == "ultimo_desbloqueio" and step.verdict == "missing"
    assert step.answer == "não informado"


def test_back_undoes_the_human_step_and_the_automatic_ones_after_it(triage: Triage) -> None:
    before = opened(triage)
    after = triage.choose(before, 1)  # "not blocked", then the automatic branch on the area
    assert [s.node_id for s in triage.path(after)][-2:] == ["bloqueio", "tecnologia"]
    assert triage.path(after)[-1].auto
    back = triage.back(after)
    assert replace(back, draft=None) == before
    assert back.draft == Draft("bloqueio", "1", kept=True)  # the choice it had, highlighted
    assert [c.previous for c in triage.view(back).choices] == [True, False]


def test_back_several_steps_and_past_the_start(triage: Triage) -> None:
    session = opened(triage)
    assert triage.view(triage.back(session, 2)).node_id == "abertura/area"
    start = triage.back(session, 50)
    assert start.answers == () and triage.view(start).node_id == "abertura/cliente"
    assert triage.back(start) == start


def test_restart_keeps_the_notes_and_panel_edits(triage: Triage) -> None:
    session = triage.set_context(opened(triage), "pppoe", "maria.souza")
    session = triage.with_notes(session, "cliente calma")
    again = triage.restart(session)
    assert again.answers == () and again.notes == "cliente calma"
    assert triage.values(again) == {"pppoe": "maria.souza"}


def test_panel_edits_and_answers_the_latest_wins(triage: Triage) -> None:
    session = triage.set_context(triage.start("sem-conexao"), "protocol", "111")
    for text in ("Maria Souza", "", "4821"):
        session = triage.enter(session, text)
    view = triage.view(session)
    assert view.node_id == "abertura/protocolo" and view.value.default == "111"
    answered = triage.enter(session, "222")
    assert triage.values(answered)["protocol"] == "222"  # typed at the prompt, after the edit
    edited = triage.set_context(answered, "protocol", "333")
    assert triage.values(edited)["protocol"] == "333"  # edited after the answer
    assert triage.values(triage.back(answered))["protocol"] == "111"  # undo brings the edit back
    cleared = triage.set_context(edited, "protocol", "")
    assert triage.values(cleared)["protocol"] == "222"


def test_panel_values_are_validated(triage: Triage) -> None:
    session = triage.start("sem-conexao")
    session = triage.set_context(session, "cpf", "52998224725")
    assert triage.values(session)["cpf"] == "***.982.247-**"
    with pytest.raises(InputError, match="verificadores"):
        triage.set_context(session, "cpf", "529.982.247-24")
    assert triage.values(triage.set_context(session, "area", "Rural"))["area"] == "rural"
    with pytest.raises(InputError, match="urbana, rural"):
        triage.set_context(session, "area", "marte")
    with pytest.raises(InputError, match='você quis dizer "phones"'):
        triage.set_context(session, "phone", "65999887766")


def test_masked_cpf_default_is_accepted_as_is(triage: Triage) -> None:
    session = triage.set_context(triage.start("sem-conexao"), "cpf", CPF)
    session = triage.enter(session, "Maria")
    view = triage.view(session)
    assert view.value.default == "***.982.247-**"
    session = triage.enter(session, view.value.default)
    assert triage.values(session)["cpf"] == "***.982.247-**"


def test_a_new_flow_carries_the_call_context(triage: Triage) -> None:
    first = triage.with_notes(opened(triage), "ligou duas vezes")
    second = triage.start("lentidao", carry=first)
    assert second.notes == "ligou duas vezes"
    assert triage.values(second)["contract"] == "4821"
    # the opening is answered from what the call knows: the report is this subject's own
    assert triage.view(second).node_id == "abertura/relato"
    carried = [s for s in triage.path(second) if not s.auto]
    assert [s.node_id.split("/")[1] for s in carried] == [
        "cliente", "cpf", "contrato", "protocolo", "area"
    ]  # fmt: skip
    assert all(a.carried for a in second.answers if not a.auto)
    assert "report" not in triage.values(second)
    area = triage.view(triage.back(second))  # going back edits what was carried
    assert area.node_id == "abertura/area"
    assert [c.suggested for c in area.choices] == [True, False]


def test_an_unknown_value_stops_the_carried_answers(triage: Triage) -> None:
    second = triage.start("lentidao", carry={"customer_name": "Maria", "contract": "4821"})
    view = triage.view(second)
    assert view.node_id == "abertura/cpf"  # the CPF is not known: asked
    assert view.value is not None and view.value.default == ""
    assert triage.values(second)["contract"] == "4821"


def test_session_round_trips_through_json(triage: Triage) -> None:
    session = triage.with_notes(triage.choose(opened(triage), 1), "nota")
    data = json.loads(json.dumps(session.to_dict()))
    assert Session.from_dict(data) == session
    assert triage.restore(data) == session


def test_shift_verdict_is_recorded_and_replayed(pack: Pack, triage: Triage, clock: Clock) -> None:
    session = triage.choose(triage.choose(triage.choose(opened(triage), 1), 4), 1)
    session = triage.choose(triage.enter(session, "-27"), 2)
    session = triage.enter(session, "65999887766")
    view = triage.view(session)
    assert view.node_id == "escalar_sinal/fora_do_turno"
    assert "retorna amanhã às 07:30, horário de Mato Grosso (GMT-4)" in view.say
    assert "estimativa de 24 horas úteis: sexta 27/11 às 17:30, horário de Mato Grosso" in view.note
    clock.now = MORNING  # N1 is on shift now, but the call already went the other way
    restored = Triage(pack, clock).restore(session.to_dict())
    assert triage.view(restored).node_id == "escalar_sinal/fora_do_turno"
    shift = [s for s in triage.path(restored) if s.kind == "shift"]
    assert shift[0].verdict == "off_shift"
    assert shift[0].value == "fechado, volta amanhã às 07:30 (GMT-4)"


def test_on_shift_branch_with_the_real_calendar(triage: Triage, clock: Clock) -> None:
    clock.now = MORNING
    session = triage.choose(triage.choose(triage.choose(opened(triage), 1), 4), 1)
    session = triage.enter(triage.choose(triage.enter(session, "-27"), 2), "65999887766")
    assert triage.view(session).node_id == "escalar_sinal/no_turno"


def test_restoring_a_session_whose_flow_changed_fails_cleanly(triage: Triage) -> None:
    data = triage.choose(opened(triage), 1).to_dict()
    gone = json.loads(json.dumps(data))
    gone["answers"][-2]["node"] = "etapa_que_sumiu"
    with pytest.raises(SessionError, match="mudou"):
        triage.restore(gone)
    bad_choice = json.loads(json.dumps(data))
    bad_choice["answers"][-2]["choice"] = 7
    with pytest.raises(SessionError, match="não cabe mais"):
        triage.restore(bad_choice)
    other = dict(data, flow_id="fluxo-apagado")
    with pytest.raises(SessionError, match="não existe mais"):
        triage.restore(other)


@pytest.mark.parametrize(
    "damage",
    [
        {"version": 99},
        {"started_at": "ontem"},
        {"started_at": "2026-11-24T23:10:00"},  # no zone
        {"answers": [{"node": 3, "at": "2026-11-24T23:10:00-03:00"}]},
        {"answers": [{"at": "2026-11-24T23:10:00-03:00"}]},
        {"edits": [{"name": "cpf"}]},
        {"flow_id": None},
    ],
)
def test_damaged_saved_sessions_raise_session_error(triage: Triage, damage: dict) -> None:
    data = dict(triage.start("sem-conexao").to_dict(), **damage)
    with pytest.raises(SessionError):
        Session.from_dict(data)


def test_personal_values_are_dropped_when_the_call_ends(triage: Triage) -> None:
    session = triage.choose(triage.choose(triage.choose(opened(triage), 1), 4), 1)
    session = triage.enter(triage.choose(triage.enter(session, "-27"), 2), "65999887766")
    session = triage.set_context(session, "phones", "65 3308-4455")
    scrubbed = session.without_personal()
    text = json.dumps(scrubbed.to_dict())
    assert "99988" not in text and "3308" not in text
    assert "***.982.247-**" in text and "529.982" not in json.dumps(session.to_dict())
    assert triage.view(triage.restore(scrubbed.to_dict())).node_id == triage.view(session).node_id


def test_unknown_flow_and_naive_clock(pack: Pack, triage: Triage) -> None:
    with pytest.raises(InputError, match='você quis dizer "lentidao"'):
        triage.start("lentidão")
    with pytest.raises(ValueError, match="aware"):
        Triage(pack, lambda: dt.datetime(2026, 11, 24, 23, 10)).start("sem-conexao")


def test_fill_any_text_with_live_n1_values(triage: Triage) -> None:
    session = opened(triage)
    text = triage.fill(
        session, "{call.customer_name}: {n1.status}; prazo {n1.sla}; {fees.visit_city}"
    )
    assert text == (
        "Maria Souza: fechado, volta amanhã às 07:30 (GMT-4); prazo estimativa de 24 horas "
        "úteis: sexta 27/11 às 17:30, horário de Mato Grosso (GMT-4), contando só as horas "
        "de atendimento do N1 (sem almoço, noites, domingos e feriados); não informe esta "
        "data ao cliente; R$ 40,00"
    )
    assert triage.fill(session, "{call.rx}") == "(não informado)"


def test_a_cpf_typed_in_free_text_is_kept_masked(triage: Triage) -> None:
    session = triage.start("sem-conexao")
    session = triage.enter(session, "Maria, CPF 529.982.247-25")
    session = triage.with_notes(session, "titular 52998224725; protocolo 12345678901")
    session = triage.set_context(session, "report", "cpf 529 982 247 25")
    text = json.dumps(session.to_dict())
    assert "529.982.247-25" not in text and "52998224725" not in text
    assert "529 982 247 25" not in text
    assert triage.values(session)["customer_name"] == "Maria, CPF ***.982.247-**"
    assert session.notes == "titular ***.982.247-**; protocolo 12345678901"  # not a valid CPF


def test_a_cpf_typed_as_an_identifier_is_masked_a_real_one_is_kept(triage: Triage) -> None:
    session = triage.set_context(triage.start("sem-conexao"), "protocol", "52998224725")
    assert triage.values(session)["protocol"] == "***.982.247-**"
    session = triage.set_context(session, "protocol", "20261124-0001")
    assert triage.values(session)["protocol"] == "20261124-0001"
