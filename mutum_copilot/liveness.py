"""Which copilots are still running: a lock file each one holds while it lives.

The history offers to resume an unfinished call only when the copilot that owned
it is gone. A process id is not enough to tell: ids are reused, and a killed
process can linger as a zombie that still "exists". An exclusive ``flock`` held
by the running process is exact: the kernel drops it the moment the process
dies, however it dies.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path
from typing import IO

from mutum_copilot.errors import MutumError
from mutum_copilot.files import open_private, private_dir

try:
    import fcntl
except ImportError:  # not POSIX: every other owner counts as gone
    fcntl = None  # type: ignore[assignment]


class OwnerLock:
    """Held for the life of this process (or until :meth:`release`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.token = uuid.uuid4().hex
        self._file: IO[str] | None = None
        try:
            private_dir(folder, strict=False)
            self._file = os.fdopen(open_private(self.path), "w")  # held open on purpose
            if fcntl is not None:
                fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._file.write(str(os.getpid()))
            self._file.flush()
        except (OSError, MutumError):
            self._file = None  # no lock folder: others will see this owner as gone

    @property
    def path(self) -> Path:
        return self.folder / f"{self.token}.lock"

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            with contextlib.suppress(OSError):
                self.path.unlink()


def owner_alive(folder: Path, token: str) -> bool:
    """True while the copilot holding ``token`` runs; a stale lock file is cleaned up."""
    if not token or fcntl is None:
        return False
    path = folder / f"{token}.lock"
    try:
        with open(path) as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
        path.unlink()
    except OSError:
        return False
    return False
