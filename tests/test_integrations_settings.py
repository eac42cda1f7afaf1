"""Turning the integrations on: the pack's section (checked), the config's addresses, the vault."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import get_args

import pytest
import yaml
from fakes.scenarios import FIXTURE_PACK, fixture_pack, settings_for

from mutum_copilot.cli import main
from mutum_copilot.config import load_settings
from mutum_copilot.errors import ConfigError
from mutum_copilot.integrations.service import integrations_config
from mutum_copilot.knowledge.integrations_models import OUTCOMES
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.triage.models import Outcome
from mutum_copilot.vault import MASK, Credential, Vault, load_vault

SECTION = "integrations:\n"


def pack_with(tmp_path: Path, section: str) -> Path:
    """The fixture pack with its integrations section replaced by ``section``."""
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, root)
    provider = root / "provider.yaml"
    text = provider.read_text(encoding="utf-8")
    provider.write_text(text[: text.index(SECTION)] + section, encoding="utf-8")
    return root


def checked(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["check", str(root)]) == 2
    return [line for line in capsys.readouterr().err.splitlines() if "provider.yaml" in line]


def line_of(root: Path, text: str) -> int:
    lines = (root / "provider.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_the_outcomes_are_the_triage_outcomes() -> None:
    assert get_args(Outcome) == OUTCOMES


def test_the_fixture_section_loads_and_the_shipped_pack_has_none() -> None:
    ixc = fixture_pack().facts.integrations.ixc  # type: ignore[union-attr]
    ids = ixc.ids_for("os_n1")
    assert ids is not None and (ids.subject_id, ids.ticket_sector_id, ids.os_sector_id) == (
        12,
        3,
        5,
    )
    assert ixc.branch_for(ids) == 1 and ixc.ids_for("informed") is None


def test_check_names_an_unknown_outcome_in_portuguese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = pack_with(
        tmp_path,
        "integrations:\n  ixc:\n    branch_id: 1\n    outcomes:\n"
        "      - outcome: os_nl\n        subject_id: 1\n        ticket_sector_id: 2\n"
        "        os_sector_id: 3\n",
    )
    (problem,) = checked(root, capsys)
    assert problem == (
        f"{root / 'provider.yaml'}:{line_of(root, 'os_nl')}: integrations.ixc.outcomes[0].outcome: "
        'desfecho desconhecido "os_nl" (você quis dizer "os_n1"?); os desfechos são: '
        "resolved, os_n1, transfer_commercial, transfer_financial, informed"
    )


def test_check_lists_the_missing_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = pack_with(
        tmp_path,
        "integrations:\n  ixc:\n    outcomes:\n      - outcome: os_n1\n        subject_id: 7\n"
        "      - outcome: transfer_financial\n        subject_id: abc\n"
        "        ticket_sector_id: 1\n        os_sector_id: 1\n        branch_id: 2\n",
    )
    problems = checked(root, capsys)
    assert any(
        f":{line_of(root, 'outcome: os_n1')}: integrations.ixc.outcomes[0]: faltam ids do IXC "
        'para o desfecho "os_n1": ticket_sector_id (id_ticket_setor (su_ticket_setor)), '
        "os_sector_id (setor (empresa_setor))" in p
        for p in problems
    ), problems
    assert any(
        f":{line_of(root, 'subject_id: abc')}: integrations.ixc.outcomes[1].subject_id: "
        "um id do IXC é um número inteiro a partir de 1" in p
        for p in problems
    ), problems


def test_check_wants_a_branch_and_a_real_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = pack_with(
        tmp_path,
        "integrations:\n  ixc:\n    url: ixc.semprotocolo.com.br\n    outcomes:\n"
        "      - outcome: os_n1\n        subject_id: 1\n        ticket_sector_id: 2\n"
        "        os_sector_id: 3\n",
    )
    problems = checked(root, capsys)
    assert any(
        "integrations.ixc.url: endereço inválido: use http:// ou https://" in p for p in problems
    )
    root = pack_with(
        tmp_path / "b",
        "integrations:\n  ixc:\n    outcomes:\n      - outcome: os_n1\n        subject_id: 1\n"
        "        ticket_sector_id: 2\n        os_sector_id: 3\n",
    )
    (problem,) = checked(root, capsys)
    assert (
        "integrations.ixc: falta o id da filial (branch_id, campo id_filial do IXC) para: os_n1"
        in problem
    )


def test_urls_alone_are_a_valid_section(tmp_path: Path) -> None:
    root = pack_with(
        tmp_path,
        "integrations:\n  ixc:\n    url: https://ixc.mutumfibra.com.br/\n"
        "  flashman:\n    url: https://acs.mutumfibra.com.br/\n",
    )
    integrations = load_pack(root).facts.integrations
    assert integrations is not None and integrations.ixc.url == "https://ixc.mutumfibra.com.br"
    assert integrations.ixc.outcomes == ()


def test_the_config_overrides_the_address(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("integrations:\n  ixc:\n    url: http://127.0.0.1:8080/\n", encoding="utf-8")
    settings = load_settings(config)
    assert settings.integrations.ixc.url == "http://127.0.0.1:8080"
    assert settings.integrations.flashman.url == ""
    vault = Vault(tmp_path / "v", {"ixc_api": Credential(user="5", token="t" * 32)})
    found = integrations_config(fixture_pack().facts, settings, vault)
    assert found is not None and found.ixc.base_url == "http://127.0.0.1:8080/webservice/v1"
    config.write_text("integrations:\n  ixc:\n    url: ftp://x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="endereço inválido"):
        load_settings(config)
    config.write_text("integrations:\n  ixc:\n    adress: http://x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"integrations\.ixc\.adress: chave desconhecida"):
        load_settings(config)


def test_the_vault_holds_the_api_pair_masked(tmp_path: Path) -> None:
    path = tmp_path / "secrets.yaml"
    token = secrets.token_hex(32)
    path.write_text(yaml.safe_dump({"ixc_api": {"user": 12, "token": token}}), encoding="utf-8")
    path.chmod(0o600)
    vault = load_vault(path)
    credential = vault.get("ixc_api")
    assert credential is not None and (credential.user, credential.token) == ("12", token)
    assert token not in repr(credential) and "12" not in repr(credential)
    assert vault.redact(f"Authorization token {token}") == f"Authorization token {MASK}"


def test_an_unfilled_example_vault_is_no_credential() -> None:
    placeholder = Credential(user="PREENCHA_O_ID", token="PREENCHA_O_TOKEN")
    vault = Vault(Path("v"), {"ixc_api": placeholder})
    assert integrations_config(fixture_pack().facts, settings_for(), vault) is None
