"""Small pieces of the shell, tested without running the app."""

from __future__ import annotations

import datetime as dt

from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.replay import Step
from mutum_copilot.tui.flow_menu import FLOW_KEYS, MORE_FLOWS, flow_menu
from mutum_copilot.tui.widgets.breadcrumb import breadcrumb_text


def test_every_flow_is_one_or_two_number_keys_away(pack: Pack) -> None:
    first = flow_menu(pack.flows.values())
    assert len(first) <= FLOW_KEYS
    reachable = {e.flow_id for e in first if e.flow_id != MORE_FLOWS}
    if first[-1].flow_id == MORE_FLOWS:
        more = flow_menu(pack.flows.values(), more=True)
        assert len(more) <= FLOW_KEYS
        reachable |= {e.flow_id for e in more}
    assert reachable == set(pack.flows)
    assert first[0].flow_id == "sem-conexao"  # the commonest call is key 1


def step(title: str, answer: str, *, auto: bool = False, personal: bool = False) -> Step:
    at = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    return Step("n", title, "ask", answer, "", "", "", at, auto=auto, personal=personal)


def test_breadcrumb_keeps_the_newest_steps_and_hides_phones() -> None:
    steps = [
        step("Cliente", "Maria Souza"),
        step("Tecnologia", "urbana", auto=True),
        step("Telefones", "(65) 99999-0000", personal=True),
        step("Luzes da ONU", "LOS vermelho"),
    ]
    text = breadcrumb_text("Sem conexão", steps, width=200).plain
    assert text == (
        "Sem conexão › Cliente: Maria Souza › Telefones: ••• › Luzes da ONU: LOS vermelho"
    )
    short = breadcrumb_text("Sem conexão", steps, width=40).plain
    assert short.startswith("… › ") and short.endswith("Luzes da ONU: LOS vermelho")
