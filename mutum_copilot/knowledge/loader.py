"""Read the knowledge files of a pack folder, collecting every problem instead of stopping.

A pack folder holds ``pack.yaml`` (what it is), ``provider.yaml`` (the facts),
``synonyms.yaml`` (the agents' vocabulary) and ``faq/*.yaml`` (the questions),
read here, and ``flows/*.yaml`` (the guided triage), read by the triage
package; :func:`mutum_copilot.packs.loader.load_pack` puts both together.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutum_copilot.errors import Problem
from mutum_copilot.knowledge.facts import FactTable, references
from mutum_copilot.knowledge.models import (
    Facts,
    FaqEntry,
    FaqFile,
    PackFile,
    SynonymsFile,
)
from mutum_copilot.yamlkit.structs import INVALID, Converter
from mutum_copilot.yamlkit.suggest import suggest
from mutum_copilot.yamlkit.yamlio import YList, read_yaml_file

ENTRY_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FAQ_TEXT_FIELDS = ("question", "say", "guidance", "if_asked")


class PackReader:
    """Reads one pack folder, accumulating problems instead of stopping."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def read(self, relative: str, required: bool = True) -> tuple[Any, str]:
        """Parse one file of the pack; a missing optional file reads as None."""
        path = self.root / relative
        name = str(path)
        if not path.exists() and not required:
            return None, name
        result = read_yaml_file(path, name)
        self.problems.extend(result.problems)
        return result.data, name

    def convert(self, cls: type, data: Any, name: str) -> Any:
        if data is None:
            return INVALID
        converter = Converter(name)
        value: Any = converter.struct(cls, data, getattr(data, "line", 1))
        self.problems.extend(converter.problems)
        return value

    def check_references(self, text: str, table: FactTable, name: str, line: int, key: str) -> None:
        for ref in references(text):
            if table.get(ref) is None:
                self.problems.append(Problem(name, line, table.explain_unknown(ref), key))


@dataclass(frozen=True)
class Knowledge:
    """What the knowledge files hold; None where a file could not be used."""

    meta: PackFile | None
    facts: Facts | None
    table: FactTable | None
    faq: tuple[FaqEntry, ...]
    synonyms: tuple[tuple[str, ...], ...]


def read_knowledge(reader: PackReader) -> Knowledge:
    """Read ``pack.yaml``, ``provider.yaml``, ``synonyms.yaml`` and ``faq/`` into ``reader``."""
    meta_data, meta_name = reader.read("pack.yaml")
    meta = reader.convert(PackFile, meta_data, meta_name)
    facts_data, facts_name = reader.read("provider.yaml")
    facts = reader.convert(Facts, facts_data, facts_name)
    if facts is not INVALID:
        _check_areas(reader, facts, facts_data, facts_name)
    synonyms = _load_synonyms(reader)
    table = FactTable(facts) if facts is not INVALID else None
    faq = _load_faq(reader, facts, table)
    return Knowledge(
        meta=None if meta is INVALID else meta,
        facts=None if facts is INVALID else facts,
        table=table,
        faq=tuple(faq),
        synonyms=synonyms,
    )


def _check_areas(reader: PackReader, facts: Facts, data: Any, name: str) -> None:
    """Area values are what flows branch on: each one once."""
    seen: set[str] = set()
    for index, area in enumerate(facts.areas):
        if area.value in seen:
            reader.problems.append(
                Problem(
                    name,
                    data["areas"].line_of(index),
                    f'área "{area.value}" repetida',
                    f"areas[{index}].value",
                )
            )
        seen.add(area.value)


def _load_synonyms(reader: PackReader) -> tuple[tuple[str, ...], ...]:
    data, name = reader.read("synonyms.yaml", required=False)
    if data is None:
        return ()
    parsed = reader.convert(SynonymsFile, data, name)
    if parsed is INVALID:
        return ()
    groups = parsed.groups
    for index, group in enumerate(groups):
        if len(group) < 2:
            line = data["groups"].line_of(index)
            reader.problems.append(
                Problem(
                    name,
                    line,
                    "um grupo de sinônimos precisa de ao menos duas palavras",
                    f"groups[{index}]",
                )
            )
    return tuple(groups)


def _faq_files(reader: PackReader) -> list[Path]:
    folder = reader.root / "faq"
    if not folder.exists():
        return []  # a pack of flows only: no FAQ is a choice, not a mistake
    if not folder.is_dir():
        reader.problems.append(Problem(str(folder), 0, "faq/ deveria ser uma pasta"))
        return []
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    if not files:
        reader.problems.append(Problem(str(folder), 0, "nenhum arquivo .yaml em faq/"))
    return files


def _load_faq(reader: PackReader, facts: Any, table: FactTable | None) -> list[FaqEntry]:
    entries: list[FaqEntry] = []
    seen: dict[str, tuple[str, int]] = {}
    vault_keys = _vault_keys(facts)
    named: set[str] = set()  # ids written in the files, even in entries with problems
    every_file_read = True
    for path in _faq_files(reader):
        data, name = reader.read(str(path.relative_to(reader.root)))
        parsed = reader.convert(FaqFile, data, name)
        if parsed is INVALID:
            every_file_read = False
            continue
        raw_entries: YList = data["entries"]
        for index, raw in enumerate(raw_entries):
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                named.add(raw["id"])
            converter = Converter(name)
            entry = converter.struct(FaqEntry, raw, raw_entries.line_of(index), f"entries[{index}]")
            reader.problems.extend(converter.problems)
            if entry is INVALID:
                continue
            entry = dataclasses.replace(entry, section=parsed.section)
            _check_entry(reader, entry, name, seen, vault_keys, table)
            entries.append(_filled(entry, table))
    if not every_file_read:
        return entries  # its entries are unknown: checking links to them would only add noise
    known = {e.id for e in entries} | named
    for entry in entries:
        for other in entry.see_also:
            if other not in known:
                line = entry.origin.line_of("see_also")
                hint = suggest(other, known)
                reader.problems.append(
                    Problem(
                        entry.origin.path,
                        line,
                        f'entrada desconhecida "{other}"{hint}',
                        f"{entry.id}.see_also",
                    )
                )
    return entries


def _check_entry(
    reader: PackReader,
    entry: FaqEntry,
    name: str,
    seen: dict[str, tuple[str, int]],
    vault_keys: set[str],
    table: FactTable | None,
) -> None:
    line = entry.origin.line
    if not ENTRY_ID.fullmatch(entry.id):
        reader.problems.append(
            Problem(
                name, line, f'o id "{entry.id}" deve ser palavras minúsculas ligadas por "-"', "id"
            )
        )
    if entry.id in seen:
        first_name, first_line = seen[entry.id]
        reader.problems.append(
            Problem(
                name,
                line,
                f'id repetido "{entry.id}" (o primeiro em {first_name}:{first_line})',
                "id",
            )
        )
    else:
        seen[entry.id] = (name, line)
    if not entry.say.strip() and not entry.guidance.strip():
        reader.problems.append(
            Problem(
                name, line, "uma entrada precisa de um texto say, um guidance, ou os dois", entry.id
            )
        )
    for key in entry.vault_keys:
        if table is not None and key not in vault_keys:
            hint = suggest(key, vault_keys)
            reader.problems.append(
                Problem(
                    name,
                    entry.origin.line_of("vault_keys"),
                    f'chave do cofre desconhecida "{key}"{hint}; '
                    "declare-a como vault_key de um sistema",
                    f"{entry.id}.vault_keys",
                )
            )
    if table is None:
        return
    for field_name in FAQ_TEXT_FIELDS:
        text = getattr(entry, field_name)
        reader.check_references(
            text, table, name, entry.origin.line_of(field_name), f"{entry.id}.{field_name}"
        )


def _filled(entry: FaqEntry, table: FactTable | None) -> FaqEntry:
    if table is None:
        return entry
    return dataclasses.replace(
        entry,
        question=table.fill(entry.question),
        say=table.fill(entry.say),
        guidance=table.fill(entry.guidance),
        if_asked=table.fill(entry.if_asked),
    )


def _vault_keys(facts: Any) -> set[str]:
    if facts is INVALID:
        return set()
    return {s.vault_key for s in facts.systems.values() if s.vault_key}
