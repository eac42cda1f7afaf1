"""The error log: where tracebacks go instead of the agent's screen.

One rotating file in the user's log folder. A filter scrubs secrets from the
vault and anything shaped like a CPF before a record is written, so the log is
safe to attach to a bug report.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from collections.abc import Callable
from pathlib import Path

from mutum_copilot.paths import log_dir

LOGGER_NAME = "mutum_copilot"
LOG_FILE = "mutum-copilot.log"
_CPF = re.compile(r"\b\d{3}\.?\d{3}\.?\d{3}-?\d{2}\b")


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
        record.msg = self.redact(_CPF.sub("***.***.***-**", message))
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
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(redact))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return path


def get_logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)
