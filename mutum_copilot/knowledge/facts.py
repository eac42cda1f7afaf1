"""Fact references in texts: ``{fees.visit_city}`` becomes ``R$ 40,00``.

A fact is written once in ``provider.yaml``; every FAQ answer and flow text
refers to it by its dotted name. The table of names is built once per pack,
so filling a text is a dictionary lookup per reference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo

from mutum_copilot.knowledge.models import (
    Facts,
    Schedule,
    TimeRange,
    WeeklyHours,
    format_money,
)
from mutum_copilot.weekdays import WEEKDAY_NAMES_PT
from mutum_copilot.yamlkit.structs import Origin
from mutum_copilot.yamlkit.suggest import suggest

REFERENCE = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}")


def references(text: str) -> list[str]:
    """The dotted names a text refers to, in order."""
    return REFERENCE.findall(text)


def fill(text: str, resolve: Callable[[str], str | None]) -> str:
    """Replace every reference that ``resolve`` knows; leave the others as written."""

    def replace(match: re.Match[str]) -> str:
        value = resolve(match.group(1))
        return match.group(0) if value is None else value

    return REFERENCE.sub(replace, text)


def join_pt(items: list[str]) -> str:
    """``a, b e c``: a list as a Portuguese sentence says it."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " e " + items[-1]


def describe_week(week: WeeklyHours) -> str:
    """``segunda a sexta, 07:30–11:30 e 13:30–17:30; sábado, 07:30–11:30``."""
    groups: list[tuple[int, int, tuple[TimeRange, ...]]] = []
    for day in range(7):
        ranges = week.for_weekday(day)
        if not ranges:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == ranges:
            groups[-1] = (groups[-1][0], day, ranges)
        else:
            groups.append((day, day, ranges))
    parts = []
    for first, last, ranges in groups:
        days = WEEKDAY_NAMES_PT[first]
        if last != first:
            joiner = " e " if last == first + 1 else " a "
            days += joiner + WEEKDAY_NAMES_PT[last]
        parts.append(f"{days}, {join_pt([str(r) for r in ranges])}")
    return "; ".join(parts)


def render_fact(value: Any) -> str | None:
    """The text a fact is shown as, or None if it is a group with no text of its own."""
    if value is None or isinstance(value, Mapping):
        return None
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, (str, int)):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, ZoneInfo):
        return value.key
    if isinstance(value, Schedule):
        return describe_week(value.week)
    if isinstance(value, WeeklyHours):
        return describe_week(value)
    if isinstance(value, tuple):
        rendered = [render_fact(v) for v in value]
        return join_pt([r for r in rendered if r is not None])
    if "__str__" in type(value).__dict__:
        return str(value)
    return None


def _children(value: Any) -> Iterator[tuple[str, Any]]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for fld in dataclasses.fields(value):
            if fld.metadata.get("origin") or not fld.metadata.get("yaml", True):
                continue
            child = getattr(value, fld.name)
            if isinstance(child, Origin):
                continue
            yield fld.metadata.get("key", fld.name), child
    elif isinstance(value, Mapping):
        yield from ((str(k), v) for k, v in value.items())


class FactTable:
    """Every dotted fact name of a pack and its rendered text."""

    def __init__(self, facts: Any) -> None:
        self._texts: dict[str, str] = {}
        self._groups: dict[str, list[str]] = {}
        self._walk("", facts)

    def _walk(self, prefix: str, value: Any) -> None:
        for key, child in _children(value):
            name = f"{prefix}.{key}" if prefix else key
            text = render_fact(child)
            if text:
                self._texts[name] = text
            children = list(_children(child))
            if children:
                self._groups[name] = [f"{name}.{k}" for k, _ in children]
                self._walk(name, child)

    @property
    def names(self) -> list[str]:
        return sorted(self._texts)

    def get(self, name: str) -> str | None:
        return self._texts.get(name)

    def explain_unknown(self, name: str) -> str:
        """Why a reference does not resolve, with the nearest valid name."""
        if name in self._groups:
            options = ", ".join(self._groups[name][:6])
            return f"{{{name}}} é um grupo de fatos, não um fato; use um de: {options}"
        hint = suggest(name, self._texts)
        if is_fact_name(name):  # a fact packs may declare, left out of this one
            return (
                f"{{{name}}}: este pacote não declara esse fato (opcional em provider.yaml); "
                f"declare-o ou tire a referência{hint}"
            )
        return f"fato desconhecido {{{name}}}{hint}"

    def fill(self, text: str) -> str:
        return fill(text, self._texts.get)


def is_fact_name(name: str) -> bool:
    """Whether ``name`` (``rules.trust_unlock_days``) is a fact some pack may declare.

    Walks the models, not a pack: ``check`` uses it to say "this pack does not
    declare it" instead of "unknown" for an optional fact the pack left out.
    Keys of free mappings (``fees.<id>``) match any name.
    """
    current: Any = Facts
    for part in name.split("."):
        current = _without_none(current)
        if get_origin(current) in (Mapping, dict):
            current = get_args(current)[1]
            continue
        if not (isinstance(current, type) and hasattr(current, "__dataclass_fields__")):
            return False
        hints = get_type_hints(current)
        by_key = {
            f.metadata.get("key", f.name): f
            for f in current.__dataclass_fields__.values()
            if not f.metadata.get("origin") and f.metadata.get("yaml", True)
        }
        if part not in by_key:
            return False
        current = hints[by_key[part].name]
    return True


def _without_none(tp: Any) -> Any:
    """``X`` for ``X | None``; anything else as it is."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp
