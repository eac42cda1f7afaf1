"""Shared fixtures: the bundled pack, loaded once per test session; a real PostgreSQL."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pg
import pytest
from fakes.flashman_server import FakeFlashman
from fakes.httpbase import serving
from fakes.ixc_server import FakeIxc
from hypothesis import HealthCheck, settings

from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack

REPO = Path(__file__).resolve().parent.parent
PACK_DIR = REPO / "knowledge" / "mutum-fibra"

# The mutation check (scripts/mutation.py) runs the tests many times in one process: the
# same examples every time (a mutant is killed or not, never by luck), no example database.
settings.register_profile(
    "mutation",
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.differing_executors],
)


#: The user's folders, as platformdirs finds them on Linux, and their name under a test's home.
USER_FOLDERS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_STATE_HOME": ".local/state",
    "XDG_CACHE_HOME": ".cache",
}


@pytest.fixture(autouse=True)
def user_home(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home of the test's own: config, vault, history, logs and caches never the user's.

    ``HOME`` and every XDG folder point into a fresh temp folder, so platformdirs
    and ``~`` resolve there, in this process and in every process a test starts
    (they inherit ``os.environ``; a test that builds an environment from scratch
    passes :func:`user_env`). The switches that turn the caches off are cleared:
    a test gets the app's defaults unless it asks otherwise.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name, folder in USER_FOLDERS.items():
        monkeypatch.setenv(name, str(home / folder))
    for name in ("MUTUM_COPILOT_NO_HOLIDAY_CACHE", "MUTUM_COPILOT_NO_PACK_CACHE"):
        monkeypatch.delenv(name, raising=False)
    return home


def user_env(home: Path) -> dict[str, str]:
    """The variables of :func:`user_home` for ``home``, for an environment built from scratch."""
    return {"HOME": str(home), **{name: str(home / f) for name, f in USER_FOLDERS.items()}}


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


@pytest.fixture(autouse=True)
def gc_as_found() -> Iterator[None]:
    """Each test leaves the collector as a fresh process has it.

    ``cli.main`` and the app freeze every object alive when start-up ends
    (:mod:`mutum_copilot.gcpause`): in the test process that would be the
    heap of every test before, kept for the rest of the run.
    """
    yield
    gc.enable()
    gc.unfreeze()


# --- the providers' systems, faked over real HTTP on 127.0.0.1 (see tests/fakes) --------
@pytest.fixture
def ixc() -> Iterator[FakeIxc]:
    """A fake IXC webservice that follows the Postman collection, serving for one test."""
    with serving(FakeIxc()) as fake:
        yield fake


@pytest.fixture
def flashman() -> Iterator[FakeFlashman]:
    """A fake Flashman API v2 that follows Flashman's source, serving for one test."""
    with serving(FakeFlashman()) as fake:
        yield fake
