"""What the history stores and gives back: plain frozen records, no SQL.

Kept apart from :mod:`mutum_copilot.history` so the store stays about the
database; text read back is cleaned of control characters here
(:func:`loads_clean`), whoever planted it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mutum_copilot.safetext import clean


@dataclass(frozen=True)
class StepRecord:
    """One answered step, as stored for supervisors."""

    node_id: str
    title: str = ""
    answer: str = ""
    value: str = ""
    verdict: str = ""
    at: str = ""
    subject_seq: int = 0
    uid: str = ""
    n1_state: str = ""
    call_center_state: str = ""


@dataclass(frozen=True)
class SubjectRecord:
    """One subject of a call (a flow walked for the same customer)."""

    seq: int
    uid: str
    flow_id: str
    flow_title: str = ""
    outcome: str = ""
    urgency: str = ""
    exit_node: str = ""
    started_at: str = ""
    ended_at: str = ""
    session: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CallSnapshot:
    """Everything a call is right now: what :meth:`HistoryStore.store_call` writes."""

    uid: str
    started_at: dt.datetime
    updated_at: dt.datetime
    session: Mapping[str, Any]
    notes: str = ""
    agent: str = ""
    pack_id: str = ""
    pack_version: str = ""
    flow_id: str = ""
    flow_title: str = ""
    subjects: Sequence[SubjectRecord] = ()
    steps: Sequence[StepRecord] = ()
    finished_at: dt.datetime | None = None
    outcome: str = ""
    urgency: str = ""
    note_text: str = ""


@dataclass(frozen=True)
class CallRecord:
    """One call as read back from the database."""

    id: int
    started_at: dt.datetime
    updated_at: dt.datetime
    finished_at: dt.datetime | None
    flow_id: str
    flow_title: str
    outcome: str
    urgency: str
    agent: str
    session: Mapping[str, Any]
    notes: str
    note_text: str
    owner_pid: int
    owner_host: str
    uid: str = ""
    pack_id: str = ""
    pack_version: str = ""
    revision: int = 0
    discarded: bool = False

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


def clean_value(value: Any) -> Any:
    return clean(value) if isinstance(value, str) else value


def loads_clean(text: str | None) -> dict[str, Any]:
    """A stored JSON object with every text cleaned of control characters; {} if damaged."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return _cleaned(data) if isinstance(data, dict) else {}


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value
