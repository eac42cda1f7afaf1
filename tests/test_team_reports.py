"""The reports against hand-counted figures (tests/team_night.py), from a real PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import astuple
from pathlib import Path
from typing import Any

import pg
import pytest
from conftest import TeamDb
from team_night import SINCE, UNTIL, calls, searches

from mutum_copilot.cli import build_parser
from mutum_copilot.clock import FrozenClock
from mutum_copilot.commands import report as report_command
from mutum_copilot.team.connect import TeamTarget
from mutum_copilot.team.records import SyncBatch
from mutum_copilot.team.reports import (
    ExitRow,
    GapRow,
    HourRow,
    OutcomeRow,
    ReportQuery,
    TimeRow,
    Totals,
    build_report,
)
from mutum_copilot.team.reports_sql import SqlReports
from mutum_copilot.team.store import TeamStore

FIXTURE_PACK = Path(__file__).resolve().parent / "packs" / "fixture"
NIGHT = ReportQuery(SINCE, UNTIL)


@pytest.fixture
def night(team_db: TeamDb) -> Any:
    store = TeamStore.open(TeamTarget(team_db.url))
    store.push(SyncBatch(tuple(calls()), tuple(searches())))
    yield SqlReports(store.conn)
    store.close()


def test_totals(night: SqlReports) -> None:
    assert night.totals(NIGHT) == Totals(calls=8, subjects=9, searches=7, agents=2)


def test_calls_by_subject_and_outcome(night: SqlReports) -> None:
    assert night.outcomes(NIGHT) == [
        OutcomeRow("sem-conexao", "Sem conexão", 5, resolved=1, os=2, forwarded=0, open=2),
        OutcomeRow("financeiro", "Financeiro", 3, resolved=1, os=1, forwarded=1, open=0),
        OutcomeRow("suporte", "Suporte", 1, resolved=1),
    ]


def test_exit_nodes_of_each_flow(night: SqlReports) -> None:
    assert night.exits(NIGHT) == [
        ExitRow("financeiro", "Financeiro", "registrar-os", "Registrar OS ao comercial", "os", 1),
        ExitRow("financeiro", "Financeiro", "segunda-via", "Segunda via enviada", "resolved", 1),
        ExitRow(
            "financeiro", "Financeiro", "transferir", "Transferir ao financeiro", "forwarded", 1
        ),
        ExitRow("sem-conexao", "Sem conexão", "abrir-os", "Abrir OS", "os", 2),
        ExitRow("sem-conexao", "Sem conexão", "resolvido", "Conexão restabelecida", "resolved", 1),
        ExitRow("suporte", "Suporte", "fim", "Fim", "resolved", 1),
    ]


def rounded(rows: list[TimeRow]) -> list[tuple[Any, ...]]:
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in astuple(r)) for r in rows]


def test_time_per_subject_and_per_step(night: SqlReports) -> None:
    # subjects: sem-conexao 140 240 420; financeiro 60 100 150; suporte 90
    # steps:    sem-conexao 25 30 40 45 60 60 75 120 300; financeiro 20 20 30 40 40 50 80
    #           (the automatic step is not counted); suporte 30 60
    assert rounded(night.subject_times(NIGHT)) == [
        ("financeiro", "Financeiro", 3, 100, 140, 7, 40, 62),
        ("sem-conexao", "Sem conexão", 3, 240, 384, 9, 60, 156),
        ("suporte", "Suporte", 1, 90, 90, 2, 45, 57),
    ]


def test_time_per_call_and_per_step_by_agent(night: SqlReports) -> None:
    # calls: Bruno 90 160 200 420; Ana 120 240 (in progress and discarded calls have no length)
    # steps: Bruno 20 30 30 40 45 50 60 60 75 80 300; Ana 20 25 30 40 40 60 120
    assert rounded(night.agent_times(NIGHT)) == [
        ("Bruno", "Bruno", 4, 180, 354, 11, 50, 80),
        ("Ana", "Ana", 2, 180, 228, 7, 40, 84),
    ]


def test_calls_per_hour_against_the_shifts(night: SqlReports) -> None:
    report = build_report(night, NIGHT)
    assert list(report.hours) == [  # noon to noon, in GMT-3
        HourRow(19, calls=1, n1_closed=1, uncovered=1, os=1, os_n1_closed=1),
        HourRow(20, calls=2, n1_closed=2),
        HourRow(21, calls=1),  # the discarded call: no step, so no known state
        HourRow(22, calls=1, n1_closed=1),
        HourRow(23, calls=2, n1_closed=2, os=1, os_n1_closed=1),
        HourRow(9, calls=1, os=1),  # N1 on shift: an OS with N1 open
    ]


def test_faq_gaps(night: SqlReports) -> None:
    assert night.unanswered(NIGHT, 20) == [
        GapRow("boleto segunda via", "segunda via boleto", 3),
        GapRow("tecnica visita", "visita técnica", 1),
        GapRow("tecnica vizita", "vizita tecnica", 1),
    ]
    assert night.unopened(NIGHT, 20) == [
        GapRow("boleto segunda via", "segunda via boleto", 2),
        GapRow("cpf senha wifi", "senha wifi ***.982.247-**", 1),
        GapRow("tecnica visita", "visita técnica", 1),
    ]
    assert night.unanswered(NIGHT, 1) == [GapRow("boleto segunda via", "segunda via boleto", 3)]


def test_filters_by_agent_pack_and_period(night: SqlReports) -> None:
    ana = ReportQuery(SINCE, UNTIL, agent="Ana")
    assert night.totals(ana) == Totals(calls=4, subjects=4, searches=4, agents=1)
    assert night.outcomes(ana) == [
        OutcomeRow("sem-conexao", "Sem conexão", 3, os=1, open=2),
        OutcomeRow("financeiro", "Financeiro", 1, resolved=1),
    ]
    # Ana typed "segunda via boleto" once and "Boleto segunda via" once: one gap, two searches
    assert [(r.key, r.count) for r in night.unanswered(ana, 20)] == [
        ("boleto segunda via", 2),
        ("tecnica vizita", 1),
    ]
    other = ReportQuery(SINCE, UNTIL, pack_id="outro")
    assert [r.flow_id for r in night.outcomes(other)] == ["suporte"]
    later = ReportQuery(UNTIL, UNTIL + dt.timedelta(days=5))
    assert night.totals(later) == Totals(calls=1, subjects=1, searches=1, agents=1)


# --- the command -----------------------------------------------------------------------
def _config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"team:\n  url: {url}\n", encoding="utf-8")
    return path


def _run(config: Path, *argv: str, today: dt.datetime = UNTIL) -> int:
    args = build_parser("report").parse_args(
        ["--config", str(config), "--knowledge", str(FIXTURE_PACK), "report", *argv]
    )
    return report_command.run(args, clock=FrozenClock(today))


def test_report_as_json(
    night: SqlReports, team_db: TeamDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(
        _config(tmp_path, team_db.url),
        "--since",
        "01/12/2026",
        "--until",
        "02/12/2026",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == {
        "since": "2026-12-01T00:00:00-03:00",
        "until": "2026-12-03T00:00:00-03:00",
        "zone": "America/Sao_Paulo",
        "zone_label": "GMT-3",
    }
    assert data["totals"] == {"calls": 8, "subjects": 9, "searches": 7, "agents": 2}
    assert data["outcomes"][0] == {
        "flow_id": "sem-conexao",
        "flow_title": "Sem conexão",
        "total": 5,
        "resolved": 1,
        "os": 2,
        "forwarded": 0,
        "open": 2,
        "other": 0,
    }
    assert data["times"]["by_agent"][0]["p90_s"] == 354.0
    assert [h["hour"] for h in data["hours"]] == [19, 20, 21, 22, 23, 9]
    assert data["faq_gaps"]["unanswered"][0] == {
        "key": "boleto segunda via",
        "example": "segunda via boleto",
        "count": 3,
    }
    assert data["stale_knowledge"] == {"review_days": 90, "items": []}


def test_report_as_a_table_at_80_columns_with_charts(
    night: SqlReports, team_db: TeamDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(
        _config(tmp_path, team_db.url), "--since", "2026-12-01", "--until", "02/12/2026", "--charts"
    )
    assert code == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "\x1b" not in out
    assert "Período: 01/12/2026 00:00 a 03/12/2026 00:00 (GMT-3" in out
    assert "Chamadas: 8 · assuntos: 9 · buscas no FAQ: 7 · atendentes: 2" in out
    lines = out.splitlines()
    assert any(line.split() == ["Sem", "conexão", "5", "1", "2", "0", "2"] for line in lines)
    assert any(
        line.split() == ["Bruno", "4", "3min00s", "5min54s", "11", "50s", "1min20s"]
        for line in lines
    )
    assert any(line.split() == ["19h", "1", "1", "1", "1", "1"] for line in lines)
    assert any(line.split() == ["Total", "8", "6", "1", "3", "2"] for line in lines)
    assert any(line.split()[:2] == ["segunda", "via"] and line.split()[-1] == "3" for line in lines)
    assert "Chamadas por hora (GMT-3)" in out and "Nós de saída mais frequentes" in out
    assert "░" in out and "█" in out


def test_report_as_csv(
    night: SqlReports, team_db: TeamDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _run(
            _config(tmp_path, team_db.url),
            "--since",
            "01/12/2026",
            "--until",
            "02/12/2026",
            "--format",
            "csv",
        )
        == 0
    )
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    start = rows.index(["chamadas_por_hora"])
    assert rows[start + 1][:2] == ["hora", "chamadas"] and rows[start + 2] == [
        "19",
        "1",
        "1",
        "1",
        "1",
        "1",
    ]


def test_stale_knowledge_from_the_pack(
    team_db: TeamDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spring = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)  # 90 days after 24/11/2026 is 22/02/2027
    assert _run(_config(tmp_path, team_db.url), "--format", "json", today=spring) == 0
    stale = json.loads(capsys.readouterr().out)["stale_knowledge"]["items"]
    # every FAQ entry (11) and flow (5) of the fixture pack was verified on 24/11/2026
    assert len(stale) == 16 and {s["days_overdue"] for s in stale} == {7}
    assert {s["kind"] for s in stale} == {"faq", "flow"}
    assert {s["verified_on"] for s in stale} == {"2026-11-24"}


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--since", "31/02/2026"], "--since '31/02/2026' não é uma data"),
        (["--since", "ontem"], "use dd/mm/aaaa"),
        (["--since", "03/12/2026", "--until", "01/12/2026"], "precisa ser antes"),
    ],
)
def test_dates_typed_wrong_are_a_clean_message(
    team_db: TeamDb, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    assert _run(_config(tmp_path, team_db.url), *argv) == 2
    assert words in capsys.readouterr().err


def test_without_team_url_the_report_says_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("agent_name: Ana\n", encoding="utf-8")
    assert _run(config) == 2
    assert "team.url não está configurado" in capsys.readouterr().err


def test_a_server_that_is_down_is_a_clean_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://ana@127.0.0.1:{pg.free_port()}/mutum"
    assert _run(_config(tmp_path, url)) == 2
    err = capsys.readouterr().err
    assert "base da equipe indisponível" in err and "Traceback" not in err


def test_texts_from_the_store_never_drive_the_terminal(
    team_db: TeamDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = TeamStore.open(TeamTarget(team_db.url))
    store.push(SyncBatch(tuple(calls())))
    store.conn.execute("UPDATE subjects SET flow_title = E'\\x1b]52;c;ZXZpbA==\\x07Sem'")
    store.close()
    assert _run(_config(tmp_path, team_db.url), "--since", "01/12/2026") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "]52;c;ZXZpbA==Sem" in out  # the title reached the screen, cleaned


def test_parse_date_reads_brazilian_and_iso_dates() -> None:
    zone = dt.timezone(dt.timedelta(hours=-3))
    parse = report_command.parse_date
    assert parse("05/12/2026", zone, "--since") == dt.datetime(2026, 12, 5, tzinfo=zone)
    assert parse("5/12/2026 19:30", zone, "--since") == dt.datetime(
        2026, 12, 5, 19, 30, tzinfo=zone
    )
    assert parse("05/12/2026", zone, "--until", end=True) == dt.datetime(2026, 12, 6, tzinfo=zone)
    assert parse("2026-12-05", zone, "--until", end=True) == dt.datetime(2026, 12, 6, tzinfo=zone)
    assert parse("2026-12-05T08:00Z", zone, "--until", end=True) == dt.datetime(
        2026, 12, 5, 8, tzinfo=dt.UTC
    )
    with pytest.raises(Exception, match="não é uma data"):
        parse("12/31/2026", zone, "--since")


def test_the_help_is_in_portuguese(capsys: pytest.CaptureFixture[str]) -> None:
    from mutum_copilot.cli import main

    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("uso: mutum-copilot report") and "mostra esta ajuda e sai" in out
    assert "dd/mm/aaaa" in out and "options:" not in out
