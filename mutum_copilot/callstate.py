"""The saved shape of a call: one customer, its subjects (triage sessions) and its notes.

This is what the history keeps in ``calls.session_json`` and what resuming
reads back. A call exists from the first thing worth keeping (a subject
chosen, a note typed, a value half-typed), so it may have no subject yet.

Format (JSON)::

    {"format": "call/1",
     "notes": "...",                      # the agent's free notes, for the whole call
     "subjects": [<Session.to_dict()>, ...]}   # oldest first; the last is the current one

A history written before calls had subjects holds one bare session instead
(``{"version": 1, "flow_id": ...}``); :func:`subjects_of` reads both.

The functions here work on the plain dicts, not on restored sessions, so a
call whose flow no longer exists can still be scrubbed of personal data when
it is discarded (see :func:`scrub_personal`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mutum_copilot.safetext import clean
from mutum_copilot.triage.formats import mask_documents

FORMAT = "call/1"
#: Keys whose values are ids, times or names, never typed text: left as they are.
_NOT_TEXT = frozenset(
    {"uid", "node", "flow_id", "at", "started_at", "name", "format", "version", "kind"}
)


def call_dict(subjects: list[dict[str, Any]], notes: str) -> dict[str, Any]:
    return {"format": FORMAT, "notes": notes, "subjects": subjects}


def subjects_of(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The subjects' session dicts of a saved call (either format), oldest first."""
    if isinstance(data.get("subjects"), list):
        return [s for s in data["subjects"] if isinstance(s, Mapping)]
    if data.get("flow_id"):
        return [data]
    return []


def notes_of(data: Mapping[str, Any], column: str = "") -> str:
    """The call's notes: its own field, else the legacy session's, else the column's."""
    notes = data.get("notes")
    if isinstance(notes, str) and notes:
        return notes
    return column


def has_draft(data: Mapping[str, Any]) -> bool:
    return any(isinstance(s.get("draft"), Mapping) for s in subjects_of(data))


def worth_keeping(data: Mapping[str, Any], notes: str = "") -> bool:
    """A subject chosen, a note typed or a value half-typed: a call to offer back."""
    return bool(subjects_of(data)) or bool(notes_of(data, notes).strip()) or has_draft(data)


def scrub_personal(data: Mapping[str, Any]) -> dict[str, Any]:
    """The call with its personal values (phones), drafts and notes removed.

    For a call that ends without a note built from its sessions (discarded,
    or not restorable any more): what a finished call keeps outside its note.
    """
    subjects = []
    for session in subjects_of(data):
        copy = dict(session)
        copy["answers"] = [
            {**a, "value": ""} if isinstance(a, Mapping) and a.get("personal") else a
            for a in session.get("answers", [])
            if isinstance(a, Mapping)
        ]
        copy["edits"] = [
            e for e in session.get("edits", []) if isinstance(e, Mapping) and not e.get("personal")
        ]
        copy.pop("draft", None)
        copy["notes"] = ""
        subjects.append(copy)
    return call_dict(subjects, "")


def masked_tree(value: Any, key: str = "") -> Any:
    """``value`` (a JSON tree) with every typed text masked and cleaned; ids left alone.

    The history's last line of defence: the engine masks CPFs as they are typed,
    and this makes sure no text of a stored session can hold one in clear.
    """
    if isinstance(value, str):
        return value if key in _NOT_TEXT else mask_documents(clean(value))
    if isinstance(value, Mapping):
        return {k: masked_tree(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_tree(v, key) for v in value]
    return value
