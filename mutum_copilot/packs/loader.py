"""Load a pack folder into a validated :class:`Pack`, or report every problem at once.

The knowledge files are read by :mod:`mutum_copilot.knowledge.loader`, the flows
by :mod:`mutum_copilot.triage.loader`; problems of both are collected and
raised together as one :class:`PackError`, so ``check`` shows them all.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from mutum_copilot.errors import PackError, Problem
from mutum_copilot.files import UnreadableFileError, read_regular
from mutum_copilot.holiday_table import IN_MEMORY, HolidayTable
from mutum_copilot.knowledge.loader import PackReader, read_knowledge
from mutum_copilot.knowledge.models import Facts
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.loader import load_flows
from mutum_copilot.triage.models import Flow
from mutum_copilot.yamlkit.yamlio import MAX_FILE_BYTES


def load_pack(root: Path | str, holidays: HolidayTable = IN_MEMORY) -> Pack:
    """Load and validate the pack in ``root``; raise :class:`PackError` with every problem.

    ``holidays``: the table that checks the pack's country and state (a cached
    one answers without importing the library).
    """
    root = Path(root)
    if not root.exists():
        raise PackError([Problem(str(root), 0, "a pasta do pacote não existe")])
    if not root.is_dir():
        raise PackError([Problem(str(root), 0, "é um arquivo; um pacote é uma pasta")])
    reader = PackReader(root)
    knowledge = read_knowledge(reader)
    flows: dict[str, Flow] = {}
    folder = root / "flows"
    if knowledge.table is not None and knowledge.facts is not None and folder.is_dir():
        flows, problems = load_flows(folder, knowledge.facts, knowledge.table)
        reader.problems.extend(problems)
    if knowledge.facts is not None:
        reader.problems.extend(
            _holiday_problems(knowledge.facts, str(root / "provider.yaml"), holidays)
        )
    if reader.problems:
        raise PackError(sorted(set(reader.problems), key=lambda p: (p.path, p.line, p.message)))
    assert knowledge.meta is not None and knowledge.facts is not None
    return Pack(
        root=root,
        meta=knowledge.meta,
        facts=knowledge.facts,
        faq=knowledge.faq,
        synonyms=knowledge.synonyms,
        flows=flows,
        digest=pack_digest(root),
    )


def _holiday_problems(facts: Facts, name: str, table: HolidayTable) -> list[Problem]:
    """A country or state the holidays library does not know, found now, not mid-call."""
    rules = facts.holidays
    if rules is None:
        return []
    try:
        table.check_region(rules.country, rules.subdivision)
    except NotImplementedError:
        message = (
            f'país "{rules.country}" com estado "{rules.subdivision}" desconhecido da '
            "biblioteca holidays; use os códigos ISO, ex.: BR e MT"
        )
        return [Problem(name, rules.origin.line_of("subdivision"), message, "holidays")]
    return []


def pack_digest(root: Path) -> str:
    """SHA-256 of every YAML file of the pack (relative path and bytes), in a fixed order."""
    found = hashlib.sha256()
    for parent, dirs, names in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = Path(parent, name)
            try:  # never hang on a FIFO or read /dev/zero: the loader refused those already
                data = read_regular(path, MAX_FILE_BYTES)
            except (UnreadableFileError, OSError):
                continue
            found.update(path.relative_to(root).as_posix().encode() + b"\0")
            found.update(data + b"\0")
    return found.hexdigest()
