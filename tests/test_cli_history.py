"""``mutum-copilot history purge|export`` on a real history filled by real calls.

The database is filled the way the app fills it: :class:`LiveCall` walking the
bundled pack's flows with a frozen clock, so the rows hold what the engine
really stores (masked CPF, phones only in the finished OS note).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mutum_copilot.call import LiveCall
from mutum_copilot.cli import build_parser, main
from mutum_copilot.clock import FrozenClock
from mutum_copilot.commands.history import CSV_COLUMNS
from mutum_copilot.history import HistoryStore
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.engine import Triage

NOW = dt.datetime(2026, 11, 24, 22, 0, tzinfo=dt.UTC)
OLD = dt.datetime(2026, 8, 1, 10, 0, tzinfo=dt.UTC)  # beyond the 90 days of retention
LATE = dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)  # 22/11 23:30 for the agent (GMT-3)
TODAY = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
CPF, CPF_DIGITS = "529.982.247-25", "52998224725"
PHONE = "(65) 99988-7766"
VALUES = {
    "abertura/cliente": "Maria Silva",
    "abertura/cpf": CPF,
    "abertura/contrato": "12345",
    "abertura/protocolo": "2026112300001",
    "abertura/relato": "quer IP fixo",
}
BY_KIND = {"phones": "65 99988-7766", "text": "João Souza"}


def play(
    store: HistoryStore, pack: Pack, start: dt.datetime, flow: str, *, finish: bool = True
) -> int:
    """One call through LiveCall: always the first choice, values from VALUES."""
    clock = FrozenClock(start)
    call = LiveCall(Triage(pack, clock), store, clock, agent="Ana")
    view = call.start_flow(flow)
    while not view.ended:
        clock.advance(seconds=10)
        if view.kind == "ask":
            view = call.choose(1)
        elif view.kind == "value":
            assert view.value is not None
            view = call.enter(VALUES.get(view.node_id) or BY_KIND[view.value.kind])
        else:
            view = call.proceed()
        assert not call.warning
    call.set_notes("cliente pediu retorno à tarde")
    if finish:
        clock.advance(minutes=1)
        call.finish()
    assert call.call_id is not None and not call.warning
    return call.call_id


@pytest.fixture
def db(tmp_path: Path, pack: Pack) -> Path:
    """old (finished), late (finished, CPF + phone), today (finished), open (not finished)."""
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    play(store, pack, OLD, "ip-fixo")
    play(store, pack, LATE, "ip-fixo")
    play(store, pack, TODAY, "cobertura")
    play(store, pack, TODAY + dt.timedelta(hours=1), "ip-fixo", finish=False)
    store.close()
    return path


def cli(tmp_path: Path, *args: str) -> int:
    """``main`` with an isolated (absent) config, so the user's own never leaks in."""
    return main(["--config", str(tmp_path / "no-config.yaml"), "history", *args])


def export(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> dict[str, Any]:
    assert cli(tmp_path, "export", "--history", str(db), "--format", "json", *args) == 0
    return json.loads(capsys.readouterr().out)


def purge(tmp_path: Path, db: Path, *args: str) -> int:
    """``history purge`` with the clock frozen at NOW."""
    argv = ["--config", str(tmp_path / "no-config.yaml"), "history", "purge", "--history"]
    parsed = build_parser().parse_args([*argv, str(db), *args])
    return int(parsed.run(parsed, clock=FrozenClock(NOW)))


# --- export -------------------------------------------------------------------------
def test_json_export_has_every_call_with_both_zones_and_its_steps(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = export(tmp_path, db, capsys, "--since", "2026-01-01")["calls"]
    assert [c["flow_id"] for c in calls] == ["ip-fixo", "ip-fixo", "cobertura", "ip-fixo"]
    late = calls[1]
    assert late["started_agent"] == "2026-11-22T23:30:00-03:00"
    assert late["started_provider"] == "2026-11-22T22:30:00-04:00"
    assert late["finished_agent"].startswith("2026-11-22T23:3")
    assert (late["outcome"], late["urgency"], late["agent"]) == ("os_n1", "normal", "Ana")
    assert late["notes"] == ""  # a finished call's notes live only inside its OS note
    assert "cliente pediu retorno à tarde" in late["note_text"]
    assert "Assunto da OS" in late["note_text"]
    stored = HistoryStore(db).steps(late["id"])
    assert [s["node_id"] for s in late["steps"]] == [s.node_id for s in stored]
    assert late["steps"][0]["at"] == "2026-11-22T23:30:10-03:00"  # the agent's zone
    cpf_step = next(s for s in late["steps"] if s["node_id"] == "abertura/cpf")
    assert cpf_step["value"] == "***.982.247-**"
    unfinished = calls[3]
    assert unfinished["finished_agent"] == "" and unfinished["outcome"] == ""
    assert unfinished["note_text"] == ""


def test_no_full_cpf_and_phones_only_inside_finished_os_notes(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = export(tmp_path, db, capsys, "--since", "2020-01-01")["calls"]
    for call in calls:
        outside_note = json.dumps({k: v for k, v in call.items() if k != "note_text"})
        assert "99988" not in outside_note
        assert CPF_DIGITS not in json.dumps(call) and CPF not in json.dumps(call)
    assert PHONE in calls[1]["note_text"]  # the OS note keeps it: that is its purpose
    raw = b"".join(p.read_bytes() for p in db.parent.glob("history.sqlite3*"))
    assert CPF_DIGITS.encode() not in raw and CPF.encode() not in raw


def test_csv_export_parses_one_row_per_call(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(tmp_path, "export", "--history", str(db), "--since", "2026-11-01") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3
    assert tuple(rows[0]) == CSV_COLUMNS
    late = rows[0]
    steps = late["steps"].splitlines()
    assert len(steps) == len(HistoryStore(db).steps(int(late["id"])))
    assert steps[0] == "1. 23:30:10 Nome do cliente: Maria Silva"
    assert "CPF do titular: ***.982.247-**" in steps[1]
    assert "99988" not in late["steps"] and PHONE in late["note_text"]
    assert late["started_agent"] == "2026-11-22T23:30:00-03:00"


def test_output_file_takes_its_format_from_the_extension(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "calls.json"
    target.parent.mkdir()
    args = ("export", "--history", str(db), "--since", "2026-11-24", "--output")
    assert cli(tmp_path, *args, str(target)) == 0
    assert "2 chamadas gravadas" in capsys.readouterr().out
    assert len(json.loads(target.read_text(encoding="utf-8"))["calls"]) == 2
    sheet = tmp_path / "out" / "calls.csv"
    assert cli(tmp_path, *args, str(sheet)) == 0
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf")  # so a spreadsheet reads UTF-8
    text = sheet.read_text(encoding="utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 2


def test_formula_like_text_is_neutralised_in_csv(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = HistoryStore(db)
    call = store.start_call(NOW, agent="=HYPERLINK(1)")
    store.close()
    assert cli(tmp_path, "export", "--history", str(db), "--since", "2026-11-24T18:59") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["agent"] for r in rows if r["id"] == str(call)] == ["'=HYPERLINK(1)"]


@pytest.mark.parametrize(
    ("since", "included"),
    [
        ("2026-11-23", False),  # the agent's midnight is 03:00 UTC, after 02:30 UTC
        ("2026-11-22T23:30", True),  # the exact instant, in the agent's zone: included
        ("2026-11-22T23:30:01", False),
        ("2026-11-23T02:30Z", True),
        ("2026-11-22T22:30-04:00", True),  # the provider's wall clock, with its offset
        ("2026-11-23T02:30:00.000001+00:00", False),
        (" 2026-11-22 ", True),
        ("22/11/2026", True),  # dd/mm/aaaa, as a supervisor in Brazil writes it
        ("23/11/2026", False),
        ("22/11/2026 23:30", True),
        ("22/11/2026 23:31", False),
    ],
)
def test_since_is_an_instant_read_in_the_agents_zone(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], since: str, included: bool
) -> None:
    calls = export(tmp_path, db, capsys, "--since", since)["calls"]
    assert any(c["started_agent"].startswith("2026-11-22T23:30") for c in calls) is included


def test_since_in_the_future_exports_nothing(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(tmp_path, db, capsys, "--since", "2099-01-01") == {"calls": []}
    assert cli(tmp_path, "export", "--history", str(db), "--since", "2099-01-01") == 0
    assert capsys.readouterr().out.strip() == ",".join(CSV_COLUMNS)


@pytest.mark.parametrize(
    "since",
    [
        "",
        "   ",
        "ontem",
        "31/02/2026",
        "24/13/2026",
        "24/11/26",
        "2026-13-01",
        "2026-02-30",
        "2026-11-24T25:00",
        "0001-01-01T00:00+05:00",  # before the calendar in UTC
        "9999-12-31T23:59-05:00",  # after it
        "9999-12-31T23:59:59.5+00:00",  # its last second, rounded up
        "2026-11-24\x00",
        "x" * 10_000,
        "--",
    ],
    ids=repr,
)
def test_bad_dates_exit_2_with_a_message(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], since: str
) -> None:
    assert cli(tmp_path, "export", "--history", str(db), f"--since={since}") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("mutum-copilot history: --since")
    assert "Traceback" not in captured.err and len(captured.err) < 300


def test_missing_or_unreadable_history_exits_2_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope" / "history.sqlite3"
    assert cli(tmp_path, "export", "--history", str(missing), "--since", "2026-01-01") == 2
    assert "nenhum histórico de chamadas em" in capsys.readouterr().err
    assert not missing.parent.exists()
    assert cli(tmp_path, "purge", "--history", str(missing), "--yes") == 2
    assert not missing.parent.exists()
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all, " * 100)
    assert cli(tmp_path, "export", "--history", str(garbage), "--since", "2026-01-01") == 2
    err = capsys.readouterr().err
    assert "não foi possível abrir o histórico de chamadas" in err and "Traceback" not in err
    assert cli(tmp_path, "export", "--history", str(tmp_path), "--since", "2026-01-01") == 2
    assert "não é um arquivo" in capsys.readouterr().err


def test_a_foreign_database_is_refused_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE calls (id INTEGER PRIMARY KEY, started_at TEXT, updated_at TEXT)")
        db.execute("INSERT INTO calls VALUES (1, 'yesterday', 'x')")
    assert cli(tmp_path, "export", "--history", str(foreign), "--since", "2026-01-01") == 2
    assert "Traceback" not in capsys.readouterr().err


def test_unwritable_output_exits_2(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-folder" / "calls.csv"
    args = ("export", "--history", str(db), "--since", "2026-01-01", "--output", str(target))
    assert cli(tmp_path, *args) == 2
    assert "não foi possível gravar" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(tmp_path: Path, db: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli(tmp_path, "export", "--history", str(db), "--since", "2026-01-01", "--format", "xml")
    assert exit_info.value.code == 2


# --- purge --------------------------------------------------------------------------
def test_purge_uses_the_retention_days_by_default(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_id = HistoryStore(db).since(OLD)[0].id
    assert purge(tmp_path, db, "--yes") == 0
    assert "1 chamada iniciada antes de 2026-08-26 22:00 UTC apagada" in capsys.readouterr().out
    store = HistoryStore(db)
    assert store.get(old_id) is None and store.steps(old_id) == []
    assert len(store.since(OLD)) == 3


def test_purge_older_than(tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert purge(tmp_path, db, "--older-than", "1", "--yes") == 0
    assert capsys.readouterr().out.startswith("2 chamadas iniciadas antes de 2026-11-23 22:00 UTC")
    assert [c.flow_id for c in HistoryStore(db).since(OLD)] == ["cobertura", "ip-fixo"]
    assert purge(tmp_path, db, "--older-than", "1", "--yes") == 0
    assert capsys.readouterr().out.startswith("0 chamadas")


def test_purged_calls_leave_no_trace_in_the_files(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = HistoryStore(db)
    assert store._db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    store.finish_call(
        store.since(OLD)[0].id, finished_at=OLD, outcome="os_n1", urgency="", note_text="ZZ-MARK"
    )
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # days later: it is in the main file
    store.close()
    assert purge(tmp_path, db, "--yes") == 0
    raw = b"".join(p.read_bytes() for p in db.parent.glob("history.sqlite3*"))
    assert b"ZZ-MARK" not in raw


@pytest.mark.parametrize("days", ["0", "-1", "abc", "", "1.5", "99999999"])
def test_purge_refuses_bad_days(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], days: str
) -> None:
    assert purge(tmp_path, db, f"--older-than={days}", "--yes") == 2
    assert "--older-than deve ser um número inteiro" in capsys.readouterr().err
    assert len(HistoryStore(db).since(OLD)) == 4


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_purge_asks_first_and_needs_yes_without_a_terminal(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert purge(tmp_path, db) == 2  # not a terminal: no one to ask
    assert "use --yes" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", FakeTerminal("n\n"))
    assert purge(tmp_path, db) == 1
    assert "Nada apagado" in capsys.readouterr().out
    assert len(HistoryStore(db).since(OLD)) == 4
    monkeypatch.setattr(sys, "stdin", FakeTerminal("sim\n"))
    assert purge(tmp_path, db) == 0
    assert len(HistoryStore(db).since(OLD)) == 3


def test_config_gives_the_history_path_and_retention(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"history_path: {db}\nretention_days: 1\n", encoding="utf-8")
    parsed = build_parser().parse_args(["--config", str(config), "history", "purge", "--yes"])
    assert parsed.run(parsed, clock=FrozenClock(NOW)) == 0
    assert capsys.readouterr().out.startswith("2 chamadas iniciadas antes de 2026-11-23 22:00 UTC")


def test_a_broken_config_is_reported_with_its_line(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("agent_name: Ana\nretention_dayz: 5\n", encoding="utf-8")
    argv = ["--config", str(config), "history", "export", "--history", str(db), "--since", "x"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{config}:2: retention_dayz: chave desconhecida")


def test_the_command_answers_without_a_traceback_or_textual(tmp_path: Path, db: Path) -> None:
    script = (
        "import sys\n"
        "from mutum_copilot.cli import main\n"
        f"code = main(['history', 'export', '--history', {str(db)!r}, '--since', sys.argv[1]])\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {"PATH": "", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    for since, code in (("nope", 2), ("2026-11-24", 0)):
        result = subprocess.run(
            [sys.executable, "-c", script, since],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert result.returncode == code, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1] == "False"  # the supervisor's command skips the TUI
