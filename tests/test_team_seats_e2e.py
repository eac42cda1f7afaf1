"""Done when, over REAL histories: two seats (two HOMEs, two history files) and one PostgreSQL.

Each seat is what the app runs: a HistoryStore written by LiveCall calls and the
FAQ search log, woken after every save (``HistoryStore.on_saved``), and a
SeatSync thread reading that history through its own connection. The server is
stopped while both seats keep working (one of them even closes and reopens),
then started again; every call arrives once, and the installed
``mutum-copilot report`` of a third HOME (the supervisor, the password in its
vault) shows both seats' calls, the exit nodes and the FAQ gaps.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pg
import psycopg
from team_calls import OS, RESOLVED, new_call, play
from team_helpers import wait_until
from test_team_e2e import home, run_report, supervisor_home

from mutum_copilot.clock import FrozenClock
from mutum_copilot.history import HistoryStore
from mutum_copilot.search_log import SearchContext, SearchLog
from mutum_copilot.team.connect import TeamTarget
from mutum_copilot.team.history_source import HistorySource
from mutum_copilot.team.seat import SeatSync

BRT = ZoneInfo("America/Sao_Paulo")
NIGHT = dt.datetime(2026, 12, 1, 22, 0, tzinfo=BRT)
FIXTURE_PACK = Path(__file__).resolve().parent / "packs" / "fixture"
ROLE_WORD = "-".join(("senha", "do", "posto"))  # a throwaway role of a throwaway server
FAST = {"backoff_min_s": 0.2, "backoff_max_s": 1.0, "idle_poll_s": 0.5}


class Seat:
    """One copilot: its HOME's history, its sync, its clock; calls taken as an agent does."""

    def __init__(self, root: Path, agent: str, target: TeamTarget, start: dt.datetime) -> None:
        self.env = home(root, agent.lower())
        self.path = Path(self.env["XDG_DATA_HOME"]) / "mutum-copilot" / "history.sqlite3"
        self.agent, self.target = agent, target
        self.clock = FrozenClock(start)
        self.uids: list[str] = []
        self.open()

    def open(self) -> None:
        self.history = HistoryStore(self.path)
        self.sync = SeatSync(self.target, self.path, **FAST)
        self.history.on_saved = self.sync.wake  # as the app's TeamLink does
        self.sync.start()
        self.log = SearchLog(
            self.history, self.clock, lambda: SearchContext(self.agent, "fixture", "1", None)
        )

    def close(self) -> None:
        assert self.sync.stop()
        self.history.close()

    def take(self, answers: tuple[str, ...]) -> None:
        call = play(new_call(self.history, self.clock, self.agent), answers, clock=self.clock)
        self.uids.append(call.uid)
        self.clock.advance(minutes=3)

    def search(self, query: str, answered: bool, shown: list[str]) -> None:
        self.clock.advance(seconds=30)
        self.log.typed(query, shown, answered)
        self.log.flush()

    def pending(self) -> int:
        source = HistorySource(self.path)
        try:
            return source.count_pending()
        finally:
            source.close()


def store_rows(url: str) -> tuple[list[str], int, int]:
    with psycopg.connect(url) as conn:
        uids = [r[0] for r in conn.execute("SELECT uid::text FROM calls")]
        subjects = conn.execute("SELECT count(*) FROM subjects").fetchone()
        searches = conn.execute("SELECT count(*) FROM faq_searches").fetchone()
    assert subjects is not None and searches is not None
    return [u.replace("-", "") for u in uids], int(subjects[0]), int(searches[0])


def test_two_real_seats_one_store_stopped_and_restarted_then_the_report(
    tmp_path: Path, own_pg_server: pg.PgServer
) -> None:
    name = pg.create_database(own_pg_server.admin_url)
    with psycopg.connect(own_pg_server.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE posto LOGIN PASSWORD '{ROLE_WORD}'")
        conn.execute(f'ALTER DATABASE "{name}" OWNER TO posto')
    url = pg.url_for(own_pg_server.admin_url, name, user="posto")
    target = TeamTarget(url, password=ROLE_WORD)
    admin = pg.url_for(own_pg_server.admin_url, name)

    ana = Seat(tmp_path, "Ana", target, NIGHT)
    bruno = Seat(tmp_path, "Bruno", target, NIGHT + dt.timedelta(minutes=1))
    ana.take(RESOLVED)
    ana.take(OS)
    ana.search("tv a cabo", False, [])
    bruno.take(RESOLVED)
    bruno.search("tv a cabo", False, ["internet"])
    assert wait_until(lambda: ana.pending() == 0 and bruno.pending() == 0, 60), "first sync"
    assert sorted(store_rows(admin)[0]) == sorted(ana.uids + bruno.uids)

    own_pg_server.stop()  # the server goes down; both seats keep taking calls
    ana.take(RESOLVED)
    bruno.take(OS)
    bruno.search("boleto", True, ["boleto"])  # shown, never opened
    assert wait_until(lambda: bruno.sync.status.state == "offline", 30)
    assert "sem conexão" in bruno.sync.status_line()
    bruno.close()  # Bruno even closes the copilot while the server is down...
    bruno.open()  # ...and opens it again: the queue is in the history, not in memory
    bruno.take(RESOLVED)
    assert bruno.pending() >= 3 and ana.pending() >= 1
    own_pg_server.start()
    try:
        assert wait_until(lambda: ana.pending() == 0 and bruno.pending() == 0, 90), "catch-up"
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{own_pg_server.log.read_text()[-3000:]}") from exc
    uids, subjects, searches = store_rows(admin)
    assert sorted(uids) == sorted(ana.uids + bruno.uids) and len(uids) == 6  # once each
    assert subjects == 6 and searches == 3
    ana.close()
    bruno.close()

    supervisor = supervisor_home(tmp_path, url, ROLE_WORD)
    out = run_report(supervisor, "01/12/2026", "01/12/2026", "--format", "json")
    data = json.loads(out)
    assert data["source"] == "team"
    assert data["totals"] == {"calls": 6, "subjects": 6, "searches": 3, "agents": 2}
    assert {r["label"]: r["count"] for r in data["times"]["by_agent"]} == {"Ana": 3, "Bruno": 3}
    exits = {(e["node_id"], e["category"]): e["count"] for e in data["exit_nodes"]}
    assert exits == {("fim_resolvido", "resolved"): 4, ("fim_os_nao_conecta", "os"): 2}
    gaps = data["faq_gaps"]
    assert gaps["unanswered"] == [{"key": "cabo tv", "example": "tv a cabo", "count": 2}]
    assert [g["example"] for g in gaps["never_opened"]] == ["boleto", "tv a cabo"]
