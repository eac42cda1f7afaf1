"""Writing to the team store: idempotent upserts by uid, guarded by revision.

One :meth:`TeamStore.push` is one transaction. A call is written only when its
revision is newer than the one the store holds (``ON CONFLICT ... WHERE
calls.revision < excluded.revision``); then, and only then, its subjects and
steps are replaced by the ones of that revision. So a batch pushed twice, an
interrupted push (rolled back as a whole) or two seats pushing the same call
at once never duplicate, lose or roll back a row: the row lock taken by the
upsert orders concurrent writers of one call, and calls are written in uid
order so that two batches never wait on each other in a cycle. The commit is
synchronous whatever the server's default (``synchronous_commit``), since the
seat forgets a batch once it is committed.

Before writing, every record is minimised (:mod:`.scrub`), and the columns the
reports group on are derived here, once, in Python (durations, the outcome
bucket, the N1 and call-center state at a call's start and at a subject's
end, the exit node's title); see docs/team-store.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg

from mutum_copilot.team.connect import TeamTarget, TeamUnavailable, connect, unavailable_message
from mutum_copilot.team.records import FaqSearch, SyncBatch, TeamCall, TeamStep, TeamSubject
from mutum_copilot.team.schema import ensure_schema
from mutum_copilot.team.scrub import category, minimise_call, minimise_search, query_key

_CALL_COLUMNS = (
    "uid uuid, revision int, seat text, agent text, pack_id text, pack_version text,"
    " started_at timestamptz, updated_at timestamptz, finished_at timestamptz,"
    " discarded boolean, seconds double precision, n1_state text, call_center_state text,"
    " note_text text"
)
_CALL_NAMES = [c.split()[0] for c in _CALL_COLUMNS.split(",")]
_UPSERT_CALLS = f"""
INSERT INTO calls ({", ".join(_CALL_NAMES)})
SELECT {", ".join(_CALL_NAMES)} FROM jsonb_to_recordset(%s::jsonb) AS r({_CALL_COLUMNS})
ORDER BY uid
ON CONFLICT (uid) DO UPDATE SET
    {", ".join(f"{n} = excluded.{n}" for n in _CALL_NAMES[1:])}, received_at = now()
WHERE calls.revision < excluded.revision
RETURNING uid::text
"""
_SEARCH_COLUMNS = (
    "uid uuid, revision int, seat text, agent text, pack_id text, pack_version text,"
    " at timestamptz, query text, query_key text, shown text[], opened text[],"
    " answered boolean, call_uid uuid"
)
_SEARCH_NAMES = [c.split()[0] for c in _SEARCH_COLUMNS.split(",")]
_UPSERT_SEARCHES = f"""
INSERT INTO faq_searches ({", ".join(_SEARCH_NAMES)})
SELECT {", ".join(_SEARCH_NAMES)} FROM jsonb_to_recordset(%s::jsonb) AS r({_SEARCH_COLUMNS})
ORDER BY uid
ON CONFLICT (uid) DO UPDATE SET
    {", ".join(f"{n} = excluded.{n}" for n in _SEARCH_NAMES[1:])}, received_at = now()
WHERE faq_searches.revision < excluded.revision
RETURNING uid::text
"""
_SUBJECT_NAMES = (
    "uid, call_uid, seq, flow_id, flow_title, outcome, urgency, exit_node, exit_title,"
    " started_at, ended_at, seconds, n1_state, call_center_state, agent, pack_id,"
    " call_started_at, category"
)
_STEP_NAMES = (
    "uid, call_uid, subject_seq, seq, at, node_id, node_title, answer, value, verdict,"
    " n1_state, call_center_state, automatic, seconds, flow_id, agent, pack_id, call_started_at"
)


@dataclass(frozen=True)
class PushResult:
    """What one push changed: rows written, and items the store already held as new."""

    calls_written: int = 0
    calls_unchanged: int = 0
    searches_written: int = 0
    searches_unchanged: int = 0


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _seconds(start: dt.datetime, end: dt.datetime | None) -> float | None:
    return None if end is None else max(0.0, (end - start).total_seconds())


def _latest(items: Iterable[Any]) -> list[Any]:
    """One item per uid (its highest revision), in uid order."""
    best: dict[str, Any] = {}
    for item in items:
        if item.uid not in best or best[item.uid].revision < item.revision:
            best[item.uid] = item
    return [best[uid] for uid in sorted(best)]


def _by_subject(call: TeamCall) -> dict[int, list[TeamStep]]:
    steps: dict[int, list[TeamStep]] = {s.seq: [] for s in call.subjects}
    for step in sorted(call.steps, key=lambda s: (s.subject_seq, s.seq)):
        steps[step.subject_seq].append(step)
    return steps


def call_row(call: TeamCall) -> dict[str, Any]:
    """The ``calls`` row of a (minimised) call, with its derived columns."""
    steps = sorted(call.steps, key=lambda s: (s.subject_seq, s.seq))
    first = steps[0] if steps else None
    return {
        "uid": call.uid,
        "revision": call.revision,
        "seat": call.seat,
        "agent": call.agent,
        "pack_id": call.pack_id,
        "pack_version": call.pack_version,
        "started_at": _iso(call.started_at),
        "updated_at": _iso(call.updated_at),
        "finished_at": _iso(call.finished_at),
        "discarded": call.discarded,
        "seconds": None if call.discarded else _seconds(call.started_at, call.finished_at),
        "n1_state": first.n1_state if first else "",
        "call_center_state": first.call_center_state if first else "",
        "note_text": call.note_text or None,
    }


def subject_rows(call: TeamCall) -> Iterator[tuple[Any, ...]]:
    steps = _by_subject(call)
    for subject in sorted(call.subjects, key=lambda s: s.seq):
        own = steps[subject.seq]
        last = own[-1] if own else None
        exit_title = next(
            (s.node_title for s in reversed(own) if s.node_id == subject.exit_node), ""
        )
        yield (
            subject.uid,
            call.uid,
            subject.seq,
            subject.flow_id,
            subject.flow_title,
            subject.outcome,
            subject.urgency,
            subject.exit_node,
            exit_title,
            subject.started_at,
            subject.ended_at,
            _seconds(subject.started_at, subject.ended_at),
            last.n1_state if last else "",
            last.call_center_state if last else "",
            call.agent,
            call.pack_id,
            call.started_at,
            category(subject.outcome, subject.urgency),
        )


def step_rows(call: TeamCall) -> Iterator[tuple[Any, ...]]:
    subjects: dict[int, TeamSubject] = {s.seq: s for s in call.subjects}
    for seq, own in _by_subject(call).items():
        subject = subjects[seq]
        previous = subject.started_at
        for step in own:
            yield (
                step.uid,
                call.uid,
                step.subject_seq,
                step.seq,
                step.at,
                step.node_id,
                step.node_title,
                step.answer,
                step.value,
                step.verdict,
                step.n1_state,
                step.call_center_state,
                step.automatic,
                _seconds(previous, step.at),
                subject.flow_id,
                call.agent,
                call.pack_id,
                call.started_at,
            )
            previous = step.at


def search_row(search: FaqSearch) -> dict[str, Any]:
    return {
        "uid": search.uid,
        "revision": search.revision,
        "seat": search.seat,
        "agent": search.agent,
        "pack_id": search.pack_id,
        "pack_version": search.pack_version,
        "at": _iso(search.at),
        "query": search.query,
        "query_key": query_key(search.query),
        "shown": list(search.shown),
        "opened": list(search.opened),
        "answered": search.answered,
        "call_uid": search.call_uid,
    }


class TeamStore:
    """One connection to the team store, its schema checked (and migrated) on opening."""

    def __init__(self, conn: psycopg.Connection[Any], *, sync_note_texts: bool = False) -> None:
        self.conn = conn
        self.sync_note_texts = sync_note_texts

    @classmethod
    def open(cls, target: TeamTarget) -> TeamStore:
        """Connect and bring the schema up to date; TeamUnavailable or TeamSchemaError."""
        conn = connect(target)
        try:
            ensure_schema(conn)
        except psycopg.OperationalError as exc:
            conn.close()
            raise TeamUnavailable(unavailable_message(target, exc)) from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, sync_note_texts=target.sync_note_texts)

    def close(self) -> None:
        self.conn.close()

    def push(self, batch: SyncBatch) -> PushResult:
        """Write ``batch`` in one transaction; what the store holds as new is left alone."""
        calls = [minimise_call(c, note_texts=self.sync_note_texts) for c in _latest(batch.calls)]
        searches = [minimise_search(s) for s in _latest(batch.searches)]
        written: set[str] = set()
        searches_written = 0
        with self.conn.transaction(), self.conn.cursor() as cur:
            # The seat marks the batch synced once this commits: the commit must survive a
            # server crash even where the server trades durability for speed by default.
            cur.execute("SET LOCAL synchronous_commit = on")
            if calls:
                rows = json.dumps([call_row(c) for c in calls], ensure_ascii=False)
                written = {r[0].replace("-", "") for r in cur.execute(_UPSERT_CALLS, (rows,))}
            if written:
                changed = [c for c in calls if c.uid in written]
                uids = [c.uid for c in changed]
                cur.execute("DELETE FROM steps WHERE call_uid = ANY(%s::uuid[])", (uids,))
                cur.execute("DELETE FROM subjects WHERE call_uid = ANY(%s::uuid[])", (uids,))
                with cur.copy(f"COPY subjects ({_SUBJECT_NAMES}) FROM STDIN") as copy:
                    for call in changed:
                        for row in subject_rows(call):
                            copy.write_row(row)
                with cur.copy(f"COPY steps ({_STEP_NAMES}) FROM STDIN") as copy:
                    for call in changed:
                        for row in step_rows(call):
                            copy.write_row(row)
            if searches:
                rows = json.dumps([search_row(s) for s in searches], ensure_ascii=False)
                searches_written = len(cur.execute(_UPSERT_SEARCHES, (rows,)).fetchall())
        return PushResult(
            calls_written=len(written),
            calls_unchanged=len(calls) - len(written),
            searches_written=searches_written,
            searches_unchanged=len(searches) - searches_written,
        )
