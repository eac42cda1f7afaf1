"""A hand-counted night for the report tests: eight calls and seven searches, 01-02/12/2026.

Times are written in the call center's clock (GMT-3). The expected figures in
tests/test_team_reports.py were counted by hand from this table:

    call  agent  start (GMT-3)  subjects (outcome, exit)                      N1 / call center
    C1    Ana    01/12 19:10    sem-conexao  os_n1 abrir-os      240 s        closed / closed
    C2    Ana    01/12 20:05    financeiro   resolved segunda-via 100 s       closed / on_shift
    C3    Bruno  01/12 20:40    financeiro   transfer_financial   60 s        closed / on_shift
                                sem-conexao  resolved resolvido   140 s
    C7    Ana    01/12 21:00    sem-conexao  (discarded, no step)             - / -
    C9    Bruno  01/12 22:00    suporte      resolved fim         90 s  (pack "outro")
    C4    Bruno  01/12 23:15    sem-conexao  os_n1 alta abrir-os  420 s       closed / on_shift
    C5    Ana    01/12 23:50    sem-conexao  (in progress)                    closed / on_shift
    C6    Bruno  02/12 09:45    financeiro   transfer_commercial + OS 150 s   on_shift / closed
    C8    Ana    05/12 20:00    financeiro   resolved (outside the period)

Step offsets (seconds from the call's start) are in the specs below.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from team_helpers import StepSpec, SubjectSpec, build_call

from mutum_copilot.team.records import FaqSearch, TeamCall, new_uid

GMT3 = ZoneInfo("America/Sao_Paulo")
SINCE = dt.datetime(2026, 12, 1, tzinfo=GMT3)
UNTIL = dt.datetime(2026, 12, 3, tzinfo=GMT3)


def local(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=GMT3)


S = StepSpec  # short, so that each call reads like a row of the table above


def calls() -> list[TeamCall]:
    sem, fin = ("sem-conexao", "Sem conexão"), ("financeiro", "Financeiro")
    return [
        build_call(
            "Ana",
            local(1, 19, 10),
            [
                SubjectSpec(
                    *sem,
                    0,
                    240,
                    "os_n1",
                    "normal",
                    "abrir-os",
                    (
                        S(30, "rx", "Sinal RX"),
                        S(90, "luzes", "Luzes da ONU"),
                        S(210, "abrir-os", "Abrir OS"),
                    ),
                )
            ],
            finished=240,
            n1="closed",
            cc="closed",
        ),
        build_call(
            "Ana",
            local(1, 20, 5),
            [
                SubjectSpec(
                    *fin,
                    0,
                    100,
                    "resolved",
                    "",
                    "segunda-via",
                    (
                        S(20, "identificar"),
                        S(60, "fatura"),
                        S(100, "segunda-via", "Segunda via enviada"),
                    ),
                )
            ],
            finished=120,
        ),
        build_call(
            "Bruno",
            local(1, 20, 40),
            [
                SubjectSpec(
                    *fin,
                    0,
                    60,
                    "transfer_financial",
                    "",
                    "transferir",
                    (
                        S(30, "identificar"),
                        S(50, "transferir", "Transferir ao financeiro"),
                        S(50, "checar-turno", automatic=True),
                    ),
                ),
                SubjectSpec(
                    *sem,
                    60,
                    200,
                    "resolved",
                    "",
                    "resolvido",
                    (S(105, "rx"), S(180, "resolvido", "Conexão restabelecida")),
                ),
            ],
            finished=200,
        ),
        build_call("Ana", local(1, 21, 0), [SubjectSpec(*sem, 0)], discarded=True),
        build_call(
            "Bruno",
            local(1, 22, 0),
            [
                SubjectSpec(
                    "suporte",
                    "Suporte",
                    0,
                    90,
                    "resolved",
                    "",
                    "fim",
                    (S(30, "a"), S(90, "fim", "Fim")),
                )
            ],
            finished=90,
            pack_id="outro",
        ),
        build_call(
            "Bruno",
            local(1, 23, 15),
            [
                SubjectSpec(
                    *sem,
                    0,
                    420,
                    "os_n1",
                    "alta",
                    "abrir-os",
                    (S(40, "rx"), S(100, "luzes"), S(400, "abrir-os", "Abrir OS")),
                )
            ],
            finished=420,
        ),
        build_call("Ana", local(1, 23, 50), [SubjectSpec(*sem, 0, steps=(S(25, "rx"),))]),
        build_call(
            "Bruno",
            local(2, 9, 45),
            [
                SubjectSpec(
                    *fin,
                    0,
                    150,
                    "transfer_commercial",
                    "normal",
                    "registrar-os",
                    (S(50, "identificar"), S(130, "registrar-os", "Registrar OS ao comercial")),
                )
            ],
            finished=160,
            n1="on_shift",
            cc="closed",
        ),
        build_call(
            "Ana",
            local(5, 20, 0),
            [SubjectSpec(*fin, 0, 60, "resolved", "", "segunda-via", (S(60, "segunda-via"),))],
            finished=60,
        ),
    ]


def searches() -> list[FaqSearch]:
    def search(
        agent: str,
        minute: int,
        query: str,
        answered: bool,
        shown: tuple[str, ...],
        opened: tuple[str, ...] = (),
        day: int = 1,
    ) -> FaqSearch:
        return FaqSearch(
            new_uid(),
            1,
            local(day, 21, minute),
            query,
            agent=agent,
            pack_id="mutum-fibra",
            shown=shown,
            opened=opened,
            answered=answered,
        )

    return [
        search("Ana", 1, "segunda via boleto", False, ("a", "b")),
        search("Ana", 2, "Boleto segunda via", False, ("a",), ("a",)),
        search("Ana", 3, "boleto 2 via", True, ("a",), ("a",)),
        search("Ana", 4, "vizita tecnica", False, ()),
        search("Bruno", 5, "visita técnica", False, ("x",)),
        search("Bruno", 6, "senha wifi 529.982.247-25", True, ("w",)),
        search("Bruno", 7, "segunda via boleto", False, ("a",)),
        search("Ana", 8, "segunda via boleto", False, ("a",), day=5),
    ]
