"""Turn located YAML into frozen dataclasses, collecting every problem.

One generic converter serves the pack, the flows, the config and the vault:
it reads a dataclass's fields and type hints, refuses unknown keys (with the
nearest valid key as a suggestion), reports missing keys and wrong types with
the file and line, and goes on after a problem so that ``check`` can report
everything at once.

Field options live in ``dataclasses.field(metadata=...)``:
- ``parse``: a function ``(value) -> result`` that raises ``ValueError`` with a
  message, for values with a syntax of their own (times, time zones);
- ``origin``: the field receives the :class:`Origin` of the mapping instead
  of a YAML key;
- ``key``: the YAML key, when it differs from the field name;
- ``yaml``: ``False`` for a field the loader fills in, never read from YAML;
- ``range``: ``(lowest, highest)`` a number must lie in, both ends included
  (an amount of ``1e999`` or a rule of ``-3`` days is a typo, never a fact).

A converter made with ``secret=True`` (the vault) never echoes a value in a
message: it says what kind of value it found, not the value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from mutum_copilot.errors import Problem
from mutum_copilot.yamlkit.suggest import suggest
from mutum_copilot.yamlkit.yamlio import BAD_VALUE, YList, YMap

T = TypeVar("T")


@dataclass(frozen=True)
class Origin:
    """Where a mapping came from, so later checks can point at it."""

    path: str = ""
    line: int = 0
    key_lines: Mapping[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


NO_ORIGIN = Origin()


def origin_field() -> Any:
    """A dataclass field that receives the mapping's :class:`Origin`."""
    return field(default=NO_ORIGIN, compare=False, repr=False, metadata={"origin": True})


class _Invalid:
    """Marker for a value that could not be converted (a problem was recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


_TYPE_NAMES: dict[Any, str] = {
    str: "um texto",
    int: "um número inteiro",
    float: "um número",
    bool: "true ou false",
    dt.date: "uma data (AAAA-MM-DD)",
    Decimal: "um valor (ex.: 40.00)",
}


def _describe_kind(value: Any) -> str:
    """What a value is, without showing it (for secrets)."""
    if isinstance(value, bool):
        return "true ou false"
    if isinstance(value, (int, float)):
        return "um número"
    if isinstance(value, dt.date):
        return "uma data"
    if isinstance(value, str):
        return "um texto"
    return _describe_value(value)


def _describe_value(value: Any) -> str:
    if isinstance(value, YMap):
        return "um mapeamento"
    if isinstance(value, YList):
        return "uma lista"
    if value is None:
        return "nada (vazio)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"o número {value}"
    if isinstance(value, dt.date):
        return f"a data {value.isoformat()}"
    text = str(value)
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


class Converter:
    """Converts located YAML into typed values; problems go to ``self.problems``."""

    def __init__(self, path: str, *, secret: bool = False) -> None:
        self.path = path
        self.secret = secret
        self.problems: list[Problem] = []

    def describe(self, value: Any) -> str:
        """The value as a message shows it (only its kind, for a secret)."""
        if self.secret and not isinstance(value, (YMap, YList)) and value is not None:
            return _describe_kind(value)
        return _describe_value(value)

    def problem(self, line: int, message: str, key: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, key))

    def convert(self, tp: Any, value: Any, line: int, key: str) -> Any:
        """Convert ``value`` to type ``tp``; return INVALID after recording a problem."""
        if value is BAD_VALUE:  # unreadable scalar, already reported by the YAML reader
            return INVALID
        origin = get_origin(tp)
        if tp is Any:
            return value
        if origin in (Union, types.UnionType):
            return self._union(tp, value, line, key)
        if origin is Literal:
            choices = get_args(tp)
            if value in choices:
                return value
            options = ", ".join(str(c) for c in choices)
            hint = "" if self.secret else suggest(str(value), [str(c) for c in choices])
            self.problem(line, f"deve ser um de: {options}; veio {self.describe(value)}{hint}", key)
            return INVALID
        if origin in (tuple, list):
            return self._sequence(tp, value, line, key)
        if origin in (dict, Mapping):
            return self._mapping(tp, value, line, key)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self.struct(tp, value, line, key)
        return self._scalar(tp, value, line, key)

    def _union(self, tp: Any, value: Any, line: int, key: str) -> Any:
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1:
            return self.convert(non_none[0], value, line, key)
        for arg in non_none:  # first that fits, without recording its problems
            trial = Converter(self.path, secret=self.secret)
            result = trial.convert(arg, value, line, key)
            if not trial.problems:
                return result
        names = " ou ".join(_TYPE_NAMES.get(a, getattr(a, "__name__", str(a))) for a in non_none)
        self.problem(line, f"esperava {names}; veio {self.describe(value)}", key)
        return INVALID

    def _sequence(self, tp: Any, value: Any, line: int, key: str) -> Any:
        args = get_args(tp)
        item_type = args[0] if args else Any
        if not isinstance(value, YList):
            self.problem(line, f"esperava uma lista; veio {self.describe(value)}", key)
            return INVALID
        items = []
        ok = True
        for index, item in enumerate(value):
            converted = self.convert(item_type, item, value.line_of(index), f"{key}[{index}]")
            if converted is INVALID:
                ok = False
            items.append(converted)
        return tuple(items) if ok else INVALID

    def _mapping(self, tp: Any, value: Any, line: int, key: str) -> Any:
        args = get_args(tp)
        value_type = args[1] if len(args) == 2 else Any
        if not isinstance(value, YMap):
            self.problem(line, f"esperava um mapeamento; veio {self.describe(value)}", key)
            return INVALID
        result: dict[str, Any] = {}
        ok = True
        for item_key, item in value.items():
            sub_key = f"{key}.{item_key}" if key else item_key
            converted = self.convert(value_type, item, value.line_of(item_key), sub_key)
            if converted is INVALID:
                ok = False
            result[item_key] = converted
        return types.MappingProxyType(result) if ok else INVALID

    def _scalar(self, tp: Any, value: Any, line: int, key: str) -> Any:
        if isinstance(value, (YMap, YList)) or value is None:
            self.problem(
                line, f"esperava {_TYPE_NAMES.get(tp, tp)}; veio {self.describe(value)}", key
            )
            return INVALID
        if tp is str:
            if isinstance(value, str):
                return value
        elif tp is bool:
            if isinstance(value, bool):
                return value
        elif tp is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif tp is float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        elif tp is Decimal:
            if isinstance(value, (int, float, str)) and not isinstance(value, bool):
                try:
                    amount = Decimal(str(value))
                except InvalidOperation:
                    pass
                else:
                    if amount.is_finite():
                        return amount
        elif tp is dt.date:
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
        elif isinstance(value, tp):
            return value
        expected = _TYPE_NAMES.get(tp, getattr(tp, "__name__", str(tp)))
        hint = " (ponha entre aspas para virar texto)" if tp is str else ""
        self.problem(line, f"esperava {expected}; veio {self.describe(value)}{hint}", key)
        return INVALID

    def struct(self, cls: type[T], value: Any, line: int, key: str = "") -> T:
        """Convert a YAML mapping into the dataclass ``cls``, or return INVALID."""
        if not isinstance(value, YMap):
            keys = _key_list(cls)
            what = f"esperava um mapeamento com as chaves {keys}; veio {self.describe(value)}"
            self.problem(line, what, key)
            return INVALID
        schema_of: Any = cls  # a class is hashable; type[T] does not say so
        hints, fields, yaml_keys = _schema(schema_of)
        ok = True
        for item_key in value:
            if item_key not in yaml_keys:
                ok = False
                where = f"{key}.{item_key}" if key else item_key
                self.problem(
                    value.line_of(item_key),
                    f"chave desconhecida{suggest(item_key, yaml_keys)}; "
                    f"chaves válidas: {_key_list(cls)}",
                    where,
                )
        kwargs: dict[str, Any] = {}
        for yaml_key, fld in yaml_keys.items():
            where = f"{key}.{yaml_key}" if key else yaml_key
            if yaml_key not in value:
                if _is_required(fld):
                    self.problem(value.line, "falta a chave obrigatória", where)
                    ok = False
                continue
            raw = value[yaml_key]
            item_line = value.line_of(yaml_key)
            parse: Callable[[Any], Any] | None = fld.metadata.get("parse")
            if parse is not None:
                converted = self._parsed(parse, raw, item_line, where)
            else:
                converted = self.convert(hints[fld.name], raw, item_line, where)
            if converted is not INVALID and "range" in fld.metadata:
                converted = self._in_range(fld.metadata["range"], converted, item_line, where)
            if converted is INVALID:
                ok = False
            else:
                kwargs[fld.name] = converted
        for fld in fields.values():
            if fld.metadata.get("origin"):
                kwargs[fld.name] = Origin(self.path, value.line, dict(value.key_lines))
        if not ok:
            return INVALID
        try:
            return cls(**kwargs)
        except ValueError as exc:  # a __post_init__ check of the model
            self.problem(value.line, str(exc), key)
            return INVALID

    def _in_range(self, bounds: tuple[Any, Any], value: Any, line: int, key: str) -> Any:
        """``value`` if it lies in ``bounds`` (a number; None passes), else INVALID."""
        low, high = bounds
        if value is None or isinstance(value, bool) or low <= value <= high:
            return value
        shown = "um valor fora da faixa" if self.secret else _number_text(value)
        self.problem(
            line, f"deve estar entre {_number_text(low)} e {_number_text(high)}; veio {shown}", key
        )
        return INVALID

    def _parsed(self, parse: Callable[[Any], Any], raw: Any, line: int, key: str) -> Any:
        try:
            return parse(raw)
        except (ValueError, TypeError) as exc:
            self.problem(line, str(exc), key)
            return INVALID


def _number_text(value: Any) -> str:
    """A number as a supervisor reads it: ``100000``, ``1E+999``, ``-3``."""
    if isinstance(value, Decimal):
        return str(value) if abs(value.adjusted()) < 12 else f"{value:E}"
    return str(value)


@functools.cache
def _schema(
    cls: Any,
) -> tuple[dict[str, Any], dict[str, dataclasses.Field[Any]], dict[str, dataclasses.Field[Any]]]:
    """A dataclass's type hints, fields and YAML keys, worked out once per class.

    ``get_type_hints`` evaluates every annotation string each time it is called:
    per mapping, that was a tenth of loading a pack.
    """
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    yaml_keys = {f.metadata.get("key", f.name): f for f in fields.values() if _from_yaml(f)}
    return hints, fields, yaml_keys


def _from_yaml(fld: dataclasses.Field[Any]) -> bool:
    return not fld.metadata.get("origin") and fld.metadata.get("yaml", True)


def _is_required(fld: dataclasses.Field[Any]) -> bool:
    return fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING


def _key_list(cls: type) -> str:
    fields = dataclasses.fields(cls)
    names = [f.metadata.get("key", f.name) for f in fields if _from_yaml(f)]
    return ", ".join(names)
