"""Shared fixtures: the bundled pack, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
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
