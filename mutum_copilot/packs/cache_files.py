"""The cache folder's ground rules, shared by the pack cache and the boot record.

Both keep a file beside each other in the user's cache folder, keyed on the
files it was made from, and both trust a file only when this user wrote it:
the folder private (0700), the file a regular one of ours, owner-only (0600),
and sealed with the random key in ``.key``. This module holds those rules and
imports nothing of the pack's, so the boot record can use them before the
pack's models exist (:mod:`mutum_copilot.boot_record`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from mutum_copilot.files import (
    PRIVATE_FILE,
    UnreadableFileError,
    private_dir,
    read_regular,
    write_private,
)

#: Set to any value to bypass the cache (load and index the pack every time) and the
#: boot record (every start the normal way).
NO_CACHE_ENV = "MUTUM_COPILOT_NO_PACK_CACHE"
_KEY_FILE = ".key"
#: This package's folder (``mutum_copilot/``): its sources are part of every key.
PACKAGE = Path(__file__).resolve().parent.parent


def cache_folder() -> Path:
    """``packs/`` in the user's cache folder (platformdirs)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("mutum-copilot", appauthor=False)) / "packs"


def tree_files(folder: Path, skip: tuple[str, ...] = ()) -> list[tuple[str, os.stat_result]]:
    """Every file under ``folder`` but caches and ``skip`` folders, with its stat."""
    found = []
    base = str(folder)
    for parent, dirs, names in os.walk(base, followlinks=True):
        top = parent == base
        dirs[:] = [
            d
            for d in dirs
            if d != "__pycache__" and not d.startswith(".") and not (top and d in skip)
        ]
        inside = "" if top else parent[len(base) :].lstrip(os.sep) + os.sep  # relpath, cheaper
        for name in names:
            if name.endswith((".pyc", ".swp", "~")) or name.startswith("."):
                continue
            found.append((inside + name, os.stat(os.path.join(parent, name))))
    return found


def tree_stamp(folder: Path, skip: tuple[str, ...] = ()) -> list[str]:
    """``path:size:mtime`` of every file of :func:`tree_files`, sorted (raises OSError)."""
    return [
        f"{name}:{info.st_size}:{info.st_mtime_ns}"
        for name, info in sorted(tree_files(folder, skip))
    ]


def private_folder(folder: Path) -> Path:
    """``packs/`` and the app's cache folder above it, both made private (0700)."""
    private_dir(folder.parent)
    return private_dir(folder)


def owned_private(path: Path) -> bool:
    """A regular file of ours that nobody else can read or write."""
    try:
        info = path.lstat()
    except OSError:
        return False
    mine = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    return stat.S_ISREG(info.st_mode) and mine and stat.S_IMODE(info.st_mode) == PRIVATE_FILE


def read_secret(folder: Path, create: bool) -> bytes | None:
    """The HMAC key of this user's cache; made on first write. None: no trustworthy key."""
    path = folder / _KEY_FILE
    if not path.exists() and create:
        with contextlib.suppress(OSError):
            write_private(path, secrets.token_bytes(32))
    if not owned_private(path):
        return None
    try:
        key = read_regular(path, 64)
    except (OSError, UnreadableFileError):
        return None
    return key if len(key) == 32 else None


def seal(key: bytes, *parts: bytes) -> bytes:
    """The HMAC-SHA256 of ``parts`` (joined by NUL) under the cache's ``key``."""
    return hmac.new(key, b"\0".join(parts), hashlib.sha256).digest()
