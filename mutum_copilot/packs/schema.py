"""Every key of every pack file, read from the models: the tables of docs/pack-format.md.

The pack format is the models (:mod:`mutum_copilot.knowledge.models`,
:mod:`mutum_copilot.triage.models`, the vault's :class:`Credential`), so the
documentation's key tables are generated from them: key, type, required,
default. The hand-written columns (an example and a description) are kept by
key when the tables are regenerated::

    python -m mutum_copilot.packs.schema docs/pack-format.md

A test regenerates the file and compares: a model field without a row, or a
row for a key that no longer exists, fails it, as does a row left without a
description. The examples of the required keys are what ``pack new``'s
template is filled with in the test that proves the template works.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo

from mutum_copilot.knowledge import models as km
from mutum_copilot.triage import models as tm
from mutum_copilot.vault import SECTIONS, Credential

TODO = "TODO"
_BEGIN = re.compile(r"^<!-- keys: (?P<table>.+?) -->$")
_END = "<!-- end keys -->"
_HEADER = (
    "| Key | Type | Required | Default | Example | Description |\n"
    "| --- | --- | --- | --- | --- | --- |"
)


@dataclass(frozen=True)
class KeyRow:
    """One key of a pack file as the documentation lists it."""

    key: str
    type: str
    required: bool
    default: str
    example: str = ""
    description: str = ""

    def line(self) -> str:
        cells = [
            f"`{self.key}`",
            self.type,
            "yes" if self.required else "no",
            f"`{self.default}`" if self.default else "",
            f"`{self.example}`" if self.example else "",
            self.description or TODO,
        ]
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


# --- the models, walked ----------------------------------------------------------------
#: Files and node types, each with its model (and what a list of ``Any`` holds).
_NODE_TYPES = {name: cls for name, cls in tm.NODE_TYPES.items()}
_ITEMS: dict[tuple[type, str], type] = {(km.FaqFile, "entries"): km.FaqEntry}
_NAMED: dict[tuple[type, str], str] = {
    (tm.FlowFile, "nodes"): "list of nodes (tables below)",
    (tm.FragmentFile, "nodes"): "list of nodes (tables below)",
}


def tables() -> dict[str, list[KeyRow]]:
    """Every documented table, by its name in the doc's markers, rows in model order."""
    found: dict[str, list[KeyRow]] = {
        "pack.yaml": list(_rows(km.PackFile)),
        "provider.yaml": list(_rows(km.Facts)),
        "synonyms.yaml": list(_rows(km.SynonymsFile)),
        "faq/*.yaml": list(_rows(km.FaqFile)),
        "flows/*.yaml": list(_rows(tm.FlowFile)),
        "flows/_*.yaml": list(_rows(tm.FragmentFile)),
        "node": [*list(_rows(tm.NodeBase))[:1], _type_row(), *list(_rows(tm.NodeBase))[1:]],
    }
    common = {f.name for f in dataclasses.fields(tm.NodeBase)}
    for name, cls in _NODE_TYPES.items():
        found[f"node: {name}"] = list(_rows(cls, skip=common | {"type"}))
    found["secrets.yaml"] = _vault_rows()
    return found


def _type_row() -> KeyRow:
    return KeyRow("type", f"one of: {', '.join(_NODE_TYPES)}", True, "")


def _vault_rows() -> list[KeyRow]:
    cred = list(_rows(Credential, prefix="<key>."))
    per_pack = list(_rows(Credential, prefix=f"{SECTIONS}.<pack id>.<key>."))
    return [
        KeyRow("<key>", "mapping", False, ""),
        *cred,
        KeyRow(SECTIONS, "mapping of pack id → credentials", False, ""),
        KeyRow(f"{SECTIONS}.<pack id>.<key>", "mapping", False, ""),
        *per_pack,
    ]


def _rows(
    cls: Any, prefix: str = "", skip: set[str] | frozenset[str] = frozenset()
) -> Iterator[KeyRow]:
    hints = get_type_hints(cls)
    for fld in dataclasses.fields(cls):
        if fld.metadata.get("origin") or not fld.metadata.get("yaml", True) or fld.name in skip:
            continue
        key = prefix + fld.metadata.get("key", fld.name)
        tp = hints[fld.name]
        inner = _unwrap(tp)
        item = _ITEMS.get((cls, fld.name))
        kind = _NAMED.get((cls, fld.name)) or _type_name(inner, fld, item)
        yield KeyRow(key, kind, _required(fld), _default(fld))
        if inner is km.WeeklyHours:  # seven keys alike: one row
            days = ", ".join(km.WEEKDAYS)
            day_type = f'list of intervals ("HH:MM-HH:MM"); <day> is one of {days}'
            yield KeyRow(f"{key}.<day>", day_type, False, "[]")
        elif "parse" not in fld.metadata:  # a value with a syntax of its own has no keys
            yield from _children(inner, key, item)


def _children(tp: Any, key: str, item: type | None) -> Iterator[KeyRow]:
    origin = get_origin(tp)
    if item is not None:
        yield from _rows(item, f"{key}[].")
    elif _is_model(tp):
        yield from _rows(tp, f"{key}.")
    elif origin in (Mapping, dict) and _is_model(get_args(tp)[1]):
        yield from _rows(get_args(tp)[1], f"{key}.<id>.")
    elif origin is tuple and get_args(tp) and _is_model(get_args(tp)[0]):
        yield from _rows(get_args(tp)[0], f"{key}[].")


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _unwrap(tp: Any) -> Any:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


_SCALARS: dict[Any, str] = {
    str: "text",
    int: "whole number",
    float: "number",
    bool: "true or false",
    Decimal: "amount (e.g. 40.00)",
    dt.date: "date (YYYY-MM-DD)",
    ZoneInfo: "IANA time zone",
    Any: "any",
}


def _type_name(tp: Any, fld: dataclasses.Field[Any] | None = None, item: type | None = None) -> str:
    parse = fld.metadata.get("parse") if fld is not None else None
    if parse is not None and getattr(parse, "__name__", "") == "_parse_day":
        return 'list of intervals ("HH:MM-HH:MM")'
    if item is not None:
        return "list of mappings"
    if tp in _SCALARS:
        return _SCALARS[tp]
    origin = get_origin(tp)
    if origin is Literal:
        return "one of: " + ", ".join(str(a) for a in get_args(tp))
    if origin in (Mapping, dict):
        inner = get_args(tp)[1]
        return f"mapping of id → {_type_name(inner)}"
    if origin is tuple:
        inner = get_args(tp)[0] if get_args(tp) else Any
        return f"list of {_plural(_type_name(inner))}"
    if dataclasses.is_dataclass(tp):
        return "mapping"
    return getattr(tp, "__name__", str(tp))


def _plural(name: str) -> str:
    words = {"text": "texts", "mapping": "mappings", "any": "values"}
    if name in words:
        return words[name]
    if name.startswith("list of "):
        return "lists of " + name.removeprefix("list of ")
    return name


def _required(fld: dataclasses.Field[Any]) -> bool:
    return fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING


def _default(fld: dataclasses.Field[Any]) -> str:
    if _required(fld):
        return ""
    factory: Any = fld.default_factory
    value = factory() if fld.default is dataclasses.MISSING else fld.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value or '""'
    if isinstance(value, tuple):
        return "[]" if not value else repr(list(value))
    if isinstance(value, Mapping) or dataclasses.is_dataclass(value):
        return "{}"
    return str(value)


# --- the document ----------------------------------------------------------------------
_ROW = re.compile(r"^\| `(?P<key>[^`]+)` \|")


def render(text: str) -> str:
    """``text`` (the doc) with every key table regenerated, examples and descriptions kept."""
    wanted = tables()
    out: list[str] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        match = _BEGIN.match(line)
        index += 1
        if not match:
            continue
        kept: dict[str, tuple[str, str]] = {}
        while index < len(lines) and lines[index] != _END:
            cells = _cells(lines[index])
            if cells is not None:
                kept[cells[0]] = (cells[4], cells[5])
            index += 1
        name = match["table"]
        rows = wanted.get(name)
        if rows is None:
            raise ValueError(f"the doc names a table the models do not have: {name}")
        out.append(_HEADER)
        for row in rows:
            example, description = kept.get(row.key, ("", ""))
            filled = dataclasses.replace(row, example=example, description=description)
            out.append(filled.line())
    return "\n".join(out) + "\n"


def _cells(line: str) -> list[str] | None:
    """The six cells of a key row, backticks and escapes removed; None for other lines."""
    if not _ROW.match(line):
        return None
    cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
    if len(cells) != 6:
        return None
    cells = [c[1:-1] if len(c) >= 2 and c.startswith("`") and c.endswith("`") else c for c in cells]
    return [c if c != TODO else "" for c in cells]


def documented(text: str) -> dict[str, dict[str, KeyRow]]:
    """The key rows of the doc as written, by table and key."""
    found: dict[str, dict[str, KeyRow]] = {}
    table = ""
    for line in text.splitlines():
        match = _BEGIN.match(line)
        if match:
            table = match["table"]
            found[table] = {}
            continue
        if line == _END:
            table = ""
            continue
        cells = _cells(line) if table else None
        if cells is not None:
            key, kind, required, default, example, description = cells
            found[table][key] = KeyRow(key, kind, required == "yes", default, example, description)
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m mutum_copilot.packs.schema docs/pack-format.md", file=sys.stderr)
        return 2
    path = Path(argv[0])
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
