"""Typed, immutable models of a provider's knowledge pack.

The YAML under ``knowledge/<provider>/`` becomes these frozen dataclasses at
load time (see :mod:`mutum_copilot.knowledge.loader`). Field names are the
YAML keys unless ``metadata["key"]`` says otherwise, and the same names are
the fact references that texts use, e.g. ``{fees.visit_city}``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from mutum_copilot.knowledge.integrations_models import Integrations
from mutum_copilot.weekdays import WEEKDAYS
from mutum_copilot.yamlkit.structs import Origin, origin_field
from mutum_copilot.yamlkit.suggest import suggest

#: How often knowledge is due for review when ``pack.yaml`` does not say.
DEFAULT_REVIEW_INTERVAL_DAYS = 90
MAX_REVIEW_INTERVAL_DAYS = 3660
AREA_VALUE = re.compile(r"[a-z0-9_]+")
PACK_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def parse_time_zone(value: Any) -> ZoneInfo:
    """An IANA time zone name such as America/Cuiaba; fixed offsets are refused."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("esperava o nome de um fuso IANA, ex.: America/Cuiaba")
    name = value.strip()
    if re.fullmatch(r"(?i)(gmt|utc)?\s*[+-]\s*\d{1,2}(:?\d{2})?", name):
        raise ValueError(
            f'"{name}" é um deslocamento fixo; use um nome IANA, ex.: America/Cuiaba, '
            "para que datas passadas sigam a base de fusos"
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        hint = suggest(name, available_timezones())
        raise ValueError(f'fuso desconhecido "{name}"{hint}') from None


@dataclass(frozen=True, order=True)
class TimeRange:
    """A daily interval in local wall time, start inclusive and end exclusive.

    ``24:00`` as the end means midnight at the end of the day.
    """

    start_minute: int
    end_minute: int

    @classmethod
    def parse(cls, value: Any) -> TimeRange:
        if not isinstance(value, str):
            raise ValueError(f'esperava um intervalo como "07:30-11:30"; veio {value!r}')
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value)
        if not match:
            raise ValueError(f'esperava um intervalo como "07:30-11:30"; veio "{value}"')
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60:
            raise ValueError(f'"{value}" não é um intervalo de horas válido')
        if end <= start:
            raise ValueError(
                f'"{value}" termina antes de começar; divida um intervalo que passa da '
                'meia-noite em dois ("19:30-24:00" hoje e "00:00-09:30" no dia seguinte)'
            )
        return cls(start, end)

    @staticmethod
    def clock(minute: int) -> str:
        return f"{minute // 60:02d}:{minute % 60:02d}"

    def __str__(self) -> str:
        return f"{self.clock(self.start_minute)}–{self.clock(self.end_minute)}"


def _parse_day(value: Any) -> tuple[TimeRange, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError('esperava uma lista de intervalos, ex.: ["07:30-11:30"]')
    ranges = sorted(TimeRange.parse(v) for v in value)
    for before, after in itertools.pairwise(ranges):
        if after.start_minute < before.end_minute:
            raise ValueError(f"os intervalos {before} e {after} se sobrepõem")
    return tuple(ranges)


def _day_field() -> Any:
    return field(default=(), metadata={"parse": _parse_day})


@dataclass(frozen=True)
class WeeklyHours:
    """Opening intervals per weekday, in the schedule's own time zone."""

    mon: tuple[TimeRange, ...] = _day_field()
    tue: tuple[TimeRange, ...] = _day_field()
    wed: tuple[TimeRange, ...] = _day_field()
    thu: tuple[TimeRange, ...] = _day_field()
    fri: tuple[TimeRange, ...] = _day_field()
    sat: tuple[TimeRange, ...] = _day_field()
    sun: tuple[TimeRange, ...] = _day_field()

    def for_weekday(self, weekday: int) -> tuple[TimeRange, ...]:
        """Intervals of a weekday, Monday being 0 as in ``date.weekday()``."""
        ranges: tuple[TimeRange, ...] = getattr(self, WEEKDAYS[weekday])
        return ranges


@dataclass(frozen=True)
class Schedule:
    """A team's weekly hours in an IANA zone, and whether holidays close it."""

    label: str
    time_zone: ZoneInfo = field(metadata={"parse": parse_time_zone})
    week: WeeklyHours
    closed_on_holidays: bool = True
    note: str = ""


@dataclass(frozen=True)
class ExtraHoliday:
    """A local closure the holidays library does not know (municipal, one-off)."""

    date: dt.date
    name: str


@dataclass(frozen=True)
class HolidayRules:
    """Which public holidays apply: the library's country and state, plus extras.

    Both are required once the section is written: a pack in Amazonas must
    never get Mato Grosso's holidays by default.
    """

    country: str
    subdivision: str
    extra: tuple[ExtraHoliday, ...] = ()
    origin: Origin = origin_field()

    def __post_init__(self) -> None:
        for name in ("country", "subdivision"):
            if not getattr(self, name).strip():
                raise ValueError(f"holidays.{name} não pode ficar vazio (ex.: BR e MT)")


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    time_zone: ZoneInfo = field(metadata={"parse": parse_time_zone})
    time_zone_label: str
    region_label: str = ""


@dataclass(frozen=True)
class CallCenter:
    name: str
    time_zone: ZoneInfo = field(metadata={"parse": parse_time_zone})
    time_zone_label: str
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class City:
    name: str
    technology: str
    note: str = ""

    def __str__(self) -> str:
        detail = f"{self.technology}, {self.note}" if self.note else self.technology
        return f"{self.name} ({detail})"


@dataclass(frozen=True)
class Coverage:
    summary: str
    cities: tuple[City, ...] = ()
    communities: tuple[str, ...] = ()
    rural: str = ""


@dataclass(frozen=True)
class System:
    """A system the agent uses; credentials are never here, only the vault key."""

    name: str
    url: str = ""
    purpose: str = ""
    port: int | None = None
    vault_key: str = ""
    access_rule: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.url})" if self.url else self.name


@dataclass(frozen=True)
class Address:
    label: str
    street: str
    district: str
    city: str

    def __str__(self) -> str:
        return f"{self.street}, {self.district}, {self.city}"


@dataclass(frozen=True)
class Contacts:
    """How customers reach the provider: a phone at least, the rest when it has them."""

    phone: str
    whatsapp: str = ""
    whatsapp_link: str = ""
    site: str = ""
    head_office: Address | None = None


@dataclass(frozen=True)
class Network:
    dns_primary: str
    dns_secondary: str = ""
    ipv6: bool | None = None


@dataclass(frozen=True)
class SignalRange:
    """An ideal signal range, written in the order the provider says it."""

    start: float = field(metadata={"key": "from"})
    end: float = field(metadata={"key": "to"})
    unit: str
    meaning: str = ""

    @property
    def low(self) -> float:
        return min(self.start, self.end)

    @property
    def high(self) -> float:
        return max(self.start, self.end)

    def __str__(self) -> str:
        return f"{_number(self.start)} a {_number(self.end)} {self.unit}"


@dataclass(frozen=True)
class Signal:
    """The ideal ranges of an optical (or radio) signal; a pack declares those it has."""

    rx: SignalRange | None = None
    tx: SignalRange | None = None


#: Sane ranges for the numbers of a pack (both ends included): a price of R$ 1e999,
#: a rule of -3 days or of 10,000 months is a typo, never a fact.
MONEY_RANGE = (Decimal(0), Decimal(100_000))
DAYS_RANGE = (1, 3_650)
MONTHS_RANGE = (1, 120)
COUNT_RANGE = (0, 100)
HOURS_RANGE = (1, 1_000)


@dataclass(frozen=True)
class Fee:
    """A charge: an amount in reais, or a text when the provider gives no number."""

    label: str
    amount: Decimal | None = field(default=None, metadata={"range": MONEY_RANGE})
    text: str = ""

    def __post_init__(self) -> None:
        if self.amount is None and not self.text:
            raise ValueError("uma taxa precisa de um valor (amount) ou de um texto")
        exponent = self.amount.as_tuple().exponent if self.amount is not None else 0
        if isinstance(exponent, int) and exponent < -2:
            raise ValueError(f"valor em reais tem no máximo 2 casas decimais; veio {self.amount}")

    def __str__(self) -> str:
        return format_money(self.amount) if self.amount is not None else self.text


@dataclass(frozen=True)
class Rules:
    """A provider's own rules, with numbers the checks compute with; each one optional.

    A pack without a rule has no fact of that name: a text or a flow step that
    refers to it is refused by ``check`` (so no flow checks a rule the provider
    does not have).
    """

    block_after_days: int | None = field(default=None, metadata={"range": DAYS_RANGE})
    speed_reduction: bool | None = None
    trust_unlock_days: int | None = field(default=None, metadata={"range": DAYS_RANGE})
    free_address_change_months: int | None = field(default=None, metadata={"range": MONTHS_RANGE})
    free_address_changes_per_period: int | None = field(
        default=None, metadata={"range": COUNT_RANGE}
    )
    free_address_change_for: str = ""
    sla_last_resort_working_hours: int | None = field(default=None, metadata={"range": HOURS_RANGE})


@dataclass(frozen=True)
class PaymentMethod:
    name: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.detail})" if self.detail else self.name


@dataclass(frozen=True)
class Product:
    """Something the plans include (e.g. Olé TV), as the provider describes it."""

    name: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.detail})" if self.detail else self.name


@dataclass(frozen=True)
class Schedules:
    n1: Schedule
    call_center: Schedule


@dataclass(frozen=True)
class Area:
    """A kind of service area the opening asks about, e.g. urban fiber or rural radio.

    ``value`` is what flows set and branch on (``set: {area: urbana}``); ``label``
    is what the agent, the context line and the OS note show.
    """

    value: str
    label: str

    def __post_init__(self) -> None:
        if not AREA_VALUE.fullmatch(self.value):
            raise ValueError(
                f'o valor "{self.value}" de uma área deve ser letras minúsculas, '
                "dígitos e _ (ex.: urbana)"
            )

    def __str__(self) -> str:
        return self.label


def _empty_map() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Facts:
    """Everything the provider states once; texts refer to it by dotted name.

    Required: what every provider has (who it is, the time zones, the N1 and
    call-center hours, a contact). Every other section is optional, and a
    missing one simply has no facts for texts and checks to use.
    """

    provider: ProviderInfo
    call_center: CallCenter
    contacts: Contacts
    schedules: Schedules
    coverage: Coverage | None = None
    systems: Mapping[str, System] = field(default_factory=_empty_map)
    network: Network | None = None
    signal: Signal = Signal()
    fees: Mapping[str, Fee] = field(default_factory=_empty_map)
    rules: Rules = Rules()
    payment_methods: tuple[PaymentMethod, ...] = ()
    products: Mapping[str, Product] = field(default_factory=_empty_map)
    #: None: no public holidays at all (the schedules' closed_on_holidays then never applies).
    holidays: HolidayRules | None = None
    areas: tuple[Area, ...] = ()
    #: Where IXC and Flashman live and the OS ids per outcome (optional).
    integrations: Integrations | None = None


@dataclass(frozen=True)
class FaqEntry:
    """One question agents get, split into what is said and what is only for the agent."""

    id: str
    question: str
    verified_on: dt.date
    say: str = ""
    guidance: str = ""
    #: A line for the customer that is said only if the customer asks (a price the
    #: provider prefers not to volunteer). Shown apart, copied apart, never with ``say``.
    if_asked: str = ""
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    vault_keys: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    section: str = field(default="", metadata={"yaml": False})
    origin: Origin = origin_field()

    @property
    def answer(self) -> str:
        """The whole answer as the agent reads it: the script, then the guidance."""
        parts = [self.say] if self.say else []
        if self.guidance:
            parts.append(f"Orientação ao atendente: {self.guidance}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class FaqFile:
    """The shape of one ``faq/*.yaml`` file."""

    section: str
    entries: tuple[Any, ...]


@dataclass(frozen=True)
class SynonymsFile:
    """The shape of ``synonyms.yaml``: groups of words agents use interchangeably."""

    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PackFile:
    """The shape of ``pack.yaml``: what this folder is."""

    id: str
    name: str
    language: Literal["pt-BR"] = "pt-BR"
    description: str = ""
    #: The pack's own version (e.g. "2026.12.01"); empty: a digest of its files stands in.
    version: str = ""
    #: Days after an entry's or a flow's ``verified_on`` before it is due for review.
    review_interval_days: int = DEFAULT_REVIEW_INTERVAL_DAYS

    def __post_init__(self) -> None:
        if not PACK_ID.fullmatch(self.id):
            raise ValueError(
                f'o id "{self.id}" deve ser palavras minúsculas ligadas por "-" (ex.: mutum-fibra)'
            )
        if not 1 <= self.review_interval_days <= MAX_REVIEW_INTERVAL_DAYS:
            raise ValueError(
                f"review_interval_days deve ser um número de dias de 1 a {MAX_REVIEW_INTERVAL_DAYS}"
            )


def format_money(amount: Decimal) -> str:
    """Brazilian money: ``R$ 1.234,56``."""
    text = f"{amount:,.2f}"  # 1,234.56
    return "R$ " + text.replace(",", "_").replace(".", ",").replace("_", ".")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")
