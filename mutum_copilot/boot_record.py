"""The boot record: the TUI's first frame, as the previous start left it.

Why: before it can draw anything, a start imports the pack's models (about
ninety frozen dataclasses) and unpickles the pack, ~90 ms that the first frame
(both clocks, N1's state, the flow list) has no use for once written down.
So every full start writes that frame's data here, and the next start draws
its first frame from it while the real screen is built; keys typed meanwhile
wait for the real screen (:mod:`mutum_copilot.tui.boot`).

What it holds: the theme, the clocks' zones, the flow list as the start
screen shows it, and N1's status as a timeline for :data:`HORIZON_DAYS`:
segments within which every field of
:class:`~mutum_copilot.shift_status.ShiftStatus` but ``at`` stays the same,
cut at each change of N1 and at each midnight of the zones shown (where a
label's "amanhã" turns into "hoje"). A status read from it equals the shift
clock's at the same instant (``tests/test_boot_record.py`` checks it).

When it is used: only when its key is the one this start computes (the
config file's bytes and the options, every file of each pack and of this
package, the holiday library's version, Python's) and its timeline covers
now and :data:`MARGIN` after. Otherwise the start is the normal one. And it
is never the truth for long: the real screen, with the live shift clock,
replaces it within the second.

Trust: JSON (data, never run) in the pack cache's private folder, owner-only,
sealed with the cache's key (:mod:`mutum_copilot.packs.cache_files`). A
wrong seal, type, state or zone, or a string with a control character, and
the record is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import os
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple, get_args
from zoneinfo import ZoneInfo

from mutum_copilot.files import UnreadableFileError, UnsafeFolderError, read_regular, write_private
from mutum_copilot.holiday_table import library_version
from mutum_copilot.packs.cache_files import (
    PACKAGE,
    cache_folder,
    owned_private,
    private_folder,
    read_secret,
    seal,
    tree_stamp,
)
from mutum_copilot.safetext import clean_line
from mutum_copilot.shift_status import ShiftStatus, State

FORMAT = 1
_MAGIC = b"MCBOOT1\n"
#: How far ahead a record answers: a seat started at least once a week stays fast.
HORIZON_DAYS = 8
#: A record must also cover this long after now (the real screen replaces it in a second).
MARGIN = timedelta(minutes=10)
#: A record is a few kilobytes; a bigger file is not ours.
MAX_BYTES = 1_000_000
_STATES = frozenset(get_args(State))

#: One of the flow list's lines: the flow's id, its title and its summary.
MenuLine = tuple[str, str, str]


class Segment(NamedTuple):
    """N1's status from ``start`` (inclusive) to ``end`` (exclusive), UTC timestamps."""

    start: float
    end: float
    on_shift: bool
    state: str
    label: str
    next_change: float | None
    next_open: float | None
    closes_at: float | None
    holiday_name: str | None


@dataclass(frozen=True)
class BootRecord:
    """What the first frame shows (see the module doc); ``n1_status`` as a shift clock's."""

    key: str
    roots: tuple[str, ...]
    theme: str
    heading: str
    flows: tuple[MenuLine, ...]
    agent_zone: ZoneInfo
    provider_zone: ZoneInfo
    schedule_zone: ZoneInfo
    segments: tuple[Segment, ...]

    def covers(self, at: datetime) -> bool:
        """True when the timeline answers from ``at`` to :data:`MARGIN` after it."""
        if not self.segments:
            return False
        first, last = self.segments[0].start, self.segments[-1].end
        return first <= at.timestamp() and (at + MARGIN).timestamp() < last

    def fresh(self, at: datetime) -> bool:
        """True while the timeline still answers for a day less than its horizon from ``at``."""
        ahead = timedelta(days=HORIZON_DAYS - 1)
        return bool(self.segments) and (at + ahead).timestamp() < self.segments[-1].end

    def n1_status(self, at: datetime) -> ShiftStatus:
        """N1 at ``at`` as the shift clock said it (the nearest segment outside the timeline)."""
        moment = at.timestamp()
        segment = self.segments[-1]
        for candidate in self.segments:
            if moment < candidate.end:
                segment = candidate
                break
        zone = self.schedule_zone

        def local(stamp: float | None) -> datetime | None:
            return None if stamp is None else datetime.fromtimestamp(stamp, zone)

        return ShiftStatus(
            at=at.astimezone(zone),
            on_shift=segment.on_shift,
            state=segment.state,  # type: ignore[arg-type]  # checked against State on reading
            next_change=local(segment.next_change),
            next_open=local(segment.next_open),
            closes_at=local(segment.closes_at),
            holiday_name=segment.holiday_name,
            label=segment.label,
        )


# --- the timeline ---------------------------------------------------------------------
def timeline(
    status_at: Callable[[datetime], ShiftStatus],
    start: datetime,
    days: int,
    zones: Sequence[ZoneInfo],
) -> tuple[Segment, ...]:
    """N1's status from ``start`` for ``days``, cut at its changes and ``zones``' midnights."""
    end = start + timedelta(days=days)
    segments = []
    moment = start.astimezone(UTC)
    while moment < end:
        status = status_at(moment)
        cut = min([end, *(_next_midnight(moment, zone) for zone in zones)])
        if status.next_change is not None and moment < status.next_change < cut:
            cut = status.next_change.astimezone(UTC)
        segments.append(_segment(moment, cut, status))
        moment = cut
    return tuple(segments)


def _next_midnight(moment: datetime, zone: ZoneInfo) -> datetime:
    """The first local midnight of ``zone`` after ``moment``, in UTC."""
    day = moment.astimezone(zone).date()
    while True:
        day += timedelta(days=1)
        midnight = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
        if midnight > moment:
            return midnight


def _stamp(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _segment(start: datetime, end: datetime, status: ShiftStatus) -> Segment:
    return Segment(
        start.timestamp(),
        end.timestamp(),
        status.on_shift,
        status.state,
        status.label,
        _stamp(status.next_change),
        _stamp(status.next_open),
        _stamp(status.closes_at),
        status.holiday_name,
    )


# --- where it lives and what it is keyed on -------------------------------------------
def record_path(config: Path, knowledge: str | None) -> Path:
    """The record of a start with this config file and ``--knowledge`` option."""
    name = f"{config}\0{knowledge or ''}".encode()
    return cache_folder() / f"boot-{zlib.crc32(name):08x}.json"


def boot_key(config: Path, knowledge: str | None, roots: Sequence[str]) -> str | None:
    """Everything the first frame depends on, hashed; None if a file cannot be read."""
    parts = [str(FORMAT), sys.version, str(config), knowledge or "", library_version()]
    try:
        try:
            parts.append(hashlib.sha256(config.read_bytes()).hexdigest())
        except FileNotFoundError:
            parts.append("no config")
        for root in roots:  # as the pack was given, and where it leads now (a symlink moved)
            folder = Path(root)
            parts += [root, str(folder.resolve()), *tree_stamp(folder)]
            if not folder.is_absolute():
                parts.append(os.getcwd())
        parts += tree_stamp(PACKAGE)
    except OSError:
        return None
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# --- reading --------------------------------------------------------------------------
def read_record(config: Path, knowledge: str | None, now: datetime) -> BootRecord | None:
    """The record for this start, if it is ours, intact, current and covers ``now``."""
    path = record_path(config, knowledge)
    try:
        folder = private_folder(path.parent)
        if not owned_private(path):
            return None
        secret = read_secret(folder, create=False)
        blob = read_regular(path, MAX_BYTES) if secret is not None else b""
    except (OSError, UnsafeFolderError, UnreadableFileError):
        return None
    if secret is None or not blob.startswith(_MAGIC):
        return None
    digest, _, payload = blob[len(_MAGIC) :].partition(b"\n")
    if not hmac.compare_digest(digest, seal(secret, _MAGIC, payload).hex().encode()):
        return None
    try:
        record = decode(payload)
    except (ValueError, TypeError, KeyError, OSError, OverflowError, RecursionError):
        return None
    if record.key != boot_key(config, knowledge, record.roots) or not record.covers(now):
        return None
    return record


def _text(value: Any) -> str:
    if not isinstance(value, str) or clean_line(value) != value:
        raise ValueError("not a clean one-line text")
    return value


#: Timestamps a record may hold: 1970 to the end of year 9999 (what datetime can show).
_LAST_STAMP = 253_402_300_799.0


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("not a number")
    if not 0 <= value <= _LAST_STAMP:  # NaN fails it too
        raise ValueError("not an instant")
    return float(value)


def _optional(read: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else read(value)


def _zone(value: Any) -> ZoneInfo:
    return ZoneInfo(_text(value))


def _decode_segment(row: Any) -> Segment:
    if not isinstance(row, list) or len(row) != len(Segment._fields):
        raise ValueError("not a segment")
    start, end, on_shift, state, label, next_change, next_open, closes_at, holiday = row
    if not isinstance(on_shift, bool) or state not in _STATES:
        raise ValueError("not a state")
    segment = Segment(
        _number(start),
        _number(end),
        on_shift,
        _text(state),
        _text(label),
        _optional(_number, next_change),
        _optional(_number, next_open),
        _optional(_number, closes_at),
        _optional(_text, holiday),
    )
    if not segment.start < segment.end:
        raise ValueError("an empty segment")
    return segment


def decode(payload: bytes) -> BootRecord:
    """The record in ``payload``; ValueError (or TypeError, KeyError...) if it is not one."""
    data = json.loads(payload)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a boot record of this format")
    flows = data["flows"]
    if not isinstance(flows, list) or not all(isinstance(f, list) and len(f) == 3 for f in flows):
        raise ValueError("not a flow list")
    roots, rows = data["roots"], data["segments"]
    if not isinstance(roots, list) or not isinstance(rows, list):
        raise ValueError("not lists")
    segments = tuple(_decode_segment(row) for row in rows)
    if any(a.end != b.start for a, b in itertools.pairwise(segments)):
        raise ValueError("segments with gaps")
    zone = _zone(data["schedule_zone"])
    for segment in segments:  # every instant must show in the schedule's zone (no overflow)
        for stamp in (segment.next_change, segment.next_open, segment.closes_at):
            if stamp is not None:
                datetime.fromtimestamp(stamp, zone)
    return BootRecord(
        key=_text(data["key"]),
        roots=tuple(_text(root) for root in roots),
        theme=_text(data["theme"]),
        heading=_text(data["heading"]),
        flows=tuple((_text(a), _text(b), _text(c)) for a, b, c in flows),
        agent_zone=_zone(data["agent_zone"]),
        provider_zone=_zone(data["provider_zone"]),
        schedule_zone=_zone(data["schedule_zone"]),
        segments=segments,
    )


# --- writing --------------------------------------------------------------------------
@dataclass(frozen=True)
class FirstFrame:
    """What a full start shows first, to be written down for the next one."""

    roots: tuple[str, ...]
    theme: str
    heading: str
    flows: tuple[MenuLine, ...]
    agent_zone: ZoneInfo
    provider_zone: ZoneInfo
    schedule_zone: ZoneInfo
    status_at: Callable[[datetime], ShiftStatus]


def build_record(frame: FirstFrame, key: str, now: datetime) -> BootRecord:
    """The record of ``frame`` under ``key``, its timeline from ``now``."""
    zones = (frame.schedule_zone, frame.agent_zone, frame.provider_zone)
    return BootRecord(
        key=key,
        roots=frame.roots,
        theme=frame.theme,
        heading=frame.heading,
        flows=frame.flows,
        agent_zone=frame.agent_zone,
        provider_zone=frame.provider_zone,
        schedule_zone=frame.schedule_zone,
        segments=timeline(frame.status_at, now, HORIZON_DAYS, zones),
    )


def encode(record: BootRecord) -> bytes:
    """The JSON of ``record`` (what :func:`decode` reads back)."""
    data = {
        "format": FORMAT,
        "key": record.key,
        "roots": list(record.roots),
        "theme": record.theme,
        "heading": record.heading,
        "flows": [list(line) for line in record.flows],
        "agent_zone": record.agent_zone.key,
        "provider_zone": record.provider_zone.key,
        "schedule_zone": record.schedule_zone.key,
        "segments": [list(segment) for segment in record.segments],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def write_record(config: Path, knowledge: str | None, frame: FirstFrame, now: datetime) -> bool:
    """Write the record of ``frame`` for the next start; False if it could not be."""
    key = boot_key(config, knowledge, frame.roots)
    if key is None:
        return False
    payload = encode(build_record(frame, key, now))
    path = record_path(config, knowledge)
    try:
        folder = private_folder(path.parent)
        secret = read_secret(folder, create=True)
        if secret is None:
            return False
        write_private(path, _MAGIC + seal(secret, _MAGIC, payload).hex().encode() + b"\n" + payload)
    except (OSError, UnsafeFolderError):
        return False
    return True


def forget_record(config: Path, knowledge: str | None) -> None:
    """Remove the record (a start that cannot be drawn from one, e.g. several providers)."""
    with contextlib.suppress(OSError):
        os.unlink(record_path(config, knowledge))
