"""What a seat sends to the team store, and the protocol the sync reads it from.

The records mirror the local history (schema v3): every call, subject, step
and FAQ search has a globally unique ``uid`` (uuid4 hex), so pushing the same
record twice, from two seats or after a crash, lands on the same row. A call
carries a ``revision`` that the seat increments on every save: the store never
lets an older revision overwrite a newer one. Searches carry one too (what was
opened changes after the search is first recorded).

Records are checked when built (uids, aware times, revisions), so a malformed
one fails at the adapter that made it, never as a batch the store refuses
forever. They hold only what a supervisor needs; personal data (phones, free
notes) never gets a field, and the finished OS note leaves the seat only when
the config opts in (see :mod:`.scrub`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Protocol


def check_uid(uid: str) -> str:
    """A uid as the store keeps it: 32 lowercase hex digits (a uuid without dashes)."""
    try:
        return uuid.UUID(hex=uid).hex
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"not a uid (32 hex digits): {uid!r}") from None


def new_uid() -> str:
    """A fresh uid (uuid4 hex), as the history gives every call, subject, step and search."""
    return uuid.uuid4().hex


def _aware(name: str, moment: dt.datetime | None) -> None:
    if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
        raise ValueError(f"{name} must be an aware datetime")


@dataclass(frozen=True)
class TeamStep:
    """One recorded step of a subject: where the agent went, and when."""

    uid: str
    subject_seq: int
    """Which subject of the call (``TeamSubject.seq``) the step belongs to."""
    seq: int
    """Order within the subject, from 0."""
    at: dt.datetime
    """When the step was recorded (answered, or evaluated for an automatic one)."""
    node_id: str
    node_title: str = ""
    answer: str = ""
    """Masked as in the local history (personal answers are a placeholder)."""
    value: str = ""
    verdict: str = ""
    n1_state: str = ""
    """``ShiftStatus.state`` of the provider's N1 at ``at`` (``on_shift``, ``closed``...)."""
    call_center_state: str = ""
    """``ShiftStatus.state`` of the call center's coverage at ``at``."""
    automatic: bool = False
    """A branch or a clock check the engine took by itself: not counted in step times."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "uid", check_uid(self.uid))
        _aware("TeamStep.at", self.at)
        if self.subject_seq < 0 or self.seq < 0:
            raise ValueError("TeamStep seq and subject_seq must not be negative")


@dataclass(frozen=True)
class TeamSubject:
    """One subject of a call (a call is one customer and one or more subjects)."""

    uid: str
    seq: int
    flow_id: str
    started_at: dt.datetime
    flow_title: str = ""
    outcome: str = ""
    """The end node's outcome (``resolved``, ``os_n1``, ``transfer_*``...); empty while open."""
    urgency: str = ""
    """Set when the end registers an OS (``normal``/``alta``)."""
    exit_node: str = ""
    """Id of the node where the subject ended; empty while open."""
    ended_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "uid", check_uid(self.uid))
        _aware("TeamSubject.started_at", self.started_at)
        _aware("TeamSubject.ended_at", self.ended_at)
        if self.seq < 0:
            raise ValueError("TeamSubject.seq must not be negative")


@dataclass(frozen=True)
class TeamCall:
    """One call at one revision, with all its subjects and steps."""

    uid: str
    revision: int
    started_at: dt.datetime
    updated_at: dt.datetime
    agent: str = ""
    pack_id: str = ""
    pack_version: str = ""
    finished_at: dt.datetime | None = None
    discarded: bool = False
    """The agent chose not to resume it: kept, but it will not finish."""
    seat: str = ""
    """An opaque id of the copilot that took the call (the adapter chooses it)."""
    subjects: tuple[TeamSubject, ...] = ()
    steps: tuple[TeamStep, ...] = ()
    note_text: str = ""
    """The finished OS note. It carries phones: sent only with ``team.sync_note_texts``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "uid", check_uid(self.uid))
        if self.revision < 1:
            raise ValueError("TeamCall.revision starts at 1")
        for name in ("started_at", "updated_at", "finished_at"):
            _aware(f"TeamCall.{name}", getattr(self, name))
        seqs = {s.seq for s in self.subjects}
        if len(seqs) != len(self.subjects):
            raise ValueError("TeamCall subjects must have distinct seq")
        orphans = {s.subject_seq for s in self.steps} - seqs
        if orphans:
            raise ValueError(f"TeamCall steps refer to unknown subjects {sorted(orphans)}")


@dataclass(frozen=True)
class FaqSearch:
    """One FAQ search: what was typed, shown and opened, and whether it answered."""

    uid: str
    revision: int
    at: dt.datetime
    query: str
    """As typed; CPFs, CNPJs and phones are scrubbed before it leaves the seat."""
    agent: str = ""
    pack_id: str = ""
    pack_version: str = ""
    shown: tuple[str, ...] = ()
    """Entry ids shown, best first."""
    opened: tuple[str, ...] = ()
    """Entry ids the agent opened."""
    answered: bool = False
    """Whether the search answered the question (as the seat judges it)."""
    call_uid: str | None = None
    """The call it was made in, or None outside a call."""
    seat: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "uid", check_uid(self.uid))
        if self.call_uid is not None:
            object.__setattr__(self, "call_uid", check_uid(self.call_uid))
        if self.revision < 1:
            raise ValueError("FaqSearch.revision starts at 1")
        _aware("FaqSearch.at", self.at)


@dataclass(frozen=True)
class SyncBatch:
    """What a source hands the sync in one go; each item at its latest revision."""

    calls: tuple[TeamCall, ...] = ()
    searches: tuple[FaqSearch, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.calls) + len(self.searches)

    @property
    def empty(self) -> bool:
        return not self.calls and not self.searches


class SyncSource(Protocol):
    """Where the sync finds what to push: the seat's history (an adapter over history v3).

    Both methods are called from the sync thread only; an implementation over
    SQLite opens its connection there (the worker calls its factory in that
    thread). A source that is also closable (``close()``) is closed when the
    worker stops.
    """

    def pending(self, limit: int) -> SyncBatch:
        """Up to ``limit`` calls and up to ``limit`` searches saved since the store last
        held them, each at its latest revision, oldest first."""
        ...

    def mark_synced(self, batch: SyncBatch) -> None:
        """The store now holds each item of ``batch`` at (at least) its revision.

        A call saved again meanwhile (a higher revision) must stay pending.
        """
        ...
