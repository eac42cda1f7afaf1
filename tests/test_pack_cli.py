"""The commands on several packs: ``--provider``, the config's list, labels, ids and versions.

Every command reads the same resolver: ``--knowledge``, else the config's
``knowledge:`` (one folder or a list, with the ``provider:`` preset), else the
bundled pack. Run in-process with ``--config`` (the user's config is never read).
"""

from __future__ import annotations

import argparse
import json
import shutil
import stat
from pathlib import Path

import pytest

from mutum_copilot.cli import main
from mutum_copilot.commands.common import load_pack_or_report
from mutum_copilot.vault import load_vault

PACKS = Path(__file__).parent / "packs"
AMAZONAS = PACKS / "amazonas"
FIXTURE = PACKS / "fixture"
#: Saturday 05/09/2026 10:00 in Brasília: a state holiday in Amazonas, not in Mato Grosso.
HOLIDAY = "2026-09-05T10:00"


@pytest.fixture
def both(tmp_path: Path) -> Path:
    """A config naming the fixture pack and the second provider."""
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge:\n  - {FIXTURE}\n  - {AMAZONAS}\n", encoding="utf-8")
    return config


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- one resolver for every command ----------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["ask", "visita improdutiva"], "R$ 60,00"),
        (["shift", "--json"], '"provider_zone": "America/Manaus"'),
        (["flows"], "rio-negro-net"),
        (["check"], "ok: Rio Negro Net (rio-negro-net"),
        (["vault", "check", "--file", "{vault}"], "mk_auth: FALTA"),
    ],
)
def test_every_command_reads_the_configs_packs(
    argv: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bug of issue #9: these commands used the bundled pack whatever the config said."""
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge: {AMAZONAS}\n", encoding="utf-8")
    argv = [a.replace("{vault}", str(tmp_path / "secrets.yaml")) for a in argv]
    _, out, _ = run(capsys, "--config", str(config), *argv)
    assert expected in " ".join(out.split())
    assert "Mutum Fibra" not in out


def test_a_broken_config_stops_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("knowledge: [1]\n", encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "ask", "visita")
    assert code == 2 and f"{config}:1: knowledge:" in err


# --- ask -------------------------------------------------------------------------------
def test_ask_over_several_packs_labels_each_answer(
    both: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--config", str(both), "ask", "visita improdutiva", "--json")
    report = json.loads(out)
    assert code == 0
    assert [p["id"] for p in report["packs"]] == ["fixture-fibra", "rio-negro-net"]
    assert report["packs"][1]["version"] == "2026.11.30"
    assert {r["pack"] for r in report["results"]} == {"fixture-fibra", "rio-negro-net"}
    code, out, _ = run(capsys, "--config", str(both), "ask", "visita improdutiva", "--limit", "2")
    assert "Rio Negro Net · " in out and "Fibra Teste · " in out


def test_ask_with_a_provider_searches_only_its_pack(
    both: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--config", str(both), "ask", "visita", "--provider", "rio-negro-net", "--json"]
    _, out, _ = run(capsys, *argv)
    report = json.loads(out)
    assert {r["pack"] for r in report["results"]} == {"rio-negro-net"}
    assert [p["id"] for p in report["packs"]] == ["rio-negro-net"]


def test_an_unknown_provider_is_refused_with_the_nearest(
    both: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--config", str(both), "ask", "visita", "--provider", "rio")
    assert code == 2 and not out
    assert 'provedor desconhecido "rio"' in err and "rio-negro-net" in err


# --- shift -----------------------------------------------------------------------------
def test_shift_of_one_provider_at_its_own_zone(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--knowledge", str(AMAZONAS), "shift", "--at", HOLIDAY, "--json"]
    code, out, _ = run(capsys, *argv)
    report = json.loads(out)
    assert code == 0
    assert report["pack"] == {"id": "rio-negro-net", "version": "2026.11.30"}
    assert report["provider_zone"] == "America/Manaus"
    assert report["provider_time"] == "2026-09-05T09:00:00-04:00"
    assert report["state"] == "holiday" and report["sla_estimate"]["working_hours"] == 12


def test_shift_over_several_packs_shows_each_provider(
    both: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--config", str(both), "shift", "--at", HOLIDAY, "--json")
    providers = json.loads(out)["providers"]
    assert code == 0
    assert [(p["pack"]["id"], p["on_shift"]) for p in providers] == [
        ("fixture-fibra", True),
        ("rio-negro-net", False),
    ]
    _, out, _ = run(capsys, "--config", str(both), "shift", "--at", HOLIDAY)
    assert "N1 Fibra Teste" in out and "N1 Rio Negro Net" in out
    assert "feriado (Elevação do Amazonas" in out
    argv = ["--config", str(both), "shift", "--at", HOLIDAY, "--provider", "rio-negro-net"]
    _, out, _ = run(capsys, *argv, "--json")
    assert json.loads(out)["pack"]["id"] == "rio-negro-net"


def test_shift_without_the_sla_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "rio"
    shutil.copytree(AMAZONAS, pack)
    provider = pack / "provider.yaml"
    text = provider.read_text(encoding="utf-8").replace("  sla_last_resort_working_hours: 12\n", "")
    provider.write_text(text, encoding="utf-8")
    flow = pack / "flows" / "_encaminhar-n1.yaml"
    flow.write_text(
        flow.read_text(encoding="utf-8").replace("\n    note: Em último caso, {n1.sla}.", ""),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--knowledge", str(pack), "shift", "--at", HOLIDAY, "--json")
    report = json.loads(out)
    assert code == 0 and report["sla_estimate"] is None
    _, out, _ = run(capsys, "--knowledge", str(pack), "shift", "--at", HOLIDAY)
    assert "N1 Rio Negro Net" in out and "horas úteis" not in out


# --- flows -----------------------------------------------------------------------------
def test_flows_lists_each_pack_with_its_id_and_version(
    both: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--config", str(both), "flows")
    assert code == 0
    assert "Rio Negro Net (rio-negro-net, versão 2026.11.30)" in " ".join(out.split())
    assert "Fibra Teste (fixture-fibra, versão sha-" in " ".join(out.split())


def test_a_flow_in_several_packs_needs_a_provider(
    both: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--config", str(both), "flows", "sem-conexao")
    assert code == 2 and "existe em 2 provedores" in err and "--provider" in err
    argv = ["--config", str(both), "flows", "sem-conexao", "--provider", "rio-negro-net"]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "GenieACS" in out and "comunidade ribeirinha (rádio)" in out
    code, out, _ = run(capsys, "--config", str(both), "flows", "senha-wifi")  # fixture only
    assert code == 0 and "Senha do Wi-Fi" in out


def test_the_seats_preset_picks_the_pack_of_an_ambiguous_flow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"knowledge: [{FIXTURE}, {AMAZONAS}]\nprovider: rio-negro-net\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "--config", str(config), "flows", "sem-conexao")
    assert code == 0 and "GenieACS" in out


# --- check -----------------------------------------------------------------------------
def test_check_validates_every_configured_pack(
    both: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--config", str(both), "check", "--today", "2026-12-01")
    assert code == 0
    assert f"{FIXTURE}: ok: Fibra Teste (fixture-fibra, versão sha-" in out
    assert f"{AMAZONAS}: ok: Rio Negro Net (rio-negro-net, versão 2026.11.30)" in out


def test_check_refuses_two_packs_with_one_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copia"
    shutil.copytree(AMAZONAS, copy)
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge: [{AMAZONAS}, {copy}]\n", encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "check")
    assert code == 2 and f"{copy / 'pack.yaml'}: id:" in err and "1 problema" in err


def test_check_refuses_an_unknown_preset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge: [{AMAZONAS}]\nprovider: mutum\n", encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "check")
    assert code == 2 and f"{config}:2: provider: provedor desconhecido" in err


# --- vault -----------------------------------------------------------------------------
def test_vault_init_writes_one_section_per_pack_and_check_goes_pack_by_pack(
    both: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "secrets.yaml"
    code, _, _ = run(capsys, "--config", str(both), "vault", "init", "--file", str(vault))
    assert code == 0 and stat.S_IMODE(vault.stat().st_mode) == 0o600
    loaded = load_vault(vault)
    assert set(loaded.sections) == {"fixture-fibra", "rio-negro-net"}
    assert set(loaded.sections["rio-negro-net"]) == {"mk_auth", "acs"}
    code, out, _ = run(capsys, "--config", str(both), "vault", "check", "--file", str(vault))
    # Just written from the examples: every key is there, every value still a placeholder.
    assert code == 1 and "Rio Negro Net (rio-negro-net" in out and "mk_auth: PREENCHER" in out
    assert "FALTA" not in out and "PREENCHA" not in out  # the values themselves never echoed


def test_vault_check_uses_each_packs_own_keys(
    both: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "secrets.yaml"
    vault.write_text(
        "flashman: {login: a1, password: b1}\n"  # top level: the default pack's (fixture)
        "mk_auth: {login: a2, password: b2}\n"  # ... so it does not count for rio-negro-net
        "packs:\n  rio-negro-net:\n    acs: {login: a3, password: b3}\n",
        encoding="utf-8",
    )
    vault.chmod(0o600)
    code, out, err = run(capsys, "--config", str(both), "vault", "check", "--file", str(vault))
    assert code == 1
    rio = out[out.index("Rio Negro Net") :]
    assert "acs: cadastrada" in rio and "mk_auth: FALTA" in rio
    fixture = out[: out.index("Rio Negro Net")]
    assert "flashman: cadastrada" in fixture and "anlix: FALTA" in fixture
    assert "faltam" in err


# --- the one-pack resolver the upcoming commands (lookup...) use --------------------------
def namespace(config: Path, provider: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(config=str(config), knowledge=None, provider=provider)


def test_one_pack_commands_use_the_only_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge: {AMAZONAS}\n", encoding="utf-8")
    pack = load_pack_or_report(namespace(config))
    assert pack is not None and pack.id == "rio-negro-net"


def test_one_pack_commands_need_a_provider_among_several(
    both: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_pack_or_report(namespace(both)) is None
    err = capsys.readouterr().err
    assert "atende 2 provedores (fixture-fibra, rio-negro-net)" in err and "--provider" in err
    pack = load_pack_or_report(namespace(both, "rio-negro-net"))
    assert pack is not None and pack.id == "rio-negro-net"
    assert load_pack_or_report(namespace(both, "rio-negr")) is None
    assert 'você quis dizer "rio-negro-net"' in capsys.readouterr().err


def test_one_pack_commands_use_the_seats_preset(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"knowledge: [{FIXTURE}, {AMAZONAS}]\nprovider: rio-negro-net\n", encoding="utf-8"
    )
    pack = load_pack_or_report(namespace(config))
    assert pack is not None and pack.id == "rio-negro-net"
    other = load_pack_or_report(namespace(config, "fixture-fibra"))
    assert other is not None and other.id == "fixture-fibra"
