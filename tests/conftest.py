"""Shared fixtures: the bundled pack, loaded once per test session; a real PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pg
import pytest

from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack

REPO = Path(__file__).resolve().parent.parent
PACK_DIR = REPO / "knowledge" / "mutum-fibra"


@pytest.fixture(scope="session")
def pack_dir() -> Path:
    return PACK_DIR


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack(PACK_DIR)


# --- a real PostgreSQL for the team store (see tests/pg.py) -----------------------------
@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A superuser URL of a running server: MUTUM_TEST_PG_URL, else one started for the run."""
    given = os.environ.get(pg.ENV_URL)
    if given:
        yield given
        return
    server = pg.start_server()
    try:
        yield server.admin_url
    finally:
        server.cleanup()


@dataclass(frozen=True)
class TeamDb:
    """One empty database of the test server, dropped after the test."""

    admin_url: str
    name: str

    @property
    def url(self) -> str:
        return pg.url_for(self.admin_url, self.name)


@pytest.fixture
def team_db(pg_admin_url: str) -> Iterator[TeamDb]:
    name = pg.create_database(pg_admin_url)
    try:
        yield TeamDb(pg_admin_url, name)
    finally:
        pg.drop_database(pg_admin_url, name)


@pytest.fixture
def own_pg_server() -> Iterator[pg.PgServer]:
    """A server of the test's own, to stop and start (never the shared one)."""
    server = pg.start_server()
    try:
        yield server
    finally:
        server.cleanup()
