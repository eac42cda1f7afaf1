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


def test_the_log_holds_no_control_character_nor_document_in_any_shape(tmp_path: Path) -> None:
    import stat

    path = setup_error_log(tmp_path / "logs")
    assert path is not None
    get_logger("tui").error("valor colado \x1b]52;c;ZXZpbA==\x07 CPF 529/982/247-25 %s", "\x9b2J")
    text = path.read_text(encoding="utf-8")
    assert "valor colado" in text and not any(c in text for c in "\x1b\x07\x9b")
    assert "529/982/247-25" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
