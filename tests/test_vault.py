"""The local vault: owner-only permissions, masked secrets, never in a repr or a log."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mutum_copilot.vault import (
    MASK,
    VaultError,
    VaultPermissionError,
    load_vault,
    masked_login,
)

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "knowledge" / "mutum-fibra" / "secrets.example.yaml"


def write_vault(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "secrets.yaml"
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_missing_vault_is_empty(tmp_path: Path) -> None:
    assert load_vault(tmp_path / "none.yaml").keys == []


def test_example_has_every_vault_key_of_the_pack(pack) -> None:  # type: ignore[no-untyped-def]
    path = EXAMPLE
    declared = {s.vault_key for s in pack.facts.systems.values() if s.vault_key}
    text = path.read_text(encoding="utf-8")
    for key in declared:
        assert f"\n{key}:" in text


def test_loads_the_example_shape(tmp_path: Path) -> None:
    vault = load_vault(write_vault(tmp_path, EXAMPLE.read_text(encoding="utf-8")))
    assert vault.keys == ["anlix", "flashman", "ixc_api", "onu_default"]
    flashman = vault.get("flashman")
    assert flashman is not None and flashman.password == "PREENCHA_A_SENHA_DO_FLASHMAN"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_vault_others_can_read_is_refused(tmp_path: Path) -> None:
    path = write_vault(tmp_path, "anlix:\n  login: a\n", mode=0o644)
    with pytest.raises(VaultPermissionError) as caught:
        load_vault(path)
    assert f"chmod 600 {path}" in str(caught.value)


def test_broken_vault_names_line_and_key(tmp_path: Path) -> None:
    path = write_vault(tmp_path, "anlix:\n  logn: a\n")
    with pytest.raises(VaultError) as caught:
        load_vault(path)
    problem = caught.value.problems[0]
    assert problem.line == 2 and 'você quis dizer "login"' in problem.message


def test_secrets_never_show_in_repr_and_are_redacted(tmp_path: Path) -> None:
    vault = load_vault(write_vault(tmp_path, "anlix:\n  login: agente7\n  password: s3cr3t!\n"))
    credential = vault.get("anlix")
    assert "s3cr3t" not in repr(credential) and "agente7" not in repr(vault)
    assert vault.redact("erro ao logar agente7 com s3cr3t!") == f"erro ao logar {MASK} com {MASK}"
    assert masked_login("agente7") == "ag" + MASK
