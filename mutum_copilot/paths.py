"""Where things live: the bundled pack, and the user's data, config, cache and log folders."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "mutum-copilot"
DEFAULT_PACK = "mutum-fibra"
CONFIG_FILE = "config.yaml"
#: Set to any value to keep no holiday tables on disk (the library is asked every time).
NO_HOLIDAY_CACHE_ENV = "MUTUM_COPILOT_NO_HOLIDAY_CACHE"
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


def default_config_path() -> Path:
    return config_dir() / CONFIG_FILE


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def holiday_cache_dir(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where the holiday tables are cached; None when ``MUTUM_COPILOT_NO_HOLIDAY_CACHE`` is set.

    Read by the commands and the app's services, which hand the answer to
    :class:`mutum_copilot.holiday_table.HolidayTable` (it reads no environment).
    """
    return None if environ.get(NO_HOLIDAY_CACHE_ENV) else cache_dir()
