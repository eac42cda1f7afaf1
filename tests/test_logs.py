"""The error log writes tracebacks with CPFs and secrets scrubbed."""

from __future__ import annotations

from pathlib import Path

from mutum_copilot.logs import get_logger, setup_error_log


def test_traceback_is_logged_redacted(tmp_path: Path) -> None:
    path = setup_error_log(tmp_path, redact=lambda t: t.replace("s3cr3t", "••••"))
    assert path is not None
    try:
        raise RuntimeError("falhou para 123.456.789-09 com s3cr3t")
    except RuntimeError:
        get_logger("tui").exception("erro inesperado")
    text = path.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError" in text
    assert "123.456.789-09" not in text and "s3cr3t" not in text


def test_unwritable_log_folder_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert setup_error_log(blocker / "logs") is None
