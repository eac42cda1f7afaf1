"""A validated pack and its search index, kept in the user's cache between starts.

Reading and validating a pack (YAML, typed models, flow checks) and building
its search index cost the TUI ~90 ms of its first screen, every start, for
files that rarely change. A successful load is therefore stored in the user's
cache folder, with a key made of everything the result depends on:

* every file of the pack folder: relative path, size and modification time;
* this package's own source files (size and modification time) but the TUI's
  and the CLI commands' (which cannot change a loaded pack), and the Python
  version, so a code change never meets an old entry.

Only packs that loaded without problems are stored, so a broken pack is
always read (and reported) afresh. A cache that cannot be read, is damaged
or cannot be written is ignored: the pack is loaded the normal way.

A cache file can never run code, even one planted by someone else (a shared
cache folder, another user, a compromised backup). Before a byte of it is
decoded:

* the folder must be ours and private (0700; repaired if ours, else the cache
  is off), and the file a regular one of ours, owner-only (0600), not huge;
* it must carry an HMAC-SHA256 made with a random key that lives in a private
  file of ours (``.key``, 0600): a file written by anyone else fails it.

And the decoder itself only builds data: a restricted unpickler
(:class:`_DataOnly`) that knows the pack's own model classes, dates, amounts,
paths, time zones and arrays, and refuses every other global (``os.system``,
``builtins.getattr``, ``subprocess.Popen``...). A tampered or foreign file is
ignored and replaced by a fresh one.
"""

from __future__ import annotations

import array
import contextlib
import copyreg
import datetime as dt
import decimal
import hmac
import importlib
import io
import os
import pathlib
import pickle
import sys
import tempfile
import types
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from mutum_copilot.files import UnreadableFileError, UnsafeFolderError, read_regular
from mutum_copilot.packs.cache_files import (
    NO_CACHE_ENV,
    PACKAGE,
    cache_folder,
    owned_private,
    private_folder,
    read_secret,
    seal,
    tree_stamp,
)
from mutum_copilot.packs.model import Pack
from mutum_copilot.search import SearchIndex

if TYPE_CHECKING:
    from mutum_copilot.holiday_table import HolidayTable

_FORMAT = 2
_MAGIC = b"MCPACK2\n"
#: A pack and its index pickle to well under this; a bigger file is not ours.
MAX_CACHE_BYTES = 64_000_000
#: Where the data-only decoder may find a class: the pack's models, defined there.
_MODEL_MODULES = frozenset(
    {
        "mutum_copilot.knowledge.integrations_models",
        "mutum_copilot.knowledge.models",
        "mutum_copilot.packs.model",
        "mutum_copilot.search",
        "mutum_copilot.search_answer",
        "mutum_copilot.search_heads",
        "mutum_copilot.search_hits",
        "mutum_copilot.search_terms",
        "mutum_copilot.textnorm",
        "mutum_copilot.triage.checks",
        "mutum_copilot.triage.models",
        "mutum_copilot.yamlkit.structs",
    }
)
_PLAIN_GLOBALS: dict[tuple[str, str], Any] = {
    ("datetime", "date"): dt.date,
    ("datetime", "datetime"): dt.datetime,
    ("datetime", "time"): dt.time,
    ("datetime", "timedelta"): dt.timedelta,
    ("datetime", "timezone"): dt.timezone,
    ("decimal", "Decimal"): decimal.Decimal,
    ("pathlib", "PosixPath"): pathlib.PosixPath,
    ("pathlib", "WindowsPath"): pathlib.WindowsPath,
    ("pathlib", "PurePosixPath"): pathlib.PurePosixPath,
    ("pathlib", "PureWindowsPath"): pathlib.PureWindowsPath,
    ("array", "array"): array.array,
    ("array", "_array_reconstructor"): array._array_reconstructor,  # type: ignore[attr-defined]
}
#: Sub-packages that never shape a loaded pack (edited often; a change need not reload).
_NOT_PACK_CODE = ("tui", "commands", "_bundled_knowledge")


def _mapping_proxy(items: dict[str, Any]) -> types.MappingProxyType[str, Any]:
    return types.MappingProxyType(items)


def _reduce_proxy(proxy: types.MappingProxyType[str, Any]) -> tuple[Any, tuple[Any, ...]]:
    return _mapping_proxy, (dict(proxy),)


def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


def _reduce_zone(zone: ZoneInfo) -> tuple[Any, tuple[Any, ...]]:
    """A time zone by its name (ZoneInfo's own reduce goes through ``builtins.getattr``)."""
    return _zone, (zone.key,)


class _DataOnly(pickle.Unpickler):
    """An unpickler that builds data and nothing else: every global outside the list is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN_GLOBALS:
            return _PLAIN_GLOBALS[(module, name)]
        if module == __name__ and name in ("_mapping_proxy", "_zone"):
            return {"_mapping_proxy": _mapping_proxy, "_zone": _zone}[name]
        if module in _MODEL_MODULES and "." not in name:
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"global {module}.{name} refused by the pack cache")


def load_indexed_pack(root: Path, holidays: HolidayTable | None = None) -> tuple[Pack, SearchIndex]:
    """The pack in ``root`` and its index: from the cache, or loaded (raises PackError).

    ``holidays``: the table a miss checks the pack's country and state with (the
    loader's own when None). The loader, and YAML with it, is imported on a miss
    only: a hit (``ask``, ``shift``, the TUI's start) never pays for them.
    """
    key = None if os.environ.get(NO_CACHE_ENV) else _key(root)
    path = _cache_path(key) if key else None
    if path is not None:
        cached = _read(path, key or "")
        if cached is not None:
            return cached
    from mutum_copilot.packs.loader import load_pack

    # raises PackError: nothing is stored
    pack = load_pack(root) if holidays is None else load_pack(root, holidays)
    index = SearchIndex.build(pack.faq, pack.synonyms)
    if path is not None and key:
        _write(path, key, pack, index)
    return pack, index


def _key(root: Path) -> str | None:
    """Everything a loaded pack depends on, as one string; None if a folder cannot be listed."""
    parts = [str(_FORMAT), sys.version, sys.implementation.cache_tag]
    try:
        parts += [str(root), str(root.resolve())]  # Pack.root keeps the form it was given
        if not root.is_absolute():
            parts.append(os.getcwd())
        parts += tree_stamp(root) + tree_stamp(PACKAGE, _NOT_PACK_CODE)
    except OSError:
        return None
    return "\0".join(parts)  # stored whole in the file's header and compared whole


def _cache_path(key: str) -> Path:
    # The file name only spreads packs apart (the key inside decides): a cheap checksum
    # of the pack's own folder, not of its files, so an edited pack replaces its entry.
    root = key.split("\0")[4]
    return cache_folder() / f"pack-{zlib.crc32(root.encode()):08x}.pickle"


def _seal(secret: bytes, key: str, payload: bytes) -> bytes:
    digest = seal(secret, key.encode(), payload)
    key_bytes = key.encode()
    return _MAGIC + len(key_bytes).to_bytes(4, "big") + key_bytes + digest + payload


def _read(path: Path, key: str) -> tuple[Pack, SearchIndex] | None:
    try:
        folder = private_folder(path.parent)
    except (UnsafeFolderError, OSError):
        return None
    if not owned_private(path):
        return None  # missing, not ours, or readable/writable by others: never decoded
    secret = read_secret(folder, create=False)
    if secret is None:
        return None
    try:
        blob = read_regular(path, MAX_CACHE_BYTES)
    except (OSError, UnreadableFileError):
        return None
    key_bytes = key.encode()
    head = len(_MAGIC) + 4 + len(key_bytes) + 32
    if not blob.startswith(_MAGIC) or len(blob) < head:
        return None
    stored_len = int.from_bytes(blob[len(_MAGIC) : len(_MAGIC) + 4], "big")
    stored_key = blob[len(_MAGIC) + 4 : len(_MAGIC) + 4 + stored_len]
    if stored_len != len(key_bytes) or not hmac.compare_digest(stored_key, key_bytes):
        return None  # another pack state: load the normal way (and replace this entry)
    digest, payload = blob[head - 32 : head], blob[head:]
    expected = seal(secret, key_bytes, payload)
    if not hmac.compare_digest(digest, expected):
        return None  # tampered, or written by someone without our key
    try:
        stored = _DataOnly(io.BytesIO(payload)).load()
    except Exception:  # refused global, damaged data: load the normal way
        return None
    if not (isinstance(stored, tuple) and len(stored) == 2):
        return None
    pack, index = stored
    if not isinstance(pack, Pack) or not isinstance(index, SearchIndex):
        return None
    return pack, index


def _write(path: Path, key: str, pack: Pack, index: SearchIndex) -> None:
    index.clear_cache()  # per-query caches: not part of the index
    temp = ""
    try:
        folder = private_folder(path.parent)
        secret = read_secret(folder, create=True)
        if secret is None:
            return
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = copyreg.dispatch_table.copy()
        pickler.dispatch_table[types.MappingProxyType] = _reduce_proxy
        pickler.dispatch_table[ZoneInfo] = _reduce_zone
        pickler.dump((pack, index))
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".pack-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(_seal(secret, key, buffer.getvalue()))
        os.replace(temp, path)
        temp = ""
        for old in folder.glob("*.pickle"):  # other packs, stored a month before: gone
            if old != path and old.stat().st_mtime < path.stat().st_mtime - 30 * 86400:
                old.unlink()
    except (
        OSError,
        UnsafeFolderError,
        pickle.PicklingError,
        TypeError,
        AttributeError,
        RecursionError,
    ):
        pass
    finally:
        if temp:
            with contextlib.suppress(OSError):
                os.unlink(temp)
