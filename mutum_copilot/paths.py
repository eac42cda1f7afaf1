"""Where things live: the bundled pack, and the user's data, config and log folders."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "mutum-copilot"
DEFAULT_PACK = "mutum-fibra"
_PACKAGE = Path(__file__).resolve().parent


def bundled_knowledge_root() -> Path:
    """The folder of bundled packs: inside the wheel, or the source tree's ``knowledge/``."""
    installed = _PACKAGE / "_bundled_knowledge"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "knowledge"


def bundled_pack_dir() -> Path:
    return bundled_knowledge_root() / DEFAULT_PACK


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
