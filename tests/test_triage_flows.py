"""Every flow of the bundled pack, walked through the engine to each of its outcomes.

For each end of each flow a path is planned over the flow's graph (choices,
values that give the needed verdict, the N1 clock on or off shift), then
driven through :class:`Triage` exactly as the TUI would, with a detour and a
``back`` in the middle that must restore the session exactly. The OS note of
every walk is built too. Hand-written walks below read as specifications of
the important paths.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import deque
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import PACK_DIR

from mutum_copilot.note import WIDTH, build_note
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.triage.checks import PeriodCheck, SignalCheck
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.models import AskNode, BranchNode, EndNode, InfoNode, ShiftNode, ValueNode
from mutum_copilot.triage.session import Session
from mutum_copilot.triage.validate import verdicts

BRT = ZoneInfo("America/Sao_Paulo")
NOW = dt.datetime(2026, 11, 24, 23, 10, tzinfo=BRT)  # a Tuesday night, N1 closed
TODAY = dt.date(2026, 11, 24)
CPF = "529.982.247-25"
PACK = load_pack(PACK_DIR)


@dataclass
class FakeN1:
    """An N1 clock the test switches on and off."""

    on_shift: bool = False

    def status(self, at: dt.datetime) -> Any:
        label = "no turno até 11:30" if self.on_shift else "fechado, volta amanhã às 07:30"
        reopen = None if self.on_shift else at + dt.timedelta(hours=9)
        return SimpleNamespace(on_shift=self.on_shift, label=label, next_open=reopen)

    def add_working_hours(self, at: dt.datetime, hours: float) -> dt.datetime:
        return at + dt.timedelta(days=3)


def typed(node: ValueNode, verdict: str) -> str:
    """Text that gives ``verdict`` at a value node."""
    check = node.check_spec
    if verdict == "missing":
        return ""
    if isinstance(check, SignalCheck):
        middle = (check.range.low + check.range.high) / 2
        return str(middle if verdict == "inside" else check.range.low - 5).replace(".", ",")
    if isinstance(check, PeriodCheck):
        return "hoje" if verdict == "within" else "01/01/2020"
    samples = {
        "cpf": CPF,
        "mac4": "a1-b2",
        "phone": "65 99988-7766",
        "phones": "65999887766, (65) 3308-4455",
        "number": "87,5",
        "dbm": "-20",
        "date": "ontem",
    }
    return samples.get(node.value.kind, "Texto de teste")


def plan(flow: Any, target: str) -> list[tuple[str, Any]]:
    """The shortest list of actions from the entry to ``target``; branches follow set values."""
    tracked = {n.on for n in flow.nodes.values() if isinstance(n, BranchNode)}
    start = (flow.entry, frozenset())
    parent: dict[Any, Any] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        node_id, values = state
        if node_id == target:
            break
        for action, nxt, sets in moves(flow.nodes[node_id], dict(values)):
            new = (
                nxt,
                frozenset(
                    {**dict(values), **{k: v for k, v in sets.items() if k in tracked}}.items()
                ),
            )
            if new not in parent:
                parent[new] = (state, action)
                queue.append(new)
    else:
        raise AssertionError(f"{target} not reachable")
    actions = []
    while parent[state] is not None:
        state, action = parent[state]
        actions.append(action)
    return [a for a in reversed(actions) if a is not None]


def moves(node: Any, values: dict[str, str]) -> list[tuple[Any, str, dict[str, str]]]:
    if isinstance(node, AskNode):
        return [
            (("choose", i), c.next, dict(c.assign)) for i, c in enumerate(node.choices, start=1)
        ]
    if isinstance(node, InfoNode):
        return [(("proceed", None), node.next, {})]
    if isinstance(node, ValueNode):
        return [
            (("enter", typed(node, v)), node.target(v), {})
            for v in verdicts(node)
            if node.target(v)
        ]
    if isinstance(node, BranchNode):
        return [(None, node.target(values.get(node.on, "")), {})]
    if isinstance(node, ShiftNode):
        return [(("shift", True), node.on_shift, {}), (("shift", False), node.off_shift, {})]
    return []


def act(triage: Triage, session: Session, action: tuple[str, Any]) -> Session:
    kind, arg = action
    if kind == "choose":
        return triage.choose(session, arg)
    if kind == "proceed":
        return triage.proceed(session)
    return triage.enter(session, arg)


def detour(triage: Triage, session: Session, action: tuple[str, Any]) -> tuple[str, Any]:
    """Another action at the same step, to take and then undo."""
    node = triage.position(session).node
    if action[0] == "choose" and len(node.choices) > 1:
        return ("choose", 2 if action[1] == 1 else 1)
    if action[0] == "enter":
        options = [typed(node, v) for v in verdicts(node)]
        others = [o for o in options if o != action[1]]
        return ("enter", others[0] if others else action[1])
    return action


def walk(flow_id: str, target: str, detour_at: int | None = None) -> tuple[Triage, Session]:
    fake = FakeN1()
    triage = Triage(PACK, lambda: NOW, fake)
    session = triage.start(flow_id)
    actions = plan(PACK.flows[flow_id], target)
    human = [a for a in actions if a[0] != "shift"]
    for index, action in enumerate(actions):
        if action[0] == "shift":
            continue
        following = actions[index + 1] if index + 1 < len(actions) else None
        if following is not None and following[0] == "shift":
            fake.on_shift = following[1]
        if detour_at is not None and human.index(action) == detour_at:
            before = session
            session = triage.back(act(triage, session, detour(triage, session, action)))
            assert session.draft is None or session.draft.kept  # the detour, to confirm
            session = replace(session, draft=None)
            assert session == before, "back must restore the session exactly"
        session = act(triage, session, action)
    return triage, session


OUTCOMES = [(f.id, e.id) for f in PACK.flows.values() for e in f.ends()]


@pytest.mark.parametrize(("flow_id", "end_id"), OUTCOMES, ids=[f"{f}:{e}" for f, e in OUTCOMES])
def test_every_outcome_is_reached_with_an_undo_on_the_way(flow_id: str, end_id: str) -> None:
    steps = len(plan(PACK.flows[flow_id], end_id))
    triage, session = walk(flow_id, end_id, detour_at=steps // 2)
    view = triage.view(session)
    end: EndNode = PACK.flows[flow_id].nodes[end_id]
    assert view.ended and view.node_id == end_id
    assert view.outcome is not None and view.outcome.outcome == end.outcome
    values = triage.values(session)
    if end.opens_os:
        assert values["phones"].startswith("(65) 99988-7766")
    restored = triage.restore(json.loads(json.dumps(session.to_dict())))
    assert restored == session
    note = build_note(PACK, session, NOW)
    assert all(len(line) <= WIDTH for line in note.splitlines()), note
    assert view.outcome.label in note
    saved = json.dumps(session.to_dict()) + note
    assert "52998224725" not in saved and CPF not in saved


def test_every_flow_has_outcomes_of_the_kinds_the_issue_lists() -> None:
    outcomes = {e.outcome for f in PACK.flows.values() for e in f.ends()}
    assert outcomes == {
        "resolved",
        "os_n1",
        "transfer_commercial",
        "transfer_financial",
        "informed",
    }
    assert {"sem-conexao", "senha-wifi", "lentidao", "financeiro", "cancelamento"} <= set(
        PACK.flows
    )
    assert {"mudanca-endereco", "mudanca-ponto", "ip-fixo", "mesh-repetidores", "iptv"} <= set(
        PACK.flows
    )
    assert {"cameras", "cobertura"} <= set(PACK.flows)


def run(flow_id: str, *answers: Any, on_shift: bool = False) -> tuple[Triage, Session]:
    """Answer in order: an int chooses, a str is typed, None goes on from an information."""
    triage = Triage(PACK, lambda: NOW, FakeN1(on_shift))
    session = triage.start(flow_id)
    for answer in answers:
        if answer is None:
            session = triage.proceed(session)
        elif isinstance(answer, int):
            session = triage.choose(session, answer)
        else:
            session = triage.enter(session, answer)
    return triage, session


OPENING = ("Maria Souza", CPF, "4821", "20261124-0001")
URBAN = (*OPENING, 1, "Sem internet desde as 20h")
RURAL = (*OPENING, 2, "")


def test_sem_conexao_trust_unlock_used_recently_goes_to_payment() -> None:
    triage, session = run("sem-conexao", *URBAN, 2, "10/11/2026", None, None)
    assert triage.view(session).node_id == "fim_pagamento"
    [unlock] = [s for s in triage.path(session) if s.node_id == "ultimo_desbloqueio"]
    assert unlock.verdict == "within" and "completa em 10/12/2026" in unlock.verdict_text


def test_sem_conexao_trust_unlock_never_used_is_offered() -> None:
    triage, session = run("sem-conexao", *URBAN, 2, "", 1)
    assert triage.view(session).outcome.outcome == "resolved"


def test_sem_conexao_rural_goes_by_radio_and_tells_when_n1_is_back() -> None:
    triage, session = run("sem-conexao", *RURAL, 1, 1, 2, "65999887766")
    view = triage.view(session)
    assert view.node_id == "escalar_radio/fora_do_turno"
    assert "A equipe técnica retorna" in view.say and "horário de Mato Grosso" in view.say
    session = triage.proceed(session)
    assert triage.view(session).outcome.os_subject == "Sem conexão - cliente rural via rádio"


def test_sem_conexao_on_shift_says_the_team_will_look_now() -> None:
    triage, session = run("sem-conexao", *URBAN, 1, 1, 2, "65999887766", on_shift=True)
    assert "A equipe já vai analisar" in triage.view(session).say


def test_sem_conexao_measure_again_loops_through_the_question() -> None:
    triage, session = run("sem-conexao", *URBAN, 1, 4, 1, "-27", 1, "-20", "")
    assert triage.view(session).node_id == "reiniciar"
    rx = [s.value for s in triage.path(session) if s.node_id == "sinal_rx"]
    assert rx == ["-27 dBm", "-20 dBm"]


def test_senha_wifi_without_flashman_is_charged_and_opens_an_os() -> None:
    triage, session = run("senha-wifi", *URBAN, 3, 1, "65999887766", None)
    view = triage.view(session)
    assert view.outcome.opens_os and "cobrada" in view.outcome.os_subject
    [fee] = [s for s in triage.path(session) if s.node_id == "sem_flashman"]
    assert fee.answer == "Aceita a taxa; abrir a OS"


def test_senha_wifi_finds_the_router_by_the_mac() -> None:
    triage, session = run("senha-wifi", *URBAN, 2, "aa:bb:cc:dd:a1:b2")
    assert triage.view(session).question == "Achou o roteador pelo final A1:B2?"


def test_cancelamento_for_support_is_high_urgency() -> None:
    triage, session = run("cancelamento", *URBAN, 1, "Cai toda noite", 2, "65999887766", None)
    view = triage.view(session)
    assert view.outcome.outcome == "transfer_commercial" and view.outcome.urgency == "alta"
    assert view.outcome.os_subject.endswith("Cai toda noite")


def test_cancelamento_for_price_goes_to_retention() -> None:
    triage, session = run("cancelamento", *URBAN, 2, "Achou mais barato")
    assert triage.view(session).node_id == "retencao"


def test_mudanca_endereco_free_after_exactly_six_months() -> None:
    triage, session = run("mudanca-endereco", *URBAN, 1, 1, "24/05/2026")
    assert triage.view(session).node_id == "isenta"
    triage, session = run("mudanca-endereco", *URBAN, 1, 1, "25/05/2026")
    assert triage.view(session).node_id == "cobrada"


def test_financeiro_receipt_with_recent_unlock_goes_to_financial() -> None:
    triage, session = run("financeiro", *URBAN, 4, 1, "ontem", None)
    view = triage.view(session)
    assert view.outcome.outcome == "transfer_financial"
    assert "segunda a sexta, 07:30–11:30 e 13:30–17:30" in view.say


def test_cobertura_has_no_opening() -> None:
    triage, session = run("cobertura")
    assert triage.view(session).node_id == "nome"
