"""The shipped pack says only what the provider's document says: tests on the RENDERED texts.

Each test reads what the agent sees (an FAQ entry with its facts filled, a flow
step's :class:`StepView` from the engine, or every say text filled with live N1
values), never the YAML as written. The document is
``/work/shared/seed/base-de-conhecimento-mutum-fibra.txt``; the line quoted in
each test is the rule it checks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.knowledge.facts import FactTable
from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.packs.model import Pack
from mutum_copilot.shift import n1_calendar
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.models import text_fields
from mutum_copilot.triage.render import fill_text, n1_texts
from mutum_copilot.triage.session import Session
from mutum_copilot.triage.views import StepView

BRT = ZoneInfo("America/Sao_Paulo")
NOW = dt.datetime(2026, 11, 24, 23, 10, tzinfo=BRT)  # a Tuesday night: N1 closed
CPF = "529.982.247-25"
OPENING = ("Maria Souza", CPF, "4821", "20261124-0001", 1, "Relato")


@dataclass
class FakeN1:
    on_shift: bool = False

    def status(self, at: dt.datetime) -> Any:
        label = "no turno até 11:30 (GMT-4)" if self.on_shift else "fechado (GMT-4)"
        reopen = None if self.on_shift else at + dt.timedelta(hours=9)
        return SimpleNamespace(on_shift=self.on_shift, label=label, next_open=reopen)

    def add_working_hours(self, at: dt.datetime, hours: float) -> dt.datetime:
        return at + dt.timedelta(days=2)


def play(pack: Pack, flow_id: str, *answers: Any, n1: Any = None) -> tuple[Triage, Session]:
    """Answer in order: an int chooses, a str is typed, None goes on from an information."""
    triage = Triage(pack, lambda: NOW, n1 if n1 is not None else FakeN1())
    session = triage.start(flow_id)
    for answer in answers:
        if answer is None:
            session = triage.proceed(session)
        elif isinstance(answer, int):
            session = triage.choose(session, answer)
        else:
            session = triage.enter(session, answer)
    return triage, session


def view(pack: Pack, flow_id: str, *answers: Any) -> StepView:
    triage, session = play(pack, flow_id, *answers)
    return triage.view(session)


def entry(pack: Pack, entry_id: str) -> FaqEntry:
    found = pack.faq_entry(entry_id)
    assert found is not None, entry_id
    return found


def rendered_flow_texts(pack: Pack) -> list[tuple[str, str, str]]:
    """(where, field, text) of every flow text as the agent reads it, live N1 values filled."""
    table = FactTable(pack.facts)
    live = n1_texts(n1_calendar(pack.facts), NOW, 24, pack.facts.provider.time_zone_label)
    found = []
    for flow in pack.flows.values():
        for node in flow.nodes.values():
            for key, text in text_fields(node):
                where = f"{flow.id}:{node.id}"
                found.append((where, key, fill_text(text, table, {}, live)))
    return found


def rendered_faq_texts(pack: Pack) -> list[tuple[str, str, str]]:
    return [
        (e.id, field, getattr(e, field))
        for e in pack.faq
        for field in ("say", "if_asked", "guidance")
        if getattr(e, field)
    ]


# --- visit fee ------------------------------------------------------------------
# "De preferência não informar valor. Caso o cliente questionar o valor é de
# R$40,00 na cidade. Rural o valor é deslocamento + mão de obra caso seja alguma
# questão causada pelo cliente."


def test_the_visit_fee_is_never_volunteered_in_the_say_text(pack: Pack) -> None:
    visit = entry(pack, "visita-improdutiva")
    assert "R$" not in visit.say and "40" not in visit.say
    assert "R$ 40,00" in visit.if_asked and "deslocamento + mão de obra" in visit.if_asked
    assert "não informe o valor" in visit.guidance


def test_no_say_text_anywhere_carries_the_visit_fee(pack: Pack) -> None:
    fee = FactTable(pack.facts).get("fees.visit_city")
    assert fee
    says = [(e.id, e.say) for e in pack.faq]
    says += [(w, t) for w, k, t in rendered_flow_texts(pack) if k == "say"]
    assert not [w for w, text in says if fee in text]


def test_the_n1_handover_shows_the_fee_to_the_agent_only_if_asked(pack: Pack) -> None:
    step = view(pack, "sem-conexao", *OPENING, 1, 3, 3)  # not blocked, lights off, won't turn on
    assert step.node_id == "escalar_equipamento/telefones"
    assert "R$ 40,00" not in step.say
    assert step.note.startswith("Só se o cliente perguntar") and "R$ 40,00" in step.note


def test_the_unproductive_visit_is_not_defined_by_us(pack: Pack) -> None:
    texts = rendered_faq_texts(pack) + rendered_flow_texts(pack)
    assert not [w for w, _, t in texts if "não é da rede" in t]


# --- fixed IP -------------------------------------------------------------------
# "Sim com custo adicional de 100,00. Alguns planos já possuem o benefício do
# ponto extra, necessário adquirir com o comercial." / "Se já for cliente e quiser
# verificar se tem direito, registrar a OS e encaminhar pro suporte N1 interno"


def test_fixed_ip_say_sticks_to_what_is_certain(pack: Pack) -> None:
    faq = entry(pack, "ip-fixo")
    step = view(pack, "ip-fixo", *OPENING)
    assert step.node_id == "ip"
    for say in (faq.say, step.say):
        assert "R$ 100,00" in say and "comercial" in say and "verificar" in say
        assert "alguns planos" not in say.lower() and "inclu" not in say
    for agent_only in (faq.guidance, step.note):
        assert "ponto extra" in agent_only and "não diga ao cliente" in agent_only


# --- address change ---------------------------------------------------------------
# "Isentamos a cobrança de mudança de endereço para clientes com contratos com
# fidelidade vigente e que estejam adimplentes" (adimplente: no OVERDUE invoice)


def test_address_change_asks_about_overdue_invoices_not_open_ones(pack: Pack) -> None:
    step = view(pack, "mudanca-endereco", *OPENING, 1)
    assert step.node_id == "situacao"
    assert "fatura vencida" in step.do and "ainda não venceu não conta" in step.do
    labels = [c.label for c in step.choices]
    assert labels[0] == "Fidelidade vigente e nenhuma fatura vencida em aberto"
    assert any("vencida" in label and "atraso" in label for label in labels)
    assert not any(label == "Com fatura em aberto" for label in labels)
    faq = entry(pack, "mudanca-de-endereco")
    assert "sem fatura vencida" in faq.say and "ainda não venceu" in faq.guidance


def test_a_customer_with_an_invoice_not_yet_due_still_changes_address_for_free(
    pack: Pack,
) -> None:
    step = view(pack, "mudanca-endereco", *OPENING, 1, 1, "")
    assert step.node_id == "isenta" and "não há fatura em atraso" in step.say


# --- the 24 business hours ----------------------------------------------------------
# "Em últimos casos, pode informar 24 horas úteis de contato com o cliente em casos
# de sem conexão." Rule: never a computed deadline in a say text; the agent's date is
# labelled an estimate and says which hours it counts.

DATE_OR_TIME = re.compile(r"\b\d{1,2}/\d{1,2}\b|\b\d{1,2}:\d{2}\b")


def test_no_say_text_carries_a_computed_deadline(pack: Pack) -> None:
    for flow in pack.flows.values():
        for node in flow.nodes.values():
            assert "{n1.sla}" not in node.say, f"{flow.id}:{node.id} says the estimate"
    says = [(w, t) for w, k, t in rendered_flow_texts(pack) if k == "say"]
    assert not [w for w, t in says if "estimativa" in t or "horas úteis" in t]


def test_the_agent_sees_the_estimate_labelled_with_the_hours_it_counts(pack: Pack) -> None:
    triage, session = play(pack, "sem-conexao", *OPENING, 1, 3, 3, "65999887766", n1=None)
    triage = Triage(pack, lambda: NOW)  # the real N1 calendar
    step = triage.view(session)
    assert step.node_id == "escalar_equipamento/fora_do_turno"
    assert "horas úteis" not in step.say and not re.search(r"\bsexta\b", step.say)
    assert "estimativa de 24 horas úteis" in step.note
    assert "contando só as horas de atendimento do N1" in step.note
    assert "não informe esta data ao cliente" in step.note
    assert "horário de Mato Grosso (GMT-4)" in step.note


def test_the_faq_gives_the_last_resort_words_without_a_date(pack: Pack) -> None:
    faq = entry(pack, "prazo-de-atendimento")
    assert "24 horas úteis" in faq.guidance and "sem dar data" in faq.guidance
    assert not DATE_OR_TIME.search(faq.say)


# --- smaller drifts ----------------------------------------------------------------------


def test_block_day_ten_counts_as_ten_days(pack: Pack) -> None:
    """ "Com quantos dias ocorre o bloqueio? R: 10 dias": the 10th day after the due date."""
    triage, session = play(pack, "financeiro", *OPENING, 5)
    ask = triage.view(session)
    assert "passa de" not in ask.say and "com 10 dias de atraso" in ask.say
    ten = (NOW.date() - dt.timedelta(days=10)).strftime("%d/%m/%Y")
    nine = (NOW.date() - dt.timedelta(days=9)).strftime("%d/%m/%Y")
    at_ten = triage.view(triage.enter(session, ten))
    assert at_ten.node_id == "ja_bloqueia" and "10 dias ou mais de atraso" in at_ten.say
    assert triage.view(triage.enter(session, nine)).node_id == "ainda_nao_bloqueia"
    assert "pagando antes" not in triage.view(triage.enter(session, nine)).say


def test_cameras_wifi_data_go_to_the_installer_in_faq_and_flow(pack: Pack) -> None:
    """ "apenas fornecemos os dados do wifi para os técnicos que instalaram" """
    faq = entry(pack, "cameras")
    step = view(pack, "cameras", *OPENING)
    for say in (faq.say, step.say):
        assert "técnico que instalou as câmeras" in say
    assert "autorização do titular" in step.do and "autorização do titular" in faq.guidance
    assert "técnico das câmeras" in step.choices[0].label


@pytest.mark.parametrize(
    ("flow_id", "answers", "mac_choice"),
    [("sem-conexao", (1, 4), 3), ("senha-wifi", (), 2)],
)
def test_the_mac_search_is_for_an_onu_in_bridge(
    pack: Pack, flow_id: str, answers: tuple[int, ...], mac_choice: int
) -> None:
    """ "usuário pppoe, se onu bridge e final do MAC dos roteadores XX:XX [...] e o nome
    do wi-fi servem para todos os casos" """
    step = view(pack, flow_id, *OPENING, *answers)
    assert step.node_id == "localizar"
    assert "nome do Wi-Fi" in step.do and "bridge" in step.do
    assert "bridge" in step.choices[mac_choice - 1].label
    assert not any(c.label.endswith("buscar pelo MAC") for c in step.choices)


def test_central_do_assinante_password_is_always_the_first_four_digits(pack: Pack) -> None:
    """ "Senha: 4 primeiros números CPF" """
    texts = rendered_faq_texts(pack) + rendered_flow_texts(pack)
    found = [(w, t) for w, _, t in texts if "primeiros números" in t]
    assert found
    assert not [w for w, t in found if "4 primeiros números" not in t]


def test_pirate_iptv_checks_the_connection_before_saying_it_works(pack: Pack) -> None:
    """ "deixar cliente ciente que problema não é a conexão" only once that is checked."""
    triage, session = play(pack, "iptv", *OPENING, 2)
    ask = triage.view(session)
    assert ask.node_id == "pirata_conexao" and "está funcionando nos outros" in ask.say
    works = triage.view(triage.choose(session, 1))
    assert works.node_id == "pirata" and "Como a sua internet está funcionando" in works.say
    broken = triage.view(triage.choose(session, 2))
    assert broken.outcome is not None and broken.outcome.then_flow == "sem-conexao"
    faq = entry(pack, "iptv-ole-tv")
    assert "o problema não está na sua conexão" not in faq.say


def test_the_wifi_app_is_said_to_show_the_password_not_to_change_it(pack: Pack) -> None:
    """ "Aonde o mesmo irá conseguir acessar somente pelo App. (Mutum Fibra Wifi)" """
    says = [(e.id, e.say) for e in pack.faq]
    says += [(w, t) for w, k, t in rendered_flow_texts(pack) if k == "say"]
    app = pack.facts.systems["mutum_wifi_app"].name
    about_app = [(w, t) for w, t in says if app in t]
    assert about_app
    assert not [w for w, t in about_app if re.search(r"\b(trocar|alterar)\b.{0,40}senha", t)]


def test_trust_unlock_and_receipt_never_promise_before_checking(pack: Pack) -> None:
    """ "uma vez a cada 30 dias caso não tiver desbloqueio anterior" """
    for entry_id in ("desbloqueio-de-confianca", "comprovante-de-pagamento"):
        say = entry(pack, entry_id).say
        assert "vou verificar" in say.lower() and "Posso liberar" not in say
        assert "Vou liberar" not in say


# --- copyable say texts ---------------------------------------------------------------


def test_say_texts_paste_well_into_a_chat(pack: Pack) -> None:
    """No hard line break inside a sentence; short paragraphs."""
    says = [(e.id, f, t) for e in pack.faq for f in ("say", "if_asked") if (t := getattr(e, f))]
    says += [(w, k, t) for w, k, t in rendered_flow_texts(pack) if k == "say"]
    for where, field, text in says:
        for paragraph in text.split("\n\n"):
            assert "\n" not in paragraph, f"{where}.{field}: a line break inside a paragraph"
            assert len(paragraph) <= 420, f"{where}.{field}: paragraph of {len(paragraph)}"
        assert "  " not in text and text == text.strip(), f"{where}.{field}: stray spaces"
