"""Vault keys per pack: ``packs: {<id>: ...}`` sections, the flat form for the default pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import Settings
from mutum_copilot.services import build_services
from mutum_copilot.vault import MASK, VaultError, load_vault

PACKS = Path(__file__).parent / "packs"
AMAZONAS, FIXTURE = PACKS / "amazonas", PACKS / "fixture"
TUESDAY_MORNING = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))

SECTIONS = """\
flashman:
  login: agente-padrao
  password: senha-padrao
packs:
  rio-negro-net:
    mk_auth:
      login: agente-rio
      password: senha-rio
    flashman:
      login: outro-rio
      password: outra-senha-rio
"""

FLAT = """\
anlix:
  login: agente-anlix
  password: senha-anlix
"""


def vault_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "secrets.yaml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_each_pack_sees_its_own_section(tmp_path: Path) -> None:
    vault = load_vault(vault_file(tmp_path, SECTIONS))
    rio = vault.for_pack("rio-negro-net", default=False)
    assert rio.keys == ["flashman", "mk_auth"]
    flashman = rio.get("flashman")
    assert flashman is not None and flashman.login == "outro-rio"  # its own, not the flat one
    default = vault.for_pack("fixture-fibra", default=True)
    assert default.keys == ["flashman"]
    flat = default.get("flashman")
    assert flat is not None and flat.login == "agente-padrao"
    assert vault.for_pack("outro", default=False).keys == []  # flat keys are the default's only


def test_a_section_wins_over_the_flat_form_for_the_default_pack(tmp_path: Path) -> None:
    vault = load_vault(vault_file(tmp_path, SECTIONS))
    both = vault.for_pack("rio-negro-net", default=True)
    assert both.keys == ["flashman", "mk_auth"]
    chosen = both.get("flashman")
    assert chosen is not None and chosen.login == "outro-rio"


def test_the_flat_vault_reads_as_before(tmp_path: Path) -> None:
    vault = load_vault(vault_file(tmp_path, FLAT))
    assert vault.keys == ["anlix"] and dict(vault.sections) == {}


def test_redact_scrubs_every_packs_secrets(tmp_path: Path) -> None:
    vault = load_vault(vault_file(tmp_path, SECTIONS))
    line = "erro com senha-rio e senha-padrao e outra-senha-rio"
    assert vault.redact(line) == f"erro com {MASK} e {MASK} e {MASK}"


def test_a_broken_section_names_its_line(tmp_path: Path) -> None:
    path = vault_file(tmp_path, "packs:\n  rio-negro-net:\n    mk_auth:\n      logn: a\n")
    with pytest.raises(VaultError) as caught:
        load_vault(path)
    (problem,) = caught.value.problems
    assert problem.line == 4 and problem.key == "packs.rio-negro-net.mk_auth.logn"


def test_services_give_a_call_its_packs_keys(tmp_path: Path) -> None:
    services = build_services(
        Settings(knowledge=(str(FIXTURE), str(AMAZONAS))),
        clock=FrozenClock(TUESDAY_MORNING),
        with_history=False,
        vault_path=vault_file(tmp_path, SECTIONS),
    )
    rio = services.vault_for("rio-negro-net").get("mk_auth")
    assert rio is not None and rio.login == "agente-rio"
    assert services.vault_for("fixture-fibra").keys == ["flashman"]
