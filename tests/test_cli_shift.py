"""``mutum-copilot shift``: JSON shape, how ``--at`` is read, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mutum_copilot.cli import main

REQUIRED = {"at", "on_shift", "state", "next_change", "provider_time", "agent_time"}


def run_json(capsys: pytest.CaptureFixture[str], at: str) -> dict:
    assert main(["shift", "--at", at, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one JSON object, one line
    return json.loads(out)


def test_json_for_an_instant_in_gmt_minus_3(capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, "2026-11-24T08:45-03:00")
    assert report.keys() >= REQUIRED
    assert report["at"] == "2026-11-24T11:45:00+00:00"
    assert report["provider_time"] == "2026-11-24T07:45:00-04:00"
    assert report["agent_time"] == "2026-11-24T08:45:00-03:00"
    assert (report["on_shift"], report["state"]) == (True, "on_shift")
    assert report["next_change"] == "2026-11-24T11:30:00-04:00"
    assert report["label"] == "no turno até 11:30 (GMT-4)"
    assert report["holiday"] is None
    assert report["call_center"]["on_shift"] is True
    assert report["call_center"]["next_change"] == "2026-11-24T09:30:00-03:00"
    assert report["call_center"]["label"] == "coberto até 09:30 (GMT-3)"
    sla = report["sla_estimate"]
    assert sla["working_hours"] == 24 and sla["for_customer"] is False
    assert sla["until"] == "2026-11-27T07:45:00-04:00"
    assert "horas de atendimento do N1" in sla["counts"]


@pytest.mark.parametrize(
    "at",
    [
        "2026-11-24T12:00-03:00",  # the call center's lunch gap
        "2026-11-24T18:45-03:00",  # the end-of-day gap before 19:30
        "2026-11-24T10:00-03:00",  # the morning gap after 09:30
    ],
)
def test_a_call_center_gap_is_uncovered_not_lunch(
    capsys: pytest.CaptureFixture[str], at: str
) -> None:
    center = run_json(capsys, at)["call_center"]
    assert center["on_shift"] is False and center["state"] == "uncovered"
    assert center["label"].startswith("sem cobertura, volta")
    assert center["label"].endswith("(GMT-3)")


def test_naive_at_is_read_in_the_agents_zone(capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, "2026-11-24T19:00")
    assert report["agent_time"] == "2026-11-24T19:00:00-03:00"
    assert report["provider_time"] == "2026-11-24T18:00:00-04:00"
    assert report["state"] == "closed"
    assert report["next_open"] == "2026-11-25T07:30:00-04:00"


@pytest.mark.parametrize(
    ("at", "provider_time"),
    [
        ("2026-11-24T11:45Z", "2026-11-24T07:45:00-04:00"),
        ("2026-11-24T11:45:00+00:00", "2026-11-24T07:45:00-04:00"),
        ("2026-11-28", "2026-11-27T23:00:00-04:00"),  # a date alone: agent's midnight
        (" 2026-11-24 08:45 ", "2026-11-24T07:45:00-04:00"),
    ],
)
def test_at_formats(capsys: pytest.CaptureFixture[str], at: str, provider_time: str) -> None:
    assert run_json(capsys, at)["provider_time"] == provider_time


def test_holiday_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, "2026-12-25T10:00-04:00")
    assert (report["state"], report["holiday"]) == ("holiday", "Natal")
    assert report["next_change"] == "2026-12-26T07:30:00-04:00"
    assert report["call_center"]["holiday"] == "Natal"


def test_without_at_uses_now(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shift", "--json"]) == 0
    assert json.loads(capsys.readouterr().out).keys() >= REQUIRED


def test_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shift", "--at", "2026-11-24T11:20-04:00"]) == 0
    out = capsys.readouterr().out
    assert "no turno até 11:30 (GMT-4)" in out
    assert "24/11 11:20 (GMT-4)" in out and "24/11 12:20 (GMT-3)" in out
    assert "fecha em 10 min" in out
    assert "UPCALL" in out and "sem cobertura, volta às 13:30 (GMT-3)" in out
    assert "estimativa de 24 horas úteis: sexta 27/11 às 11:20" in out
    assert "não informe esta data ao cliente" in out


@pytest.mark.parametrize(
    "at",
    [
        "",
        "   ",
        "garbage",
        "0000-01-01",
        "0001-01-01",
        "9999-12-31T23:59:59-01:00",
        "2026-13-01",
        "2026-11-24T25:00",
        "2026-11-24T19:00+99:00",
        "line\nbreak",
        "x" * 10_000,
    ],
)
def test_bad_at_is_one_clean_line(capsys: pytest.CaptureFixture[str], at: str) -> None:
    assert main(["shift", "--at", at, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "--at" in lines[0]
    assert len(lines[0]) < 300


def test_broken_pack_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--knowledge", str(tmp_path), "shift", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err


def test_real_process_and_import_hygiene() -> None:
    code = (
        "import sys\n"
        "from mutum_copilot.cli import main\n"
        "rc = main(['shift', '--at', '2026-11-28T13:00-03:00', '--json'])\n"
        "loaded = sorted(m for m in ('textual', 'rich') if m in sys.modules)\n"
        "print(' '.join(loaded) or 'clean', file=sys.stderr)\n"
        "raise SystemExit(rc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "clean"
    report = json.loads(done.stdout)
    assert report["state"] == "weekend"  # Saturday 12:00 in Cuiaba
    assert report["call_center"]["next_change"] == "2026-11-30T09:30:00-03:00"


def test_real_process_module_entry_point() -> None:
    args = [sys.executable, "-m", "mutum_copilot", "shift", "--at", "2026-11-24T08:45-03:00"]
    done = subprocess.run(
        [*args, "--json"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["on_shift"] is True
    bad = subprocess.run(
        [*args[:4], "--at", "not-a-date"], capture_output=True, text=True, timeout=60, check=False
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "--at" in bad.stderr
