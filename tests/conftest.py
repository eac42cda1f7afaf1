"""Shared fixtures: the bundled pack, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack

REPO = Path(__file__).resolve().parent.parent
PACK_DIR = REPO / "knowledge" / "mutum-fibra"


@pytest.fixture(autouse=True)
def _no_user_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Commands run in-process read the config and the vault: never the user's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "xdg-config"))


@pytest.fixture(scope="session")
def pack_dir() -> Path:
    return PACK_DIR


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack(PACK_DIR)
