"""Files only their owner can read, and reading files that cannot hang or flood the app.

Everything the copilot writes (the history and its WAL/SHM, the log, the caches,
exports, the vault) holds customer data or secrets, so it is created owner-only
(files 0600, folders 0700) whatever the umask says, and a folder another user
could write into is repaired (ours) or refused (someone else's): whoever can
write a folder can swap the files in it.

Reading goes through :func:`read_regular`: a FIFO would block ``open`` for ever,
a device such as ``/dev/zero`` never ends, and a huge file eats the memory, so
anything that is not a regular file, or is over the caller's limit, is refused
before a byte is read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from mutum_copilot.errors import MutumError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


class UnsafeFolderError(MutumError):
    """A folder belongs to another user, or others can write it and it cannot be repaired."""


class UnreadableFileError(MutumError):
    """Not a regular file (FIFO, device, socket, folder) or larger than allowed."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "uma pasta"
    if stat.S_ISFIFO(mode):
        return "um FIFO (pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "um dispositivo"
    if stat.S_ISSOCK(mode):
        return "um socket"
    return "um arquivo especial"


def _mine(uid: int) -> bool:
    return not hasattr(os, "geteuid") or uid == os.geteuid()


def private_dir(folder: Path, *, strict: bool = True) -> Path:
    """``folder``, created owner-only if missing; an unsafe existing one repaired or refused.

    ``strict`` (the app's own folders): made exactly 0700. Otherwise (a folder the
    agent chose, e.g. for ``history_path``): only the others' write bits go.
    A folder of another user that others can write is refused; a root-owned
    sticky folder such as ``/tmp`` is fine (nobody can swap our files in it).
    """
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=PRIVATE_DIR)
        with contextlib.suppress(OSError):
            os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    if os.name != "posix":
        return folder
    info = folder.stat()
    mode = stat.S_IMODE(info.st_mode)
    sticky_root = info.st_uid == 0 and bool(info.st_mode & stat.S_ISVTX)
    if not _mine(info.st_uid):
        if mode & _OTHERS_WRITE and not sticky_root:
            raise UnsafeFolderError(
                f"a pasta {folder} pertence a outro usuário e outros podem gravar nela; "
                "escolha uma pasta sua"
            )
        if strict:
            raise UnsafeFolderError(f"a pasta {folder} pertence a outro usuário; recusada")
        return folder
    wanted = PRIVATE_DIR if strict else mode & ~_OTHERS_WRITE
    if mode != wanted:
        try:
            os.chmod(folder, wanted)
        except OSError as exc:
            raise UnsafeFolderError(
                f"a pasta {folder} pode ser gravada por outros usuários e não foi possível "
                f"corrigir ({exc.strerror or exc}); corrija com: chmod 700 {folder}"
            ) from exc
    return folder


def make_private(path: Path) -> None:
    """Owner-only read and write for an existing file of ours (best effort)."""
    with contextlib.suppress(OSError):
        if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE and _mine(path.stat().st_uid):
            os.chmod(path, PRIVATE_FILE)


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC) -> int:
    """A descriptor on ``path`` that only its owner can read, whatever the umask."""
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
    try:
        if os.name == "posix":
            os.fchmod(descriptor, PRIVATE_FILE)
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


def write_private(path: Path, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` atomically with ``data``, owner-only (its folder made private first)."""
    private_dir(path.parent, strict=False)
    payload = data.encode(encoding) if isinstance(data, str) else data
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:  # mkstemp makes it 0600 already
            out.write(payload)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; UnreadableFileError otherwise.

    Opened without blocking (a FIFO with no writer would hang ``open``), checked
    on the open descriptor (a symlink to ``/dev/zero`` is a device), and never
    read past ``limit`` (a file that grows while read is refused too).
    FileNotFoundError and other OSErrors pass through for the caller to word.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "é uma pasta", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(f"não é um arquivo comum, é {_kind(info.st_mode)}; recusado")
        if info.st_size > limit:
            raise UnreadableFileError(too_big(info.st_size, limit))
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UnreadableFileError(too_big(size, limit))
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def too_big(size: int, limit: int) -> str:
    shown = f"{size:,}".replace(",", ".")
    most = f"{limit:,}".replace(",", ".")
    return f"arquivo grande demais ({shown} bytes; o limite é {most}); recusado"
