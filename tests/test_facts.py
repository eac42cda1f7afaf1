"""Facts in texts: every name a pack offers, the words each one shows, and why a name fails.

The pack is the frozen second provider (``tests/packs/amazonas``), so the table
below is its whole vocabulary: a text writes ``{fees.visit_city}`` and the
agent reads ``R$ 60,00``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.knowledge.facts import (
    FactTable,
    describe_week,
    fill,
    is_fact_name,
    join_pt,
    references,
    render_fact,
)
from mutum_copilot.knowledge.models import ExtraHoliday, Schedule, TimeRange, WeeklyHours
from mutum_copilot.packs.loader import load_pack

AMAZONAS = Path(__file__).parent / "packs" / "amazonas"
N1_WEEK = "segunda a sexta, 08:00–12:00 e 14:00–18:00; sábado, 08:00–12:00"
CC_WEEK = "segunda a sexta, 00:00–09:00 e 19:00–24:00; sábado e domingo, 00:00–24:00"
WORK_DAY = "08:00–12:00 e 14:00–18:00"
NIGHTS = "00:00–09:00 e 19:00–24:00"

#: Every fact of the second provider's pack and its text.
AMAZONAS_FACTS = {
    "areas": "cidade (fibra óptica) e comunidade ribeirinha (rádio)",
    "call_center.channels": "chat e ligação",
    "call_center.name": "UPCALL",
    "call_center.time_zone": "America/Sao_Paulo",
    "call_center.time_zone_label": "horário de Brasília (GMT-3)",
    "contacts.phone": "(92) 3000-0000",
    "contacts.whatsapp": "(92) 99000-0000",
    "coverage.cities": "Manaus (fibra óptica) e Iranduba (fibra óptica)",
    "coverage.rural": "rádio (comunidades ribeirinhas)",
    "coverage.summary": "Fibra óptica em Manaus e Iranduba; rádio nas comunidades ribeirinhas.",
    "fees.visit_city": "R$ 60,00",
    "fees.visit_city.amount": "R$ 60,00",
    "fees.visit_city.label": "visita técnica improdutiva na cidade",
    "fees.visit_river": "deslocamento de barco (valor com o comercial)",
    "fees.visit_river.label": "visita técnica improdutiva em comunidade ribeirinha",
    "fees.visit_river.text": "deslocamento de barco (valor com o comercial)",
    "holidays.country": "BR",
    "holidays.subdivision": "AM",
    "payment_methods": "Pix (QR Code no app Rio Negro Net) e boleto",
    "provider.name": "Rio Negro Net",
    "provider.region_label": "Manaus e Iranduba (AM)",
    "provider.time_zone": "America/Manaus",
    "provider.time_zone_label": "horário de Manaus (GMT-4)",
    "rules.block_after_days": "15",
    "rules.sla_last_resort_working_hours": "12",
    "schedules.call_center": CC_WEEK,
    "schedules.call_center.closed_on_holidays": "não",
    "schedules.call_center.label": "cobertura da UPCALL para a Rio Negro Net",
    "schedules.call_center.time_zone": "America/Sao_Paulo",
    "schedules.call_center.week": CC_WEEK,
    **{f"schedules.call_center.week.{d}": NIGHTS for d in ("mon", "tue", "wed", "thu", "fri")},
    "schedules.call_center.week.sat": "00:00–24:00",
    "schedules.call_center.week.sun": "00:00–24:00",
    "schedules.n1": N1_WEEK,
    "schedules.n1.closed_on_holidays": "sim",
    "schedules.n1.label": "equipe N1 da Rio Negro Net",
    "schedules.n1.time_zone": "America/Manaus",
    "schedules.n1.week": N1_WEEK,
    **{f"schedules.n1.week.{d}": WORK_DAY for d in ("mon", "tue", "wed", "thu", "fri")},
    "schedules.n1.week.sat": "08:00–12:00",
    "signal.rx": "-14 a -24 dBm",
    "signal.rx.from": "-14",
    "signal.rx.meaning": "sinal recebido na ONU",
    "signal.rx.to": "-24",
    "signal.rx.unit": "dBm",
    "signal.tx": "1 a 4 dBm",
    "signal.tx.from": "1",
    "signal.tx.to": "4",
    "signal.tx.unit": "dBm",
    "systems.acs": "GenieACS (https://acs.rionegronet.example/)",
    "systems.acs.name": "GenieACS",
    "systems.acs.purpose": "gerência dos roteadores (sinal, Wi-Fi)",
    "systems.acs.url": "https://acs.rionegronet.example/",
    "systems.acs.vault_key": "acs",
    "systems.mk": "MK-Auth (https://mk.rionegronet.example/)",
    "systems.mk.name": "MK-Auth",
    "systems.mk.purpose": "ERP do provedor; o atendimento é registrado no contrato",
    "systems.mk.url": "https://mk.rionegronet.example/",
    "systems.mk.vault_key": "mk_auth",
}


@pytest.fixture(scope="module")
def table() -> FactTable:
    return FactTable(load_pack(AMAZONAS).facts)


def test_every_fact_of_a_pack_and_the_words_it_shows(table: FactTable) -> None:
    assert table.names == sorted(AMAZONAS_FACTS)
    assert {name: table.get(name) for name in table.names} == AMAZONAS_FACTS
    # groups without a text of their own are not facts: "{fees}" or "{signal}" say nothing
    assert [table.get(n) for n in ("fees", "signal", "systems", "holidays.extra")] == [None] * 4


def test_a_text_gets_every_fact_it_names_and_keeps_the_rest(table: FactTable) -> None:
    text = "Visita: {fees.visit_city}; {nope}; {fees}; {rules.block_after_days} dias. {x"
    assert table.fill(text) == "Visita: R$ 60,00; {nope}; {fees}; 15 dias. {x"
    assert references(text) == ["fees.visit_city", "nope", "fees", "rules.block_after_days"]
    assert references("{Fees.x} {1a} {a..b} {a.b-c} {call.rx_2}") == ["call.rx_2"]
    known = {"a": "1", "b.c": "{a}"}
    assert fill("{a}{b.c}{d}", known.get) == "1{a}{d}"  # one pass: a value is never re-read


def test_why_a_name_does_not_resolve(table: FactTable) -> None:
    assert table.explain_unknown("fees") == (
        "{fees} é um grupo de fatos, não um fato; use um de: fees.visit_city, fees.visit_river"
    )
    assert table.explain_unknown("schedules.n1.week").startswith(
        "{schedules.n1.week} é um grupo de fatos, não um fato; use um de: "
        "schedules.n1.week.mon, schedules.n1.week.tue, schedules.n1.week.wed, "
        "schedules.n1.week.thu, schedules.n1.week.fri, schedules.n1.week.sat"
    )  # six at most
    assert table.explain_unknown("rules.trust_unlock_days") == (
        "{rules.trust_unlock_days}: este pacote não declara esse fato (opcional em "
        'provider.yaml); declare-o ou tire a referência (você quis dizer "rules.block_after_days"?)'
    )
    assert table.explain_unknown("contacts.phon") == (
        'fato desconhecido {contacts.phon} (você quis dizer "contacts.phone"?)'
    )
    assert table.explain_unknown("bogus.name") == "fato desconhecido {bogus.name}"


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("rules.trust_unlock_days", True),  # optional: some pack may declare it
        ("fees.any_fee_id.amount", True),  # a free mapping: any key
        ("signal.rx.from", True),  # the YAML key, not the attribute's name
        ("signal.rx.start", False),
        ("provider.name", True),
        ("provider.name.first", False),  # a text has no parts
        ("fees.visit_city.origin", False),  # where a fact was written is not a fact
        ("rules", True),
        ("nope", False),
    ],
)
def test_which_names_any_pack_may_declare(name: str, known: bool) -> None:
    assert is_fact_name(name) is known


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ({"a": 1}, None),
        (MappingProxyType({"a": 1}), None),
        (True, "sim"),
        (False, "não"),
        (Decimal("1234.5"), "R$ 1.234,50"),
        ("texto", "texto"),
        (0, "0"),
        (-14.0, "-14"),
        (-19.5, "-19,5"),
        (dt.date(2026, 3, 9), "09/03/2026"),
        (ZoneInfo("America/Cuiaba"), "America/Cuiaba"),
        (("a", None, 2, {"x": 1}), "a e 2"),
        ((), ""),
        (TimeRange.parse("07:30-11:30"), "07:30–11:30"),
        (ExtraHoliday(dt.date(2026, 10, 24), "Aniversário"), None),  # no words of its own
    ],
)
def test_the_words_of_each_kind_of_fact(value: object, text: str | None) -> None:
    assert render_fact(value) == text


def week(**days: str) -> WeeklyHours:
    return WeeklyHours(**{d: tuple(TimeRange.parse(r) for r in v.split()) for d, v in days.items()})


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (week(), ""),
        (week(wed="09:00-10:00"), "quarta, 09:00–10:00"),
        (week(sat="08:00-12:00", sun="08:00-12:00"), "sábado e domingo, 08:00–12:00"),
        (
            week(mon="08:00-12:00", tue="08:00-12:00", wed="08:00-12:00"),
            "segunda a quarta, 08:00–12:00",
        ),
        (  # the same hours on days apart are separate groups
            week(mon="08:00-12:00", wed="08:00-12:00"),
            "segunda, 08:00–12:00; quarta, 08:00–12:00",
        ),
        (
            week(mon="08:00-12:00", tue="08:00-11:00", wed="08:00-11:00"),
            "segunda, 08:00–12:00; terça e quarta, 08:00–11:00",
        ),
        (
            week(sun="00:00-02:00 03:00-04:00 05:00-24:00"),
            "domingo, 00:00–02:00, 03:00–04:00 e 05:00–24:00",
        ),
    ],
)
def test_a_week_in_words(hours: WeeklyHours, text: str) -> None:
    assert describe_week(hours) == text
    schedule = Schedule("N1", ZoneInfo("America/Cuiaba"), hours, True)
    assert render_fact(schedule) == render_fact(hours) == text


@pytest.mark.parametrize(
    ("items", "text"),
    [([], ""), (["a"], "a"), (["a", "b"], "a e b"), (["a", "b", "c", "d"], "a, b, c e d")],
)
def test_a_list_as_a_sentence_says_it(items: list[str], text: str) -> None:
    assert join_pt(items) == text
