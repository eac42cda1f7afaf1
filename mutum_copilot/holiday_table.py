"""Public holidays by year from the ``holidays`` library, kept in a small cache file.

Asking the library is slow to *start*: ``import holidays`` and its first
``country_holidays()`` load about 250 country modules, ~0.1 s, which is most
of what ``mutum-copilot shift`` and the TUI's first screen would spend on
holidays. The answers only change with the library's version, so each
(country, subdivision, year) table is written once to a JSON file in the
user's cache folder, named after the library's version, and read from there
afterwards without importing the library at all.

A cache that cannot be read or written is simply ignored: the library is
asked, as before. Nothing here is needed for correctness, only for speed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import Any

from mutum_copilot.files import UnreadableFileError, UnsafeFolderError, private_dir, read_regular

LANGUAGE = "pt_BR"
CATEGORIES = ("public",)
#: Set to any value to bypass the file (the library is asked every time).
NO_CACHE_ENV = "MUTUM_COPILOT_NO_HOLIDAY_CACHE"
MAX_HOLIDAY_CACHE_BYTES = 4_000_000
_DIST_INFO = re.compile(r"holidays-([^-]+)\.dist-info", re.IGNORECASE)

_lock = threading.Lock()
_memory: dict[str, Any] | None = None  # the file's contents, once read
_checked: set[tuple[str, str | None]] = set()  # regions the library accepted in this process


def check_region(country: str, subdivision: str | None) -> None:
    """Raise ``NotImplementedError`` (as the library does) for an unknown country or state."""
    key = (country, subdivision)
    if key in _checked or _region_key(country, subdivision) in _load().get("regions", ()):
        return
    import holidays

    holidays.country_holidays(country, subdiv=subdivision)
    _checked.add(key)

    def remember(data: dict[str, Any]) -> None:
        regions = data.setdefault("regions", [])
        if _region_key(country, subdivision) not in regions:
            regions.append(_region_key(country, subdivision))

    _store(remember)


def public_holidays(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    """``{date: name}`` of the library's public holidays of ``year``, names in pt-BR."""
    key = f"{_region_key(country, subdivision)}/{year}"
    cached = _load().get("years", {}).get(key)
    if isinstance(cached, dict):
        try:
            return {date.fromisoformat(day): str(name) for day, name in cached.items()}
        except (TypeError, ValueError):
            pass  # a damaged entry: ask the library again
    import holidays

    table = holidays.country_holidays(
        country, subdiv=subdivision, years=year, language=LANGUAGE, categories=CATEGORIES
    )
    found = dict(table.items())
    serial = {day.isoformat(): name for day, name in found.items()}

    def remember(data: dict[str, Any]) -> None:
        data.setdefault("years", {})[key] = serial
        regions = data.setdefault("regions", [])
        if _region_key(country, subdivision) not in regions:  # the library accepted it
            regions.append(_region_key(country, subdivision))

    _checked.add((country, subdivision))
    _store(remember)
    return found


def cache_file() -> Path | None:
    """The cache file for the installed library's version, or None if it has no version."""
    version = _library_version()
    if not version:
        return None
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("mutum-copilot", appauthor=False))
    safe = re.sub(r"[^0-9A-Za-z.+-]", "_", version)
    return folder / f"holidays-{safe}-{LANGUAGE}.json"


def _region_key(country: str, subdivision: str | None) -> str:
    return f"{country}/{subdivision or ''}"


def _library_version() -> str:
    """The installed library's version, found without importing it (nor importlib.metadata).

    The name of its ``holidays-X.Y.dist-info`` folder; failing that, the size and
    time of its ``__init__.py``, which change with any reinstall.
    """
    from importlib.util import find_spec

    try:
        spec = find_spec("holidays")
        folders = list(spec.submodule_search_locations or ()) if spec else []
        if not folders:
            return ""
        package = Path(folders[0])
        for entry in os.scandir(package.parent):
            found = _DIST_INFO.fullmatch(entry.name)
            if found:
                return found.group(1)
        stat = (package / "__init__.py").stat()
    except (OSError, ImportError, ValueError):
        return ""
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def _load() -> dict[str, Any]:
    global _memory
    with _lock:
        if _memory is None:
            _memory = {}
            path = None if os.environ.get(NO_CACHE_ENV) else cache_file()
            if path is not None:
                try:  # a regular file of sane size only: a FIFO planted here must not hang
                    data = json.loads(read_regular(path, MAX_HOLIDAY_CACHE_BYTES))
                except (OSError, ValueError, UnreadableFileError):
                    data = None
                if isinstance(data, dict):
                    _memory = data
        return _memory


def _store(change: Any) -> None:
    """Apply ``change`` to the cached data and rewrite the file atomically (best effort)."""
    data = _load()
    with _lock:
        change(data)
        path = None if os.environ.get(NO_CACHE_ENV) else cache_file()
        if path is None:
            return
        temp = ""
        try:
            private_dir(path.parent)  # owner-only (0700), whatever the umask
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".holidays-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, sort_keys=True)
            os.replace(temp, path)
        except (OSError, UnsafeFolderError):
            if temp:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
