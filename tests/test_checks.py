"""The value checks on their edges: signal ranges, period rules, CPF, MAC, phones."""

from __future__ import annotations

import datetime as dt

import pytest

from mutum_copilot.errors import InputError
from mutum_copilot.knowledge.models import SignalRange
from mutum_copilot.triage.checks import (
    PeriodCheck,
    SignalCheck,
    describe,
    parse_date,
    parse_number,
    read_value,
    resolve_check,
)
from mutum_copilot.triage.formats import (
    cpf_check_digits,
    mask_cpf,
    parse_cpf,
    parse_mac4,
    parse_phone,
    parse_phones,
)

RX = SignalCheck("signal.rx", SignalRange(-15, -22, "dBm"))
TX = SignalCheck("signal.tx", SignalRange(2, 3, "dBm"))
TRUST = PeriodCheck("rules.trust_unlock_days", 30, "days")
ADDRESS = PeriodCheck("rules.free_address_change_months", 6, "months")
TODAY = dt.date(2026, 11, 24)


def signal(raw: str, check: SignalCheck = RX) -> tuple[str, str]:
    reading = read_value("dbm", raw, check, TODAY)
    return reading.text, reading.verdict


def period(day: dt.date, check: PeriodCheck, today: dt.date) -> str:
    return read_value("date", day.strftime("%d/%m/%Y"), check, today).verdict


# --- signal ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "verdict"),
    [
        ("-15", "inside"),  # the range's ends are inside
        ("-22", "inside"),
        ("-14,99", "outside"),
        ("-22,01", "outside"),
        ("-18.5", "inside"),
        ("-27", "outside"),
        ("-8", "outside"),
    ],
)
def test_rx_against_the_range_ends(raw: str, verdict: str) -> None:
    assert signal(raw)[1] == verdict


@pytest.mark.parametrize("raw", ["-27", "-27 dBm", "-27dBm", "−27", "– 27", "-27,0", " -27 dB "])
def test_signal_shapes_agents_type(raw: str) -> None:
    assert signal(raw) == ("-27 dBm", "outside")


def test_signal_keeps_decimals_with_a_comma() -> None:
    assert signal("-21,55") == ("-21,55 dBm", "inside")


def test_signal_message_says_where_it_falls() -> None:
    reading = read_value("dbm", "-27", RX, TODAY)
    assert reading.message == "-27 dBm: fora da faixa ideal (-15 a -22 dBm), abaixo do mínimo"
    assert "acima do máximo" in read_value("dbm", "-10", RX, TODAY).message


@pytest.mark.parametrize(
    ("raw", "verdict"),
    [("2", "inside"), ("3", "inside"), ("1,99", "outside"), ("3,01", "outside"), ("-1", "outside")],
)
def test_tx_range(raw: str, verdict: str) -> None:
    assert signal(raw, TX)[1] == verdict


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("27", "sinal de menos"),  # an RX range is negative: a positive RX is a typo
        ("0", "sinal de menos"),
        ("-500", "não é um sinal possível"),
        ("abc", "número inválido"),
        ("-2-7", "número inválido"),
        ("1.234,5", "número inválido"),
    ],
)
def test_unusable_signals_are_refused(raw: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        read_value("dbm", raw, RX, TODAY)


def test_parse_number_plain() -> None:
    assert parse_number("+3") == 3.0
    assert parse_number("- 27") == -27.0


# --- dates and period rules --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("24/11/2026", dt.date(2026, 11, 24)),
        ("5/1/2026", dt.date(2026, 1, 5)),
        ("24/11/26", dt.date(2026, 11, 24)),
        ("24-11-2026", dt.date(2026, 11, 24)),
        ("24.11.2026", dt.date(2026, 11, 24)),
        ("2026-10-25", dt.date(2026, 10, 25)),
        ("hoje", TODAY),
        (" Ontem ", dt.date(2026, 11, 23)),
        ("25/10", dt.date(2026, 10, 25)),
        ("25/12", dt.date(2025, 12, 25)),  # no year: the latest one that is not in the future
    ],
)
def test_date_shapes(raw: str, expected: dt.date) -> None:
    assert parse_date(raw, TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("25/11/2026", "futuro"),
        ("2027-01-01", "futuro"),
        ("31/02/2026", "não existe"),
        ("29/02/2026", "não existe"),
        ("32/01/2026", "não existe"),
        ("24/13/2026", "não existe"),
        ("01/01/1999", "antiga"),
        ("semana passada", "dd/mm/aaaa"),
    ],
)
def test_bad_dates_are_refused(raw: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_date(raw, TODAY)


def test_leap_day_exists_in_a_leap_year() -> None:
    assert parse_date("29/02/2024", TODAY) == dt.date(2024, 2, 29)


def test_trust_unlock_exactly_n_days_ago_is_allowed_again() -> None:
    assert period(dt.date(2026, 10, 25), TRUST, TODAY) == "beyond"  # 30 days ago
    assert period(dt.date(2026, 10, 26), TRUST, TODAY) == "within"  # 29 days ago
    assert period(TODAY, TRUST, TODAY) == "within"


def test_days_rule_across_a_leap_february() -> None:
    assert period(dt.date(2024, 2, 29), TRUST, dt.date(2024, 3, 30)) == "beyond"
    assert period(dt.date(2024, 3, 1), TRUST, dt.date(2024, 3, 30)) == "within"


def test_address_change_exactly_n_months_ago_is_free_again() -> None:
    assert period(dt.date(2026, 5, 24), ADDRESS, TODAY) == "beyond"
    assert period(dt.date(2026, 5, 25), ADDRESS, TODAY) == "within"


@pytest.mark.parametrize(
    ("last", "today", "verdict"),
    [
        # month ends: dateutil clamps, so the 29th to 31st of August complete on February's last day
        (dt.date(2026, 8, 31), dt.date(2027, 2, 28), "beyond"),
        (dt.date(2026, 8, 29), dt.date(2027, 2, 28), "beyond"),
        (dt.date(2026, 9, 1), dt.date(2027, 2, 28), "within"),
        (dt.date(2026, 8, 31), dt.date(2027, 2, 27), "within"),
        # leap years
        (dt.date(2024, 2, 29), dt.date(2024, 8, 29), "beyond"),
        (dt.date(2024, 2, 29), dt.date(2024, 8, 28), "within"),
        (dt.date(2023, 8, 31), dt.date(2024, 2, 29), "beyond"),
        (dt.date(2023, 8, 31), dt.date(2024, 2, 28), "within"),
        (dt.date(2023, 9, 1), dt.date(2024, 2, 29), "within"),
        # a 31st into a 30-day month
        (dt.date(2026, 3, 31), dt.date(2026, 9, 30), "beyond"),
        (dt.date(2026, 3, 31), dt.date(2026, 9, 29), "within"),
    ],
)
def test_months_rule_at_month_ends_and_leap_years(
    last: dt.date, today: dt.date, verdict: str
) -> None:
    assert period(last, ADDRESS, today) == verdict


def test_period_message_says_when_it_completes() -> None:
    reading = read_value("date", "15/11/2026", TRUST, TODAY)
    assert (
        reading.message
        == "15/11/2026: há 9 dias, ainda não completou 30 dias (completa em 15/12/2026)"
    )
    later = read_value("date", "ontem", ADDRESS, TODAY)
    assert later.judgement == "ontem, ainda não completou 6 meses (completa em 23/05/2027)"


def test_resolve_check_from_facts(pack: object) -> None:
    facts = pack.facts  # type: ignore[attr-defined]
    assert isinstance(resolve_check(facts, "signal.rx"), SignalCheck)
    assert resolve_check(facts, "rules.trust_unlock_days") == PeriodCheck(
        "rules.trust_unlock_days", 30, "days"
    )
    assert resolve_check(facts, "rules.free_address_change_months").unit == "months"
    with pytest.raises(ValueError, match="fato desconhecido"):
        resolve_check(facts, "rules.block_after")
    with pytest.raises(ValueError, match="não pode ser uma verificação"):
        resolve_check(facts, "rules.speed_reduction")
    with pytest.raises(ValueError, match="não pode ser uma verificação"):
        resolve_check(facts, "fees.visit_city")


# --- CPF -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "529.982.247-25",
        "52998224725",
        " 529 982 247 25 ",
        "529982247-25",
        "529/982/247-25",
        "CPF: 529.982.247-25",
        "cpf 52998224725",
        "５２９．９８２．２４７－２５",  # full-width, as pasted from a phone keyboard
    ],
)
def test_valid_cpf_is_kept_masked(raw: str) -> None:
    assert parse_cpf(raw) == "***.982.247-**"


def test_check_digits_and_mask() -> None:
    assert cpf_check_digits("529982247") == "25"
    assert cpf_check_digits("123456789") == "09"
    assert mask_cpf("12345678909") == "***.456.789-**"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("529.982.247-24", "verificadores"),
        ("529.982.247-52", "verificadores"),
        ("111.111.111-11", "iguais"),  # its check digits are "right", yet it is no CPF
        ("000.000.000-00", "iguais"),
        ("5299822472", "11 números; foram digitados 10"),
        ("529982247255", "foram digitados 12"),
        ("529.982.247:25", "só números"),
        ("abc", "só números"),
        ("", "informe"),
    ],
)
def test_invalid_cpf_is_refused_without_echoing_it(raw: str, words: str) -> None:
    with pytest.raises(InputError, match=words) as caught:
        parse_cpf(raw)
    digits = "".join(c for c in raw if c.isdigit())
    if len(digits) >= 9:
        assert digits[:9] not in str(caught.value)


# --- MAC -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "a1b2",
        "A1:B2",
        "a1-b2",
        "A1 B2",
        "a1.b2",
        " a1:B2 ",
        "AA:BB:CC:DD:A1:B2",
        "aabbccdda1b2",
        "AABB.CCDD.A1B2",
    ],
)
def test_mac_last_four_in_any_shape(raw: str) -> None:
    assert parse_mac4(raw) == "A1:B2"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("G1B2", "A a F"),
        ("A1B", "foram 3"),
        ("A1:B2:C3", "foram 6"),
        ("", "informe"),
        ("A1_B2", "A a F"),
    ],
)
def test_bad_mac_is_refused(raw: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_mac4(raw)


# --- phones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(65) 99988-7766", "(65) 99988-7766"),
        ("65999887766", "(65) 99988-7766"),
        ("+55 65 99988-7766", "(65) 99988-7766"),
        ("55 65 3308-1020", "(65) 3308-1020"),
        ("065 99988 7766", "(65) 99988-7766"),
        ("6533081020", "(65) 3308-1020"),
        ("(11) 2345-6789", "(11) 2345-6789"),
    ],
)
def test_phone_shapes(raw: str, expected: str) -> None:
    assert parse_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("99988-7766", "DDD"),
        ("(20) 99988-7766", "DDD 20 não existe"),
        ("(65) 89988-7766", "começa com 9"),
        ("(65) 9988-7766", "precisa do 9"),
        ("0800 308 1020", "DDD 80"),
        ("123", "10 ou 11"),
        ("", "DDD"),
    ],
)
def test_bad_phones_are_refused(raw: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_phone(raw)


def test_several_phones() -> None:
    assert parse_phones("65999887766, 6533081020") == "(65) 99988-7766, (65) 3308-1020"
    assert parse_phones("65999887766 e 65 3308-1020") == "(65) 99988-7766, (65) 3308-1020"
    assert parse_phones("65999887766 / (65) 99988-7766") == "(65) 99988-7766"  # repeats dropped
    assert parse_phones("65999887766;6533081020\n65 3308-4455").count(",") == 2


def test_several_phones_errors_say_which() -> None:
    with pytest.raises(InputError, match="2º telefone: inclua o DDD"):
        parse_phones("65999887766, 3308-1020")
    with pytest.raises(InputError, match="separe"):
        parse_phones("65999887766 6533081020")
    with pytest.raises(InputError, match="ao menos um"):
        parse_phones(" , ")


def test_cpfs_inside_free_text_are_masked() -> None:
    from mutum_copilot.triage.formats import mask_cpfs_in

    assert mask_cpfs_in("cpf 529.982.247-25, ok") == "cpf ***.982.247-**, ok"
    assert mask_cpfs_in("52998224725") == "***.982.247-**"
    assert mask_cpfs_in("111.111.111-11") == "111.111.111-11"  # not a CPF: left as typed
    assert mask_cpfs_in("protocolo 529982247251") == "protocolo 529982247251"  # 12 digits
    assert mask_cpfs_in("IP 143.202.80.56") == "IP 143.202.80.56"


# --- the edges the mutation check found untested ----------------------------------------


def refusal(kind: str, raw: str, check: SignalCheck | PeriodCheck | None = None) -> str:
    """The exact sentence the agent reads when ``raw`` is refused."""
    with pytest.raises(InputError) as caught:
        read_value(kind, raw, check, TODAY)
    return str(caught.value)


def test_the_signal_limit_is_inclusive() -> None:
    assert signal("-60") == ("-60 dBm", "outside")
    assert refusal("dbm", "-60,01", RX) == "-60,01 dBm não é um sinal possível; confira o valor"


def test_number_refusals_say_what_to_type() -> None:
    assert refusal("dbm", " dBm", RX) == "informe um número, ex.: -21,5"
    assert refusal("number", "abc") == "número inválido; use vírgula para decimais, ex.: -21,5"
    assert refusal("number", "9" * 400) == "número grande demais; confira o valor"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("12,50", "12,5"), ("20,00", "20"), ("-0,001", "0"), ("0", "0"), ("-3,25", "-3,25")],
)
def test_numbers_are_shown_the_brazilian_way(raw: str, shown: str) -> None:
    assert read_value("number", raw, None, TODAY).text == shown


def test_a_signal_without_a_range_is_kept_without_a_verdict() -> None:
    assert read_value("dbm", "-27,50", None, TODAY).message == "-27,5 dBm"
    assert read_value("number", "-27", RX, TODAY).verdict == "outside"


def test_signal_messages_inside_and_above() -> None:
    assert (
        read_value("dbm", "-18", RX, TODAY).message
        == "-18 dBm: dentro da faixa ideal (-15 a -22 dBm)"
    )
    assert (
        read_value("dbm", "-10", RX, TODAY).message
        == "-10 dBm: fora da faixa ideal (-15 a -22 dBm), acima do máximo"
    )


def test_text_is_kept_up_to_its_limit() -> None:
    assert read_value("text", "a" * 500, None, TODAY).text == "a" * 500
    assert (
        refusal("text", "a" * 501)
        == "texto longo demais (máximo 500 caracteres); use as observações"
    )


def test_a_phone_value_is_kept_in_the_one_shape() -> None:
    assert read_value("phone", "65999887766", None, TODAY).text == "(65) 99988-7766"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("anteontem", dt.date(2026, 11, 22)),
        ("24/11", TODAY),  # today's day and month, no year: today, not a year ago
        ("01/01/2000", dt.date(2000, 1, 1)),  # the oldest year still accepted
    ],
)
def test_date_edges(raw: str, expected: dt.date) -> None:
    assert parse_date(raw, TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        ("25/11/2026", "a data não pode estar no futuro"),
        ("31/02/2026", "essa data não existe no calendário; confira dia e mês"),
        ("31/12/1999", "data antiga demais; confira o ano"),
        ("semana passada", "data inválida; use dd/mm/aaaa, ex.: 05/11/2026, ou hoje/ontem"),
    ],
)
def test_date_refusals_in_full(raw: str, sentence: str) -> None:
    assert refusal("date", raw) == sentence


@pytest.mark.parametrize(
    ("raw", "judgement"),
    [("24/11/2026", "hoje"), ("23/11/26", "ontem"), ("2026-11-15", "há 9 dias")],
)
def test_a_date_without_a_rule_says_how_long_ago(raw: str, judgement: str) -> None:
    reading = read_value("date", raw, None, TODAY)
    assert (reading.text, reading.verdict, reading.judgement) == (
        parse_date(raw, TODAY).strftime("%d/%m/%Y"),
        "",
        judgement,
    )


def test_a_completed_period_says_when_it_completed() -> None:
    assert (
        read_value("date", "25/10/2026", TRUST, TODAY).message
        == "25/10/2026: há 30 dias, já completou 30 dias em 24/11/2026"
    )


@pytest.mark.parametrize(
    ("amount", "unit", "words"),
    [(1, "days", "1 dia"), (2, "days", "2 dias"), (1, "months", "1 mês"), (2, "months", "2 meses")],
)
def test_periods_are_named_in_singular_and_plural(amount: int, unit: str, words: str) -> None:
    rule = PeriodCheck("rules.x", amount, unit)  # type: ignore[arg-type]
    assert read_value("date", "hoje", rule, TODAY).judgement.startswith(
        f"hoje, ainda não completou {words} (completa em"
    )


def test_describe_judges_only_kept_values_with_a_check() -> None:
    assert describe("dbm", "-27 dBm", RX, TODAY) == (
        "fora da faixa ideal (-15 a -22 dBm), abaixo do mínimo"
    )
    assert describe("date", "15/11/2026", None, TODAY) == ""
    assert describe("dbm", "", RX, TODAY) == ""
    assert describe("dbm", "abc", RX, TODAY) == ""  # kept before the rule changed


def test_resolve_check_keeps_the_fact_and_its_amount(pack: object) -> None:
    facts = pack.facts  # type: ignore[attr-defined]
    assert resolve_check(facts, "signal.rx") == SignalCheck("signal.rx", facts.signal.rx)
    assert resolve_check(facts, "rules.free_address_change_months") == PeriodCheck(
        "rules.free_address_change_months", 6, "months"
    )
    with pytest.raises(
        ValueError, match="não pode ser uma verificação"
    ):  # a yes/no is not a day count
        resolve_check({"rules": {"open_days": True}}, "rules.open_days")
