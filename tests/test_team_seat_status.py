"""The seat's sync status as the agent reads it: the queue's length, one notice per change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pg
from team_calls import OS, RESOLVED, seat_night
from team_helpers import wait_until

from mutum_copilot.config import TeamSettings
from mutum_copilot.history import HistoryStore
from mutum_copilot.team.seat import seat_sync, status_change
from mutum_copilot.team.sync import SyncStatus

NIGHT = dt.datetime(2026, 12, 1, 22, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))


def test_a_store_away_shows_how_many_wait_in_the_queue(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    seat_night(store, "Ana", NIGHT, [RESOLVED, OS])
    url = f"postgresql://ana@127.0.0.1:{pg.free_port()}/mutum"
    sync = seat_sync(TeamSettings(url=url), None, store.path, backoff_min_s=0.1)
    assert sync is not None
    sync.start()
    try:
        assert wait_until(lambda: sync.status.state == "offline" and sync.queued == 2, 20)
        assert sync.status_line() == "equipe: sem conexão, 2 na fila (o atendimento segue normal)"
    finally:
        assert sync.stop()
    assert sync.status.state == "stopped"


def test_without_team_url_or_without_a_file_there_is_no_sync(tmp_path: Path) -> None:
    assert seat_sync(TeamSettings(), None, tmp_path / "h.sqlite3") is None
    url = "postgresql://ana@127.0.0.1:5432/mutum"
    assert seat_sync(TeamSettings(url=url), None, None) is None


def test_only_a_change_of_state_is_worth_a_notice() -> None:
    offline, idle = SyncStatus("offline", failures=1), SyncStatus("idle")
    assert "sem conexão" in status_change(None, offline)
    assert status_change(offline, SyncStatus("offline", failures=5)) == ""  # a retry: silence
    assert "de volta" in status_change(offline, idle)
    assert status_change(idle, SyncStatus("syncing")) == ""
    assert status_change(None, idle) == ""
    assert "recusada" in status_change(idle, SyncStatus("refused"))
