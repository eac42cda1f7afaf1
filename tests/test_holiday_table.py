"""Which holiday cache file a seat uses: one per installed ``holidays`` version.

A new version of the library may move a holiday: its tables must not be read
from the file another version wrote (``shift`` reads them without importing
the library, see :mod:`mutum_copilot.holiday_table`).
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from mutum_copilot.holiday_table import LANGUAGE, cache_file_in, library_version


def test_the_version_is_read_from_the_installed_distribution_without_importing_it() -> None:
    assert library_version() == version("holidays")


def test_the_cache_file_is_named_after_the_version_and_the_language(tmp_path: Path) -> None:
    assert cache_file_in(tmp_path) == tmp_path / f"holidays-{version('holidays')}-{LANGUAGE}.json"
