"""``mutum-copilot report`` without ``team.url``: the seat's own history, counted by hand.

One seat's night, played through LiveCall on the fixture pack (Tuesday 01/12/2026,
GMT-3; the fixture's N1 works 07:30-11:30 and 13:30-17:30 GMT-4, the call center
from 19:30 GMT-3):

- 18:45 a resolved call: N1 closed (17:45 GMT-4) and the call center too: uncovered;
- 22:00 an OS for N1 (N1 closed, the call center on shift);
- 22:10 a resolved call.

Each call answers a step every 20 s and is finished 20 s after its end node.
Searches, logged as the FAQ pane logs them: "tv a cabo" twice and "TV a cabo"
once, none answered; "boleto" answered and shown but never opened; "senha wifi"
answered and opened.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from team_calls import OS, RESOLVED, new_call, play

from mutum_copilot.cli import main
from mutum_copilot.clock import FrozenClock
from mutum_copilot.history import HistoryStore
from mutum_copilot.search_log import SearchContext, SearchLog
from mutum_copilot.team.reports import ReportQuery, build_report, report_json
from mutum_copilot.team.reports_local import local_backend

BRT = ZoneInfo("America/Sao_Paulo")
DAY = dt.datetime(2026, 12, 1, tzinfo=BRT)
FIXTURE_PACK = Path(__file__).resolve().parent / "packs" / "fixture"


def night(path: Path, agent: str = "Ana") -> HistoryStore:
    store = HistoryStore(path)
    for hour, minute, answers in ((18, 45, RESOLVED), (22, 0, OS), (22, 10, RESOLVED)):
        clock = FrozenClock(DAY.replace(hour=hour, minute=minute))
        play(new_call(store, clock, agent), answers, clock=clock)
    clock = FrozenClock(DAY.replace(hour=22, minute=30))
    log = SearchLog(store, clock, lambda: SearchContext(agent, "fixture", "1", None))
    for query, shown, answered, opened in (
        ("tv a cabo", ["internet"], False, ""),
        ("TV a cabo", [], False, ""),
        ("tv a cabo", [], False, ""),
        ("boleto", ["boleto", "pix"], True, ""),
        ("senha wifi", ["senha-wifi"], True, "senha-wifi"),
    ):
        clock.advance(seconds=30)
        log.typed(query, shown, answered)
        if opened:
            log.opened(opened)
    log.flush()
    return store


def query() -> ReportQuery:
    return ReportQuery(DAY, DAY + dt.timedelta(days=1))


def test_the_local_report_counts_the_night_as_counted_by_hand(tmp_path: Path) -> None:
    store = night(tmp_path / "history.sqlite3")
    data = report_json(build_report(local_backend(store.path, query()), query()))
    assert data["source"] == "local"
    assert data["totals"] == {"calls": 3, "subjects": 3, "searches": 5, "agents": 1}
    (outcome,) = data["outcomes"]
    assert (outcome["flow_id"], outcome["total"], outcome["resolved"], outcome["os"]) == (
        "senha-wifi",
        3,
        2,
        1,
    )
    assert [(e["node_id"], e["category"], e["count"]) for e in data["exit_nodes"]] == [
        ("fim_resolvido", "resolved", 2),
        ("fim_os_nao_conecta", "os", 1),
    ]
    hours = {h["hour"]: h for h in data["hours"] if h["calls"]}
    assert hours[18] == {
        "hour": 18, "calls": 1, "n1_closed": 1, "uncovered": 1, "os": 0, "os_n1_closed": 0
    }  # fmt: skip
    assert hours[22] == {
        "hour": 22, "calls": 2, "n1_closed": 2, "uncovered": 0, "os": 1, "os_n1_closed": 1
    }  # fmt: skip
    (agent,) = data["times"]["by_agent"]
    # the resolved calls: 10 answers 20 s apart, finished 20 s later: 220 s each
    assert agent["label"] == "Ana" and agent["count"] == 3 and agent["median_s"] == 220
    assert agent["step_median_s"] == 20
    gaps = data["faq_gaps"]
    assert gaps["unanswered"] == [{"key": "cabo tv", "example": "tv a cabo", "count": 3}]
    assert [(g["example"], g["count"]) for g in gaps["never_opened"]] == [
        ("boleto", 1),
        ("tv a cabo", 1),
    ]


def test_the_local_report_and_the_team_store_agree_row_for_row(
    tmp_path: Path, team_db: object
) -> None:
    import psycopg

    from mutum_copilot.team.history_source import HistorySource
    from mutum_copilot.team.reports_sql import SqlReports
    from mutum_copilot.team.schema import ensure_schema
    from mutum_copilot.team.store import TeamStore

    store = night(tmp_path / "history.sqlite3")
    local = report_json(build_report(local_backend(store.path, query()), query()))
    with psycopg.connect(team_db.url, autocommit=True) as conn:  # type: ignore[attr-defined]
        ensure_schema(conn)
        TeamStore(conn).push(HistorySource(store.path).pending(100))
        team = report_json(build_report(SqlReports(conn), query()))
    assert local.pop("source") == "local" and team.pop("source") == "team"
    assert local == team


def test_the_cli_reads_the_local_history_without_team_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = tmp_path / "history.sqlite3"
    night(history).close()
    config = tmp_path / "config.yaml"
    config.write_text(f"agent_name: Ana\nhistory_path: {history}\n", encoding="utf-8")
    argv = ["--config", str(config), "--knowledge", str(FIXTURE_PACK), "report"]
    period = ["--since", "01/12/2026", "--until", "01/12/2026"]
    assert main([*argv, *period, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"] == "local" and data["totals"]["calls"] == 3
    assert main([*argv, *period]) == 0
    table = capsys.readouterr().out
    assert "histórico local" in table and "Lacunas do FAQ" in table
    assert main([*argv, *period, "--format", "csv"]) == 0
    assert "tv a cabo" in capsys.readouterr().out
