"""The rows of ``history export``: one call as CSV or JSON, safe to open anywhere.

Every text is cleaned of control characters (the export may be printed to a
terminal) and has its CPFs/CNPJs masked once more; a CSV cell a spreadsheet
would run as a formula gets a leading quote (CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from mutum_copilot.safetext import clean
from mutum_copilot.triage.formats import mask_documents

if TYPE_CHECKING:  # sqlite3 is loaded only when a history action runs, not for every command
    from mutum_copilot.history import CallRecord, StepRecord, SubjectRecord

#: A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id",
    "started_agent",
    "started_provider",
    "finished_agent",
    "finished_provider",
    "flow_id",
    "flow_title",
    "outcome",
    "urgency",
    "agent",
    "notes",
    "note_text",
    "steps",
    "uid",
    "pack_id",
    "pack_version",
    "subjects",
)


def _times(moment: datetime | None, agent: tzinfo, provider: tzinfo) -> tuple[str, str]:
    if moment is None:
        return "", ""
    return moment.astimezone(agent).isoformat(), moment.astimezone(provider).isoformat()


def _step_time(text: str, agent: tzinfo) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.astimezone(agent).isoformat() if moment.tzinfo else text


def call_row(
    call: CallRecord,
    steps: list[StepRecord],
    agent: tzinfo,
    provider: tzinfo,
    *,
    subjects: list[SubjectRecord] | None = None,
) -> dict[str, Any]:
    """One call as the export shows it: times in both zones, its subjects, the stored steps."""
    return _safe(_row(call, steps, agent, provider, subjects or []))


def _safe(value: Any) -> Any:
    """Every text without control characters and with CPFs/CNPJs masked, whatever it held."""
    if isinstance(value, str):
        return mask_documents(clean(value))
    if isinstance(value, dict):
        return {k: _safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_safe(v) for v in value]
    return value


def _row(
    call: CallRecord,
    steps: list[StepRecord],
    agent: tzinfo,
    provider: tzinfo,
    subjects: list[SubjectRecord],
) -> dict[str, Any]:
    started_agent, started_provider = _times(call.started_at, agent, provider)
    finished_agent, finished_provider = _times(call.finished_at, agent, provider)
    return {
        "id": call.id,
        "started_agent": started_agent,
        "started_provider": started_provider,
        "finished_agent": finished_agent,
        "finished_provider": finished_provider,
        "flow_id": call.flow_id,
        "flow_title": call.flow_title,
        "outcome": call.outcome,
        "urgency": call.urgency,
        "agent": call.agent,
        "notes": call.notes,
        "note_text": call.note_text,
        "steps": [
            {
                "at": _step_time(step.at, agent),
                "node_id": step.node_id,
                "title": step.title,
                "answer": step.answer,
                "value": step.value,
                "verdict": step.verdict,
                "subject": step.subject_seq + 1,
                "n1_state": step.n1_state,
                "call_center_state": step.call_center_state,
                "uid": step.uid,
            }
            for step in steps
        ],
        "uid": call.uid,
        "pack_id": call.pack_id,
        "pack_version": call.pack_version,
        "subjects": [
            {
                "number": subject.seq + 1,
                "uid": subject.uid,
                "flow_id": subject.flow_id,
                "flow_title": subject.flow_title,
                "outcome": subject.outcome,
                "urgency": subject.urgency,
            }
            for subject in subjects
        ],
    }


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps({"calls": rows}, ensure_ascii=False, indent=2) + "\n"


def steps_text(steps: list[dict[str, Any]]) -> str:
    """The steps as one text cell: ``1. 19:00:10 Title: answer = value [verdict]`` per line."""
    lines = []
    for number, step in enumerate(steps, start=1):
        at = step["at"][11:19] if len(step["at"]) >= 19 else step["at"]
        line = f"{number}. {at} {step['title'] or step['node_id']}: {step['answer']}"
        if step["value"] and step["value"] != step["answer"]:
            line += f" = {step['value']}"
        if step["verdict"]:
            line += f" [{step['verdict']}]"
        lines.append(line)
    return "\n".join(lines)


def _cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading quote (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        flat = {
            **row,
            "steps": steps_text(row["steps"]),
            "subjects": "\n".join(
                f"{s['number']}. {s['flow_title'] or s['flow_id']}: {s['outcome'] or 'aberto'}"
                for s in row["subjects"]
            ),
        }
        writer.writerow([_cell(flat[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()
