"""The rows a live call gives the history: one per subject, one per recorded step.

Built from the triage sessions by :class:`mutum_copilot.call.LiveCall` on every
save. A personal value (phones) never reaches a step row: its answer is a
placeholder, since the value lives in the session while the call is open and
only inside the OS note afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from mutum_copilot.history_records import StepRecord, SubjectRecord
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.session import Session

PERSONAL_PLACEHOLDER = "(dado pessoal: só na nota da OS)"


def subject_records(triage: Triage, sessions: list[Session]) -> list[SubjectRecord]:
    """One row per subject: its flow, how it ended (or where it was left), its session."""
    found = []
    for seq, session in enumerate(sessions):
        view = triage.view(session)
        left = view.ended or seq < len(sessions) - 1
        ended = session.ended_at if left else None
        found.append(
            SubjectRecord(
                seq=seq,
                uid=session.uid,
                flow_id=session.flow_id,
                flow_title=view.flow_title,
                outcome=view.outcome.outcome if view.outcome else "",
                urgency=view.outcome.urgency if view.outcome else "",
                exit_node=view.node_id if left else "",
                started_at=session.started_at.isoformat(),
                ended_at=ended.isoformat() if ended else "",
                session=session.to_dict(),
            )
        )
    return found


def step_records(
    triage: Triage,
    sessions: list[Session],
    states_at: Callable[[dt.datetime], tuple[str, str]],
) -> list[StepRecord]:
    """One row per recorded step of every subject, with N1's and the center's states then."""
    records = []
    for seq, session in enumerate(sessions):
        steps = triage.path(session)
        for step, answer in zip(steps, session.answers, strict=True):
            n1_state, center_state = states_at(step.at)
            records.append(
                StepRecord(
                    node_id=step.node_id,
                    title=step.title,
                    answer=PERSONAL_PLACEHOLDER if step.personal else step.answer,
                    value="" if step.personal else step.value,
                    verdict=step.verdict,
                    at=step.at.isoformat(),
                    subject_seq=seq,
                    uid=answer.uid,
                    n1_state=n1_state,
                    call_center_state=center_state,
                )
            )
    return records
