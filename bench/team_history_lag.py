"""The lag from a finished call to the team report, through the seat's REAL history.

The path the app runs: LiveCall plays a call on the fixture pack into a
HistoryStore; its finishing save wakes the SeatSync (``HistoryStore.on_saved``),
whose thread reads the history through its own connection (HistorySource) and
pushes to a throwaway PostgreSQL (durable settings, as bench/team_bench.py).
The lag is from ``LiveCall.finish()`` until ``SqlReports`` counts the call as
finished (an outcome other than open). Figures, not asserts::

    .venv/bin/python -m bench.team_history_lag [--samples 30] [--url postgresql://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from bench.common import REPO, describe_load, load_average, percentiles

sys.path.insert(0, str(REPO / "tests"))

import pg  # tests/pg.py: the throwaway server
from team_calls import RESOLVED, new_call, play

from mutum_copilot.clock import FrozenClock
from mutum_copilot.history import UI_BUSY_TIMEOUT_MS, HistoryStore
from mutum_copilot.team.connect import TeamTarget
from mutum_copilot.team.reports import ReportQuery
from mutum_copilot.team.reports_sql import SqlReports
from mutum_copilot.team.seat import SeatSync
from mutum_copilot.team.store import TeamStore

NIGHT = dt.datetime(2026, 12, 1, 20, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))


def finished(reports: SqlReports, query: ReportQuery) -> int:
    return sum(r.total - r.open for r in reports.outcomes(query))


def bench(url: str, samples: int, folder: Path) -> dict[str, float]:
    TeamStore.open(TeamTarget(url)).close()  # the schema, before the report asks
    history = HistoryStore(folder / "history.sqlite3", busy_timeout_ms=UI_BUSY_TIMEOUT_MS)
    sync = SeatSync(TeamTarget(url), history.path, idle_poll_s=30)
    history.on_saved = sync.wake
    sync.start()
    reports = SqlReports(psycopg.connect(url, autocommit=True))
    query = ReportQuery(NIGHT, NIGHT + dt.timedelta(days=1))
    clock = FrozenClock(NIGHT)
    lags, saves = [], []
    for i in range(samples):
        call = new_call(history, clock, "Ana")
        play(call, RESOLVED, clock=clock, finish=False)
        clock.advance(seconds=20)
        begin = time.perf_counter()
        call.finish(confirmed=True)
        saves.append(time.perf_counter() - begin)
        while finished(reports, query) < i + 1:
            time.sleep(0.001)
        lags.append(time.perf_counter() - begin)
        clock.advance(minutes=2)
    sync.stop()
    history.close()
    reports.conn.close()
    return {
        **{f"lag_{k}": v for k, v in percentiles(lags).items()},
        **{f"finish_{k}": v for k, v in percentiles(saves).items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a superuser URL (default: start a throwaway server)")
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args(argv)
    server = None
    admin = args.url
    if admin is None:
        pg._SETTINGS.update({"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"})
        server = pg.start_server()
        admin = server.admin_url
    before = load_average()
    try:
        url = pg.url_for(admin, pg.create_database(admin))
        figures = bench(url, args.samples, Path(tempfile.mkdtemp(prefix="mutum-bench-lag-")))
    finally:
        if server is not None:
            server.cleanup()
    for name, value in figures.items():
        print(f"{name}: {value:.1f}" if isinstance(value, float) else f"{name}: {value}")
    print(describe_load(before, load_average()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
