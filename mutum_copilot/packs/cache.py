"""A validated pack and its search index, kept in the user's cache between starts.

Reading and validating a pack (YAML, typed models, flow checks) and building
its search index cost the TUI ~90 ms of its first screen, every start, for
files that rarely change. A successful load is therefore pickled into the
user's cache folder, with a key made of everything the result depends on:

* every file of the pack folder: relative path, size and modification time;
* this package's own source files (size and modification time) but the TUI's
  and the CLI commands' (which cannot change a loaded pack), and the Python
  version, so a code change never meets an old pickle.

Only packs that loaded without problems are stored, so a broken pack is
always read (and reported) afresh. A cache that cannot be read, is damaged
or cannot be written is ignored: the pack is loaded the normal way. The
folder is private (0700) and the files owner-only (0600), like the vault.
"""

from __future__ import annotations

import contextlib
import copyreg
import os
import pickle
import sys
import tempfile
import types
import zlib
from pathlib import Path
from typing import Any

from mutum_copilot.packs.model import Pack
from mutum_copilot.search import SearchIndex

#: Set to any value to bypass the cache (load and index the pack every time).
NO_CACHE_ENV = "MUTUM_COPILOT_NO_PACK_CACHE"
_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent  # mutum_copilot/
#: Sub-packages that never shape a loaded pack (edited often; a change need not reload).
_NOT_PACK_CODE = ("tui", "commands", "_bundled_knowledge")


def _mapping_proxy(items: dict[str, Any]) -> types.MappingProxyType[str, Any]:
    return types.MappingProxyType(items)


def _reduce_proxy(proxy: types.MappingProxyType[str, Any]) -> tuple[Any, tuple[Any, ...]]:
    return _mapping_proxy, (dict(proxy),)


def load_indexed_pack(root: Path) -> tuple[Pack, SearchIndex]:
    """The pack in ``root`` and its index: from the cache, or loaded (raises PackError)."""
    from mutum_copilot.packs.loader import load_pack

    key = None if os.environ.get(NO_CACHE_ENV) else _key(root)
    path = _cache_path(key) if key else None
    if path is not None:
        cached = _read(path, key or "")
        if cached is not None:
            return cached
    pack = load_pack(root)  # raises PackError: nothing is stored
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
        for folder, skip in ((root, ()), (_PACKAGE, _NOT_PACK_CODE)):
            for name, stat in sorted(_files(folder, skip)):
                parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    except OSError:
        return None
    return "\0".join(parts)  # stored whole in the pickle and compared whole: no hash needed


def _files(folder: Path, skip: tuple[str, ...] = ()) -> list[tuple[str, os.stat_result]]:
    """Every file under ``folder`` but caches and ``skip`` folders, with its stat."""
    found = []
    for parent, dirs, names in os.walk(folder, followlinks=True):
        top = parent == str(folder)
        dirs[:] = [
            d
            for d in dirs
            if d != "__pycache__" and not d.startswith(".") and not (top and d in skip)
        ]
        for name in names:
            if name.endswith((".pyc", ".swp", "~")) or name.startswith("."):
                continue
            path = os.path.join(parent, name)
            found.append((os.path.relpath(path, folder), os.stat(path)))
    return found


def _cache_path(key: str) -> Path:
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("mutum-copilot", appauthor=False)) / "packs"
    # The file name only spreads packs apart (the key inside decides): a cheap checksum
    # of the pack's own folder, not of its files, so an edited pack replaces its pickle.
    root = key.split("\0")[4]
    return folder / f"pack-{zlib.crc32(root.encode()):08x}.pickle"


def _read(path: Path, key: str) -> tuple[Pack, SearchIndex] | None:
    try:
        with path.open("rb") as handle:
            stored = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # damaged, or written by another version: load the normal way
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == key):
        return None
    _, pack, index = stored
    if not isinstance(pack, Pack) or not isinstance(index, SearchIndex):
        return None
    return pack, index


def _write(path: Path, key: str, pack: Pack, index: SearchIndex) -> None:
    index.clear_cache()  # per-query caches: not part of the index
    temp = ""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".pack-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = copyreg.dispatch_table.copy()
            pickler.dispatch_table[types.MappingProxyType] = _reduce_proxy
            pickler.dump((key, pack, index))
        os.replace(temp, path)
        temp = ""
        for old in path.parent.glob("*.pickle"):  # other packs, stored a month before: gone
            if old != path and old.stat().st_mtime < path.stat().st_mtime - 30 * 86400:
                old.unlink()
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass
    finally:
        if temp:
            with contextlib.suppress(OSError):
                os.unlink(temp)
