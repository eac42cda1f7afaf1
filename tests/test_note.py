"""The OS note as a supervisor reads it: compared line by line with the expected text."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from mutum_copilot.note import WIDTH, build_call_note, build_note
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.session import Session

BRT = ZoneInfo("America/Sao_Paulo")
CALL = dt.datetime(2026, 11, 24, 23, 10, tzinfo=BRT)  # Tuesday night: N1 closed until 07:30
LATER = dt.datetime(2026, 11, 24, 23, 25, tzinfo=BRT)


def call(pack: Pack, *answers: Any, now: dt.datetime = CALL, flow: str = "sem-conexao") -> Session:
    triage = Triage(pack, lambda: now)
    session = triage.start(flow)
    for answer in answers:
        if answer is None:
            session = triage.proceed(session)
        elif isinstance(answer, int):
            session = triage.choose(session, answer)
        else:
            session = triage.enter(session, answer)
    return session


OPENING = (
    "Maria Souza",
    "529.982.247-25",
    "4821",
    "20261124-0001",
    1,
    "Sem internet desde as 20h; a luz da internet do roteador está apagada.",
)
# not blocked, lights normal, found online, RX -27, measure again -27,5, still out, phones
BAD_SIGNAL = (*OPENING, 1, 4, 1, "-27", 1, "-27,5", 2, "(65) 99988-7766, 65 3308-4455", None)

EXPECTED = """\
Atendimento UPCALL - Mutum Fibra
Protocolo: 20261124-0001
Data: 24/11/2026 23:10 horário de Brasília (GMT-3)
      24/11/2026 22:10 horário de Mato Grosso (GMT-4)
Cliente: Maria Souza
CPF: ***.982.247-**
Contrato: 4821
Área: urbana (fibra óptica)
Fluxo: Sem conexão

Relato do cliente:
Sem internet desde as 20h; a luz da internet do roteador está apagada.

Procedimentos:
- Bloqueio por débito: Não, contrato ativo
- Luzes da ONU: Luzes normais, sem LOS
- Localizar no Flashman: Achei, está online
- Sinal RX: -27 dBm
- Sinal RX fora da faixa: Medir o sinal de novo
- Sinal RX: -27,5 dBm
- Sinal RX fora da faixa: Continua fora da faixa
- Cliente informado do retorno (N1 fora do turno)

Verificações:
- Sinal RX: -27 dBm, fora da faixa ideal (-15 a -22 dBm), abaixo do
  mínimo
- Sinal RX: -27,5 dBm, fora da faixa ideal (-15 a -22 dBm), abaixo do
  mínimo

Resultado: OS para a triagem do N1
Urgência: normal
Assunto da OS: Sem conexão - sinal fora da faixa ideal (RX -27,5 dBm)
Telefones atualizados: (65) 99988-7766, (65) 3308-4455
N1 no turno: não (fechado, volta amanhã às 07:30 (GMT-4))

Observações do atendente:
Cliente pede contato depois das 8h.
Já reiniciou a ONU antes de ligar.
"""


def test_full_sem_conexao_call_with_a_bad_signal(pack: Pack) -> None:
    session = call(pack, *BAD_SIGNAL)
    session = session.with_notes(
        "Cliente pede contato depois das 8h.\nJá reiniciou a ONU antes de ligar."
    )
    assert build_note(pack, session, LATER) == EXPECTED


def test_note_is_plain_short_lines(pack: Pack) -> None:
    long_report = "O cliente relata que " + "a internet cai e volta " * 12
    session = call(pack, *OPENING[:5], long_report, 1, 4, 1, "-27", 2, "65999887766", None)
    note = build_note(pack, session.with_notes("x" * 150), LATER)
    assert all(len(line) <= WIDTH for line in note.splitlines())
    assert all(ch == "\n" or ch.isprintable() for ch in note)
    assert not any(ch in note for ch in "\t│─┌┐└┘═")
    assert "52998224725" not in note and "529.982.247-25" not in note


def test_note_of_a_call_still_going_on_says_so_and_reads_the_clock(pack: Pack) -> None:
    session = call(pack, *OPENING, 1)
    note = build_note(pack, session, LATER)
    assert "Resultado: em andamento (etapa atual: Luzes da ONU)" in note
    assert "N1 no turno: não (fechado, volta amanhã às 07:30 (GMT-4))" in note
    morning = dt.datetime(2026, 11, 25, 9, 0, tzinfo=BRT)
    assert "N1 no turno: sim (no turno até 11:30 (GMT-4))" in build_note(pack, session, morning)


def test_note_with_n1_on_shift_and_without_cpf(pack: Pack) -> None:
    morning = dt.datetime(2026, 11, 25, 9, 0, tzinfo=BRT)  # 08:00 in Mato Grosso
    answers = ("João", "", "77", "P-1", 2, "", 1, 1, 2, "65999887766", None)
    note = build_note(pack, call(pack, *answers, now=morning), morning)
    assert "CPF" not in note and "Relato" not in note
    assert "Data: 25/11/2026 09:00 horário de Brasília (GMT-3)" in note
    assert "Área: rural (rádio)" in note
    assert "N1 no turno: sim (no turno até 11:30 (GMT-4))" in note
    assert "Assunto da OS: Sem conexão - cliente rural via rádio" in note


def test_note_of_a_checked_date_and_a_transfer(pack: Pack) -> None:
    session = call(pack, *OPENING, 4, 1, "ontem", None, flow="financeiro")
    note = build_note(pack, session, LATER, agent="Ana")
    assert "Atendente: Ana" in note
    assert "- Último desbloqueio de confiança: 23/11/2026, ontem, ainda não" in note
    assert "Resultado: transferido ao financeiro" in note
    assert "Urgência" not in note and "Telefones" not in note


def test_note_points_to_the_next_flow(pack: Pack) -> None:
    session = call(pack, *OPENING, 3, "", 2, flow="financeiro")
    assert "Seguir pelo fluxo: Sem conexão" in build_note(pack, session, LATER)


# --- a call of several subjects, and a call with none ------------------------------------


def two_subjects(pack: Pack) -> tuple[Session, Session]:
    """A payment question, then the same customer's connection: one OS, phones once."""
    triage = Triage(pack, lambda: CALL)
    first = call(pack, *OPENING, 4, 1, "ontem", None, flow="financeiro")
    second = triage.start("sem-conexao", first)
    for answer in ("Caiu de novo.", 1, 1, 2, "65999887766", None):
        if answer is None:
            second = triage.proceed(second)
        elif isinstance(answer, int):
            second = triage.choose(second, answer)
        else:
            second = triage.enter(second, answer)
    return first, second


TWO_SUBJECTS = """\
Atendimento UPCALL - Mutum Fibra
Protocolo: 20261124-0001
Data: 24/11/2026 23:10 horário de Brasília (GMT-3)
      24/11/2026 22:10 horário de Mato Grosso (GMT-4)
Cliente: Maria Souza
CPF: ***.982.247-**
Contrato: 4821
Área: urbana (fibra óptica)

Assunto 1: Financeiro

Relato do cliente:
Sem internet desde as 20h; a luz da internet do roteador está apagada.

Procedimentos:
- Assunto financeiro: Enviou comprovante de pagamento
- Comprovante de pagamento: Sim, bloqueado
- Último desbloqueio de confiança: 23/11/2026
- Sem desbloqueio (usado no período)

Verificações:
- Último desbloqueio de confiança: 23/11/2026, ontem, ainda não
  completou 30 dias (completa em 23/12/2026)

Resultado: transferido ao financeiro

Assunto 2: Sem conexão

Relato do cliente:
Caiu de novo.

Procedimentos:
- Bloqueio por débito: Não, contrato ativo
- Luzes da ONU: LOS vermelho (aceso ou piscando)
- LOS vermelho: Não, o LOS continua vermelho
- Cliente informado do retorno (N1 fora do turno)

Resultado: OS para a triagem do N1
Urgência: normal
Assunto da OS: Sem conexão - LOS vermelho na ONU (sem sinal óptico)

Telefones atualizados: (65) 99988-7766
N1 no turno: não (fechado, volta amanhã às 07:30 (GMT-4))

Observações do atendente:
Liga de novo amanhã.
"""

FIRST_OF_TWO = """\
Atendimento UPCALL - Mutum Fibra
Protocolo: 20261124-0001
Data: 24/11/2026 23:10 horário de Brasília (GMT-3)
      24/11/2026 22:10 horário de Mato Grosso (GMT-4)
Cliente: Maria Souza
CPF: ***.982.247-**
Contrato: 4821
Área: urbana (fibra óptica)

Assunto 1 de 2: Financeiro

Relato do cliente:
Sem internet desde as 20h; a luz da internet do roteador está apagada.

Procedimentos:
- Assunto financeiro: Enviou comprovante de pagamento
- Comprovante de pagamento: Sim, bloqueado
- Último desbloqueio de confiança: 23/11/2026
- Sem desbloqueio (usado no período)

Verificações:
- Último desbloqueio de confiança: 23/11/2026, ontem, ainda não
  completou 30 dias (completa em 23/12/2026)

Resultado: transferido ao financeiro

Telefones atualizados: (65) 99988-7766
N1 no turno: não (fechado, volta amanhã às 07:30 (GMT-4))
"""

SECOND_OF_TWO = """\
Atendimento UPCALL - Mutum Fibra
Protocolo: 20261124-0001
Data: 24/11/2026 23:10 horário de Brasília (GMT-3)
      24/11/2026 22:10 horário de Mato Grosso (GMT-4)
Cliente: Maria Souza
CPF: ***.982.247-**
Contrato: 4821
Área: urbana (fibra óptica)

Assunto 2 de 2: Sem conexão

Relato do cliente:
Caiu de novo.

Procedimentos:
- Bloqueio por débito: Não, contrato ativo
- Luzes da ONU: LOS vermelho (aceso ou piscando)
- LOS vermelho: Não, o LOS continua vermelho
- Cliente informado do retorno (N1 fora do turno)

Resultado: OS para a triagem do N1
Urgência: normal
Assunto da OS: Sem conexão - LOS vermelho na ONU (sem sinal óptico)

Telefones atualizados: (65) 99988-7766
N1 no turno: não (fechado, volta amanhã às 07:30 (GMT-4))
"""

NO_SUBJECT = """\
Atendimento UPCALL - Mutum Fibra
Protocolo: não informado
Data: 24/11/2026 23:25 horário de Brasília (GMT-3)
      24/11/2026 22:25 horário de Mato Grosso (GMT-4)
Atendente: Ana

Resultado: nenhum assunto escolhido ainda
N1 no turno: não (fechado, volta amanhã às 07:30 (GMT-4))

Observações do atendente:
Cliente desligou.
"""


def test_a_call_of_two_subjects_has_one_header_and_a_section_each(pack: Pack) -> None:
    subjects = list(two_subjects(pack))
    assert build_call_note(pack, subjects, "Liga de novo amanhã.", LATER) == [TWO_SUBJECTS]


def test_one_note_per_subject_when_the_agent_opens_one_os_each(pack: Pack) -> None:
    subjects = list(two_subjects(pack))
    assert build_call_note(pack, subjects, "", LATER, per_subject=True) == [
        FIRST_OF_TWO,
        SECOND_OF_TWO,
    ]


def test_a_call_with_no_subject_still_has_a_note(pack: Pack) -> None:
    assert build_call_note(pack, [], "Cliente desligou.", LATER, agent="Ana") == [NO_SUBJECT]


def test_observations_keep_blank_lines_and_never_split_a_code(pack: Pack) -> None:
    code = "atendimento-reaberto-pelo-supervisor-regional"  # a pasted tag stays whole
    notes = "Primeira linha.\n\n" + "palavra " * 6 + code
    note = build_note(pack, call(pack, *OPENING).with_notes(notes), LATER)
    observations = note.split("Observações do atendente:\n", 1)[1].splitlines()
    assert observations[:2] == ["Primeira linha.", ""]
    assert any(line.endswith(code) for line in observations)
    assert all(len(line) <= WIDTH for line in observations)


def test_a_call_still_going_on_keeps_the_phones_already_typed(pack: Pack) -> None:
    session = call(pack, *OPENING, 1, 1, 2, "65999887766")  # phones typed, the end not reached
    lines = build_note(pack, session, LATER).splitlines()
    at = lines.index("Resultado: em andamento (etapa atual: Cliente informado do retorno (N1")
    assert lines[at + 1 : at + 3] == ["  fora do turno))", "Telefones atualizados: (65) 99988-7766"]


def test_the_n1_state_is_the_one_the_flow_recorded_not_the_clock_at_export(pack: Pack) -> None:
    session = call(pack, *BAD_SIGNAL)  # the flow asked the clock at 23:10: N1 closed
    morning = dt.datetime(2026, 11, 25, 9, 0, tzinfo=BRT)  # N1 on shift when the note is copied
    note = build_note(pack, session, morning)
    assert "N1 no turno: não (fechado, volta amanhã às 07:30 (GMT-4))" in note
