"""The boot record: a status read from it is the shift clock's, and only a current, intact
record of ours is ever read (see :mod:`mutum_copilot.boot_record`)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutum_copilot import boot_record
from mutum_copilot.boot_record import (
    HORIZON_DAYS,
    MARGIN,
    BootRecord,
    FirstFrame,
    build_record,
    decode,
    encode,
    read_record,
    record_path,
    timeline,
    write_record,
)
from mutum_copilot.packs.cache_files import read_secret, seal
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.shift import ShiftClock

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "packs" / "fixture"
SHIPPED = REPO / "knowledge" / "mutum-fibra"
UTC = dt.UTC
#: Tuesday 24/11/2026 23:10 in Brasília: N1 closed until 07:30 (Mato Grosso).
TUESDAY_NIGHT = dt.datetime(2026, 11, 25, 2, 10, tzinfo=UTC)
CLOCKS = {
    root.name: ShiftClock.from_facts(load_pack(root).facts, lambda: TUESDAY_NIGHT)
    for root in (FIXTURE, SHIPPED)
}


def frame_of(root: Path, clock: ShiftClock) -> FirstFrame:
    facts = load_pack(root).facts
    return FirstFrame(
        roots=(str(root),),
        theme="textual-dark",
        heading="Qual o motivo do contato? Tecle o número.",
        flows=(("sem-conexao", "Sem conexão", "Cliente sem internet."),),
        agent_zone=facts.call_center.time_zone,
        provider_zone=facts.provider.time_zone,
        schedule_zone=clock.n1.zone,
        status_at=clock.n1_status,
    )


def record_from(name: str, start: dt.datetime) -> BootRecord:
    root = FIXTURE if name == "fixture" else SHIPPED
    return build_record(frame_of(root, CLOCKS[name]), "key", start)


# --- the timeline -----------------------------------------------------------------------
@given(
    name=st.sampled_from(sorted(CLOCKS)),
    start=st.datetimes(dt.datetime(2017, 1, 1), dt.datetime(2031, 12, 31), timezones=st.just(UTC)),
    offset=st.floats(0, HORIZON_DAYS * 86400 - 1),
)
def test_a_status_read_from_the_record_is_the_shift_clocks(
    name: str, start: dt.datetime, offset: float
) -> None:
    """Any instant of the horizon, holidays and the years Mato Grosso had DST included."""
    record = record_from(name, start)
    at = start + dt.timedelta(seconds=offset)
    assert record.n1_status(at) == CLOCKS[name].n1_status(at)


@pytest.mark.parametrize(
    "start",
    [
        dt.datetime(2018, 11, 3, 12, 0, tzinfo=UTC),  # Brazil's DST began at midnight, 04/11/2018
        dt.datetime(2019, 2, 15, 12, 0, tzinfo=UTC),  # ...and ended 17/02/2019: a repeated hour
        dt.datetime(2026, 12, 24, 3, 0, tzinfo=UTC),  # Christmas Eve into Christmas
        dt.datetime(2026, 12, 31, 20, 0, tzinfo=UTC),  # the year's turn
    ],
)
def test_every_minute_of_the_horizon_reads_as_the_shift_clock(start: dt.datetime) -> None:
    for name in CLOCKS:
        record = record_from(name, start)
        for minute in range(0, HORIZON_DAYS * 24 * 60, 7):
            at = start + dt.timedelta(minutes=minute, seconds=13)
            assert record.n1_status(at) == CLOCKS[name].n1_status(at), (name, at)


def test_the_timeline_runs_unbroken_from_now_over_its_horizon() -> None:
    record = record_from("mutum-fibra", TUESDAY_NIGHT)
    segments = record.segments
    assert segments[0].start == TUESDAY_NIGHT.timestamp()
    assert segments[-1].end == (TUESDAY_NIGHT + dt.timedelta(days=HORIZON_DAYS)).timestamp()
    assert all(a.end == b.start and a.start < a.end for a, b in itertools.pairwise(segments))


def test_the_timeline_is_cut_at_midnight_where_a_label_turns_from_tomorrow_to_today() -> None:
    clock = CLOCKS["fixture"]
    zone = clock.n1.zone
    start = dt.datetime(2026, 11, 24, 23, 10, tzinfo=zone)  # Tuesday night, closed until 07:30
    segments = timeline(clock.n1_status, start, 1, [zone])
    labels = [s.label for s in segments]
    assert labels[0].startswith("fechado, volta amanhã") and labels[1].startswith(
        "fechado, volta hoje"
    )
    assert dt.datetime.fromtimestamp(segments[1].start, zone).time() == dt.time(0, 0)


def test_the_record_answers_only_for_now_and_the_margin_after_it() -> None:
    record = record_from("fixture", TUESDAY_NIGHT)
    end = TUESDAY_NIGHT + dt.timedelta(days=HORIZON_DAYS)
    assert record.covers(TUESDAY_NIGHT) and record.covers(end - MARGIN - dt.timedelta(seconds=1))
    assert not record.covers(end - MARGIN)
    assert not record.covers(TUESDAY_NIGHT - dt.timedelta(seconds=1))
    assert record.fresh(TUESDAY_NIGHT) and not record.fresh(TUESDAY_NIGHT + dt.timedelta(days=1))


def test_a_record_encodes_and_decodes_to_itself() -> None:
    record = record_from("fixture", TUESDAY_NIGHT)
    assert decode(encode(record)) == record


# --- on disk: written by a start, read by the next --------------------------------------
@pytest.fixture
def place(tmp_path: Path) -> tuple[Path, Path]:
    """A config file and a copy of the fixture pack of the test's own."""
    config = tmp_path / "config.yaml"
    config.write_text("theme: textual-dark\n", encoding="utf-8")
    root = tmp_path / "pack"
    root.mkdir()
    for path in FIXTURE.rglob("*"):
        if path.is_file():
            target = root / path.relative_to(FIXTURE)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return config, root


def written(config: Path, root: Path, now: dt.datetime = TUESDAY_NIGHT) -> Path:
    assert write_record(config, None, frame_of(root, CLOCKS["fixture"]), now)
    return record_path(config, None)


def test_a_record_written_by_a_start_is_read_by_the_next(place: tuple[Path, Path]) -> None:
    config, root = place
    path = written(config, root)
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    record = read_record(config, None, TUESDAY_NIGHT + dt.timedelta(hours=30))
    assert record is not None and record.roots == (str(root),)
    assert record.n1_status(TUESDAY_NIGHT) == CLOCKS["fixture"].n1_status(TUESDAY_NIGHT)
    assert read_record(config, str(root), TUESDAY_NIGHT) is None  # another start: another record


def touch(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


CHANGES: dict[str, Callable[[Path, Path, pytest.MonkeyPatch], None]] = {
    "config edited": lambda config, root, mp: config.write_text("theme: nord\n", encoding="utf-8"),
    "config removed": lambda config, root, mp: config.unlink(),
    "pack file touched": lambda config, root, mp: touch(root / "provider.yaml"),
    "pack file added": lambda config, root, mp: (root / "faq" / "nova.yaml").write_text("[]\n"),
    "holiday library upgraded": lambda config, root, mp: mp.setattr(
        boot_record, "library_version", lambda: "999.0"
    ),
    "copilot upgraded": lambda config, root, mp: mp.setattr(boot_record, "FORMAT", 99),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_record_is_ignored_once_anything_it_was_made_from_changed(
    place: tuple[Path, Path], change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, root = place
    written(config, root)
    CHANGES[change](config, root, monkeypatch)
    assert read_record(config, None, TUESDAY_NIGHT) is None


def test_a_change_to_the_copilots_own_files_voids_the_record(
    place: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "app.tcss").write_text("Screen {}\n")
    monkeypatch.setattr(boot_record, "PACKAGE", package)
    config, root = place
    written(config, root)
    assert read_record(config, None, TUESDAY_NIGHT) is not None
    touch(package / "app.tcss")
    assert read_record(config, None, TUESDAY_NIGHT) is None


def test_a_record_past_its_horizon_is_ignored(place: tuple[Path, Path]) -> None:
    config, root = place
    written(config, root)
    assert read_record(config, None, TUESDAY_NIGHT + dt.timedelta(days=HORIZON_DAYS)) is None
    assert read_record(config, None, TUESDAY_NIGHT - dt.timedelta(minutes=1)) is None


# --- hostile and broken files -------------------------------------------------------------
def plant(path: Path, payload: bytes) -> None:
    """A record with a valid seal: as if this user's key had signed ``payload``."""
    secret = read_secret(path.parent, create=False)
    assert secret is not None
    magic = b"MCBOOT1\n"
    path.write_bytes(magic + seal(secret, magic, payload).hex().encode() + b"\n" + payload)


def tampered(data: dict[str, object], field: str, value: object) -> dict[str, object]:
    if field.startswith("segment."):
        rows = [list(row) for row in data["segments"]]  # type: ignore[union-attr]
        rows[0][int(field.split(".")[1])] = value
        return {**data, "segments": rows}
    return {**data, field: value}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("heading", "Qual o motivo?\x1b[2J"),  # an escape sequence for the terminal
        ("theme", 7),
        ("agent_zone", "../../../etc/passwd"),
        ("schedule_zone", "America"),  # a folder of the zone database
        ("flows", [["sem-conexao", "Sem conexão"]]),
        ("segment.0", float("nan")),
        ("segment.1", 1e300),
        ("segment.5", 253_402_300_799),  # year 9999 in UTC: past datetime's range in Tokyo
        ("segment.2", "yes"),
        ("segment.3", "open_bar"),
        ("segment.4", "no turno\x07"),
        ("segment.8", ["feriado"]),
        ("format", 2),
    ],
)
def test_a_sealed_record_with_a_bad_value_is_ignored(
    place: tuple[Path, Path], field: str, value: object
) -> None:
    config, root = place
    path = written(config, root)
    data = json.loads(path.read_bytes().split(b"\n", 2)[2])
    if field == "segment.5":
        data["schedule_zone"] = "Asia/Tokyo"
    plant(path, json.dumps(tampered(data, field, value)).encode())
    assert read_record(config, None, TUESDAY_NIGHT) is None


def test_a_sealed_record_with_a_gap_in_its_timeline_is_ignored(place: tuple[Path, Path]) -> None:
    config, root = place
    path = written(config, root)
    data = json.loads(path.read_bytes().split(b"\n", 2)[2])
    del data["segments"][1]
    plant(path, json.dumps(data).encode())
    assert read_record(config, None, TUESDAY_NIGHT) is None


def test_the_planting_helper_makes_records_the_reader_takes(place: tuple[Path, Path]) -> None:
    """The tests above fail for their value, not for their seal."""
    config, root = place
    path = written(config, root)
    plant(path, path.read_bytes().split(b"\n", 2)[2])
    assert read_record(config, None, TUESDAY_NIGHT) is not None


BREAKAGES: dict[str, Callable[[Path], None]] = {
    "one byte changed": lambda p: p.write_bytes(p.read_bytes().replace(b"fechado", b"aberto!", 1)),
    "no seal": lambda p: p.write_bytes(p.read_bytes().split(b"\n", 2)[2]),
    "not JSON": lambda p: plant(p, b"{not json"),
    "empty": lambda p: p.write_bytes(b""),
    "readable by others": lambda p: p.chmod(0o644),
    "too big": lambda p: p.write_bytes(b"MCBOOT1\n" + b"0" * 2_000_000),
    "a folder": lambda p: (p.unlink(), p.mkdir()),  # type: ignore[func-returns-value]
    "a symlink": lambda p: (p.rename(p.with_suffix(".old")), p.symlink_to(p.with_suffix(".old"))),  # type: ignore[func-returns-value]
    "the key gone": lambda p: (p.parent / ".key").unlink(),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_or_foreign_record_is_ignored(place: tuple[Path, Path], breakage: str) -> None:
    config, root = place
    path = written(config, root)
    BREAKAGES[breakage](path)
    assert read_record(config, None, TUESDAY_NIGHT) is None


def test_a_record_written_where_the_cache_cannot_be_written_is_no_error(
    place: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config, root = place
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setattr(boot_record, "cache_folder", lambda: blocked / "packs")
    assert not write_record(config, None, frame_of(root, CLOCKS["fixture"]), TUESDAY_NIGHT)
    assert read_record(config, None, TUESDAY_NIGHT) is None


def test_a_record_holds_no_zone_it_was_not_given() -> None:
    record = record_from("fixture", TUESDAY_NIGHT)
    assert {record.agent_zone, record.provider_zone} == {
        ZoneInfo("America/Sao_Paulo"),
        ZoneInfo("America/Cuiaba"),
    }


def test_a_record_is_ignored_once_its_packs_symlink_points_elsewhere(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("knowledge: current\n", encoding="utf-8")
    link = tmp_path / "current"
    link.symlink_to(FIXTURE)
    assert write_record(config, None, frame_of(link, CLOCKS["fixture"]), TUESDAY_NIGHT)
    assert read_record(config, None, TUESDAY_NIGHT) is not None
    link.unlink()
    link.symlink_to(REPO / "tests" / "packs" / "amazonas")
    assert read_record(config, None, TUESDAY_NIGHT) is None
