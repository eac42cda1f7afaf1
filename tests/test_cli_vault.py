"""``mutum-copilot vault``: create the vault owner-only, check it without printing secrets."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mutum_copilot.cli import main


def test_init_creates_an_owner_only_copy_of_the_example(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    vault = tmp_path / "cfg" / "secrets.yaml"
    assert main(["vault", "init", "--file", str(vault)]) == 0
    assert stat.S_IMODE(vault.stat().st_mode) == 0o600
    assert "PREENCHA" in vault.read_text(encoding="utf-8")
    assert main(["vault", "init", "--file", str(vault)]) == 1  # never overwrites
    assert main(["vault", "check", "--file", str(vault)]) == 1  # the example's placeholders
    out = capsys.readouterr().out
    assert "flashman: PREENCHER (login e senha ainda como no exemplo)" in out
    assert "PREENCHA" not in out
    filled = vault.read_text(encoding="utf-8").replace("PREENCHA_", "valor-real-")
    vault.write_text(filled, encoding="utf-8")
    assert main(["vault", "check", "--file", str(vault)]) == 0
    out = capsys.readouterr().out
    assert "flashman: cadastrada" in out and "valor-real" not in out


def test_check_names_missing_keys_and_refuses_open_permissions(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    vault = tmp_path / "secrets.yaml"
    vault.write_text("anlix:\n  login: a\n  password: b\n", encoding="utf-8")
    vault.chmod(0o600)
    assert main(["vault", "check", "--file", str(vault)]) == 1
    assert "flashman: FALTA" in capsys.readouterr().out
    vault.chmod(0o644)
    assert main(["vault", "check", "--file", str(vault)]) == 2
    assert "chmod 600" in capsys.readouterr().err


@pytest.mark.parametrize("action", ["path"])
def test_path(action: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["vault", action]) == 0
    assert capsys.readouterr().out.strip().endswith("secrets.yaml")
