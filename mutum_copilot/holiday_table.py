"""Public holidays by year from the ``holidays`` library, kept in a small cache file.

Asking the library is slow to *start*: ``import holidays`` and its first
``country_holidays()`` load about 250 country modules, ~0.1 s, which is most
of what ``mutum-copilot shift`` and the TUI's first screen would spend on
holidays. The answers only change with the library's version, so each
(country, subdivision, year) table is written once to a JSON file, named
after the library's version, and read from there afterwards without
importing the library at all.

A :class:`HolidayTable` is built once by whoever knows where the user's cache
lives and whether it is wanted (the CLI's commands and the app's services, see
:func:`mutum_copilot.paths.holiday_cache_dir`) and handed to every calendar;
this module reads neither the environment nor the user's folders. A table
without a file (:data:`IN_MEMORY`, the default of callers that pass none)
asks the library once per region and year and remembers the answer.

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
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mutum_copilot.files import UnreadableFileError, UnsafeFolderError, private_dir, read_regular

LANGUAGE = "pt_BR"
CATEGORIES = ("public",)
MAX_HOLIDAY_CACHE_BYTES = 4_000_000
_DIST_INFO = re.compile(r"holidays-([^-]+)\.dist-info", re.IGNORECASE)


class HolidayTable:
    """The library's public holidays per region and year, remembered in ``cache_file``.

    ``cache_file`` None: nothing is read or written, answers are remembered in
    memory only. The file is read once, on the first question; thread-safe.
    """

    def __init__(self, cache_file: Path | None = None) -> None:
        self.cache_file = cache_file
        self._lock = threading.Lock()
        self._data: dict[str, Any] | None = None  # the file's contents, once read
        self._checked: set[tuple[str, str | None]] = set()  # regions the library accepted

    @classmethod
    def in_folder(cls, folder: Path | None) -> HolidayTable:
        """A table cached in ``folder`` (the user's cache folder); None: no file at all."""
        return cls(None if folder is None else cache_file_in(folder))

    def __repr__(self) -> str:
        return f"HolidayTable({self.cache_file!r})"

    def check_region(self, country: str, subdivision: str | None) -> None:
        """Raise ``NotImplementedError`` (as the library does) for an unknown country or state."""
        key = (country, subdivision)
        region = _region_key(country, subdivision)
        if key in self._checked or region in self._load().get("regions", ()):
            return
        import holidays

        holidays.country_holidays(country, subdiv=subdivision)
        self._checked.add(key)
        self._store(lambda data: _remember_region(data, region))

    def public_holidays(self, country: str, subdivision: str | None, year: int) -> dict[date, str]:
        """``{date: name}`` of the library's public holidays of ``year``, names in pt-BR."""
        region = _region_key(country, subdivision)
        key = f"{region}/{year}"
        cached = self._load().get("years", {}).get(key)
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
            _remember_region(data, region)  # the library accepted it

        self._checked.add((country, subdivision))
        self._store(remember)
        return found

    def _load(self) -> dict[str, Any]:
        with self._lock:
            if self._data is None:
                self._data = {}
                if self.cache_file is not None:
                    try:  # a regular file of sane size only: a FIFO planted here must not hang
                        data = json.loads(read_regular(self.cache_file, MAX_HOLIDAY_CACHE_BYTES))
                    except (OSError, ValueError, UnreadableFileError):
                        data = None
                    if isinstance(data, dict):
                        self._data = data
            return self._data

    def _store(self, change: Callable[[dict[str, Any]], None]) -> None:
        """Apply ``change`` to the remembered data and rewrite the file atomically (best effort)."""
        data = self._load()
        with self._lock:
            change(data)
            path = self.cache_file
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


#: The table of calendars built without one: no file, answers remembered for the process.
IN_MEMORY = HolidayTable()


def cache_file_in(folder: Path) -> Path | None:
    """The cache file in ``folder`` for the installed library's version; None if it has none."""
    version = library_version()
    if not version:
        return None
    safe = re.sub(r"[^0-9A-Za-z.+-]", "_", version)
    return folder / f"holidays-{safe}-{LANGUAGE}.json"


def _region_key(country: str, subdivision: str | None) -> str:
    return f"{country}/{subdivision or ''}"


def _remember_region(data: dict[str, Any], region: str) -> None:
    regions = data.setdefault("regions", [])
    if region not in regions:
        regions.append(region)


def library_version() -> str:
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
