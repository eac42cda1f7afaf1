"""The error log: where tracebacks go instead of the agent's screen.

One rotating file in the user's log folder, owner-only (0600 in a 0700
folder, whatever the umask, rotated files too). A filter scrubs secrets from
the vault and anything shaped like a CPF or a CNPJ (whatever its punctuation)
before a record is written, and strips control characters, so the log is
safe to attach to a bug report and to ``cat`` in a terminal.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from collections.abc import Callable
from pathlib import Path

from mutum_copilot.errors import MutumError
from mutum_copilot.files import open_private, private_dir
from mutum_copilot.paths import log_dir
from mutum_copilot.safetext import clean
from mutum_copilot.triage.formats import mask_documents

LOGGER_NAME = "mutum_copilot"
LOG_FILE = "mutum-copilot.log"
# Without a log file (not set up, or its folder refused), records go nowhere: never to
# stderr, which is the agent's screen while the TUI runs.
logging.getLogger(LOGGER_NAME).addHandler(logging.NullHandler())


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file is created owner-only (0600), whatever the umask."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        return os.fdopen(open_private(Path(self.baseFilename), flags), "a", encoding="utf-8")


class RedactingFilter(logging.Filter):
    """Masks CPFs and vault secrets in the final message and traceback text."""

    def __init__(self, redact: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.redact = redact or (lambda text: text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg = clean(self.redact(mask_documents(message, any_shape=True)))
        record.args = None
        return True


def setup_error_log(
    folder: Path | None = None, redact: Callable[[str], str] | None = None
) -> Path | None:
    """Attach the rotating error log; returns its path, or None if it cannot be written."""
    folder = folder or log_dir()
    path = folder / LOG_FILE
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    try:
        if folder == log_dir():
            private_dir(folder.parent)  # the app's state folder, then its log folder
        private_dir(folder, strict=folder == log_dir())
        handler = PrivateRotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except (OSError, MutumError):
        logger.addHandler(logging.NullHandler())  # nowhere rather than the agent's screen
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(redact))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return path


def get_logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)
