"""Typed values and their verdicts: a signal against its ideal range, a date against a rule.

A ``value`` node names a kind (what is typed) and, optionally, a check (a fact
of the pack it is compared with). :func:`read_value` turns what the agent
typed into a :class:`Reading`: the normalised text kept in the session, the
verdict the flow branches on, and the pt-BR sentence the TUI shows while the
agent types ("-27 dBm: fora da faixa ideal (-15 a -22 dBm)").

Checks and their verdicts:
- a signal range (``signal.rx``): ``inside`` or ``outside``, both ends inclusive;
- a period rule (``rules.trust_unlock_days``, ``rules.free_address_change_months``):
  ``beyond`` when the whole period has passed since the date (the date plus N
  days or N calendar months, with ``dateutil`` clamping month ends, is today or
  earlier), else ``within``;
- an optional value left empty: ``missing``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

from mutum_copilot.errors import InputError
from mutum_copilot.knowledge.models import SignalRange
from mutum_copilot.triage.formats import parse_cpf, parse_mac4, parse_phone, parse_phones

MISSING = "missing"
#: No radio or optical signal in this trade goes beyond these, in dBm.
SIGNAL_LIMIT = 60.0
MAX_TEXT = 500
OLDEST_YEAR = 2000

_MINUS = re.compile(r"^[\u2212\u2013\u2014]")
_UNIT = re.compile(r"\s*dbm?\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"[-+]?\s*\d+(?:[.,]\d+)?")
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class SignalCheck:
    """A measured signal compared with the pack's ideal range (ends inclusive)."""

    fact: str
    range: SignalRange
    verdicts: tuple[str, ...] = ("inside", "outside")


@dataclass(frozen=True)
class PeriodCheck:
    """A date compared with a rule of N days or N calendar months."""

    fact: str
    amount: int
    unit: Literal["days", "months"]
    verdicts: tuple[str, ...] = ("within", "beyond")

    def period(self) -> relativedelta:
        if self.unit == "days":
            return relativedelta(days=self.amount)
        return relativedelta(months=self.amount)

    def describe_period(self) -> str:
        if self.unit == "days":
            return f"{self.amount} dia" + ("s" if self.amount != 1 else "")
        return f"{self.amount} " + ("meses" if self.amount != 1 else "mês")


Check = SignalCheck | PeriodCheck
CHECK_KINDS: dict[type, tuple[str, ...]] = {SignalCheck: ("dbm", "number"), PeriodCheck: ("date",)}


@dataclass(frozen=True)
class Reading:
    """A typed value understood: what is kept, its verdict, and the check's judgement."""

    text: str
    verdict: str = ""
    #: The check's words without the value, e.g. "fora da faixa ideal (-15 a -22 dBm)".
    judgement: str = ""

    @property
    def message(self) -> str:
        """What the agent sees while typing: ``-27 dBm: fora da faixa ideal (...)``."""
        return f"{self.text}: {self.judgement}" if self.judgement else self.text


def resolve_check(facts: Any, name: str) -> Check:
    """The check a fact name stands for; ValueError (pt-BR, shown by ``check``) if none."""
    value: Any = facts
    for part in name.split("."):
        value = value.get(part) if hasattr(value, "get") else getattr(value, part, None)
        if value is None:
            raise ValueError(f"fato desconhecido {{{name}}} para uma verificação")
    if isinstance(value, SignalRange):
        return SignalCheck(name, value)
    if isinstance(value, int) and not isinstance(value, bool):
        if name.endswith("_days"):
            return PeriodCheck(name, value, "days")
        if name.endswith("_months"):
            return PeriodCheck(name, value, "months")
    raise ValueError(
        f"{name} não pode ser uma verificação: use uma faixa de sinal (signal.rx) ou uma "
        "regra de dias ou meses (rules.trust_unlock_days)"
    )


def format_number(value: float) -> str:
    """``-27``, ``-27,5``: Brazilian decimal comma, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(".", ",")


def parse_number(raw: str) -> float:
    """A number as agents type it: ``-27``, ``-27,5``, ``−27`` (unicode minus), ``-27 dBm``."""
    text = _UNIT.sub("", _MINUS.sub("-", raw.strip()))
    if not text:
        raise InputError("informe um número, ex.: -21,5")
    if not _NUMBER.fullmatch(text):
        raise InputError("número inválido; use vírgula para decimais, ex.: -21,5")
    value = float(text.replace(" ", "").replace(",", "."))
    if not math.isfinite(value):  # hundreds of digits overflow to "inf"
        raise InputError("número grande demais; confira o valor")
    return value


def signal_reading(value: float, check: SignalCheck) -> Reading:
    band = check.range
    text = f"{format_number(value)} {band.unit}"
    if band.low <= value <= band.high:
        return Reading(text, "inside", f"dentro da faixa ideal ({band})")
    side = "abaixo do mínimo" if value < band.low else "acima do máximo"
    return Reading(text, "outside", f"fora da faixa ideal ({band}), {side}")


def read_signal(raw: str, check: SignalCheck | None) -> Reading:
    value = parse_number(raw)
    if abs(value) > SIGNAL_LIMIT:
        raise InputError(f"{format_number(value)} dBm não é um sinal possível; confira o valor")
    if check is None:
        return Reading(f"{format_number(value)} dBm")
    if check.range.high < 0 and value >= 0:
        raise InputError(
            f"este sinal é negativo (faixa ideal {check.range}): digite com o sinal de menos, "
            f"ex.: -{format_number(abs(value))}"
        )
    return signal_reading(value, check)


def parse_date(raw: str, today: dt.date) -> dt.date:
    """A past date: ``dd/mm/aaaa``, ``dd/mm/aa``, ``aaaa-mm-dd``, ``hoje``, ``ontem``.

    ``dd/mm`` alone is the latest such day that is not in the future.
    """
    text = raw.strip().lower()
    relative = {"hoje": 0, "ontem": 1, "anteontem": 2}
    if text in relative:
        return today - dt.timedelta(days=relative[text])
    iso = _ISO.fullmatch(text)
    dmy = _DMY.fullmatch(text)
    try:
        if iso:
            found = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        elif dmy:
            day, month, year = int(dmy[1]), int(dmy[2]), dmy[3]
            if year is None:
                found = dt.date(today.year, month, day)
                if found > today:
                    found = dt.date(today.year - 1, month, day)
            else:
                found = dt.date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        else:
            raise InputError("data inválida; use dd/mm/aaaa, ex.: 05/11/2026, ou hoje/ontem")
    except ValueError:
        raise InputError("essa data não existe no calendário; confira dia e mês") from None
    if found > today:
        raise InputError("a data não pode estar no futuro")
    if found.year < OLDEST_YEAR:
        raise InputError("data antiga demais; confira o ano")
    return found


def _days_ago(days: int) -> str:
    if days == 0:
        return "hoje"
    if days == 1:
        return "ontem"
    return f"há {days} dias"


def period_reading(found: dt.date, check: PeriodCheck, today: dt.date) -> Reading:
    text = found.strftime("%d/%m/%Y")
    completes = found + check.period()
    ago = _days_ago((today - found).days)
    period = check.describe_period()
    if completes <= today:
        return Reading(text, "beyond", f"{ago}, já completou {period} em {completes:%d/%m/%Y}")
    judgement = f"{ago}, ainda não completou {period} (completa em {completes:%d/%m/%Y})"
    return Reading(text, "within", judgement)


def read_date(raw: str, check: PeriodCheck | None, today: dt.date) -> Reading:
    found = parse_date(raw, today)
    if check is None:
        return Reading(found.strftime("%d/%m/%Y"), "", _days_ago((today - found).days))
    return period_reading(found, check, today)


def read_text(raw: str) -> Reading:
    text = " ".join(raw.split())
    if len(text) > MAX_TEXT:
        raise InputError(f"texto longo demais (máximo {MAX_TEXT} caracteres); use as observações")
    return Reading(text)


def read_value(kind: str, raw: str, check: Check | None, today: dt.date) -> Reading:
    """Read a non-empty typed value of ``kind``; InputError (pt-BR) when it is unusable."""
    if kind == "dbm":
        return read_signal(raw, check if isinstance(check, SignalCheck) else None)
    if kind == "number":
        value = parse_number(raw)
        if isinstance(check, SignalCheck):
            return signal_reading(value, check)
        return Reading(format_number(value))
    if kind == "date":
        return read_date(raw, check if isinstance(check, PeriodCheck) else None, today)
    formats = {"cpf": parse_cpf, "mac4": parse_mac4, "phone": parse_phone, "phones": parse_phones}
    if kind in formats:
        return Reading(formats[kind](raw))
    return read_text(raw)


def describe(kind: str, text: str, check: Check | None, today: dt.date) -> str:
    """The check's judgement of a value already kept (for the path and the note)."""
    if check is None or not text:
        return ""
    try:
        return read_value(kind, text, check, today).judgement
    except InputError:  # a value kept before the rule changed; show it as it is
        return ""
