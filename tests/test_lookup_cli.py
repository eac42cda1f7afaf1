"""``mutum-copilot lookup``: the documented JSON, the readable view, exit 2 in words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fakes.flashman_server import FakeFlashman
from fakes.httpbase import closed_port_url, serving
from fakes.ixc_server import FakeIxc
from fakes.scenarios import CPF, CPF_DIGITS, CPF_MASKED, FIXTURE_PACK, add_customer

from mutum_copilot.cli import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    return tmp_path


def write_vault(home: Path, entries: dict[str, dict[str, str]]) -> None:
    path = home / "xdg_config_home" / "mutum-copilot" / "secrets.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    path.chmod(0o600)


def write_config(home: Path, ixc_url: str, flashman_url: str = "") -> Path:
    path = home / "config.yaml"
    addresses = {"ixc": {"url": ixc_url}} | (
        {"flashman": {"url": flashman_url}} if flashman_url else {}
    )
    path.write_text(yaml.safe_dump({"integrations": addresses}), encoding="utf-8")
    return path


def lookup(config: Path, *args: str) -> int:
    return main(["--knowledge", str(FIXTURE_PACK), "--config", str(config), "lookup", *args])


def ready(home: Path, ixc: FakeIxc, url: str = "") -> Path:
    write_vault(home, {"ixc_api": {"user": ixc.user, "token": ixc.secret}})
    return write_config(home, url or ixc.url)


def test_json_as_documented(home: Path, ixc: FakeIxc, capsys: pytest.CaptureFixture[str]) -> None:
    with serving(FakeFlashman()) as flashman:
        add_customer(ixc, flashman)
        write_vault(
            home,
            {
                "ixc_api": {"user": ixc.user, "token": ixc.secret},
                "flashman": {"login": flashman.user, "password": flashman.secret},
            },
        )
        config = write_config(home, ixc.url, flashman.url)
        assert lookup(config, CPF, "--json") == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["customer"]["name"] == "Maria Aparecida Souza"
    assert data["customer"]["document"] == CPF_MASKED
    (contract,) = data["contracts"]
    assert contract["internet_status"] == "CA" and contract["trust_unlock_available"] is True
    assert (
        contract["logins"][0]["login"] == "maria.souza" and contract["logins"][0]["online"] is False
    )
    signal = contract["signal"]
    assert (signal["rx_dbm"], signal["tx_dbm"], signal["verdict"]) == (-19.5, 2.3, "inside")
    assert signal["read_at"] == "2026-11-20T20:10:00-03:00"  # the agent's clock, with its offset
    assert data["read_at"].endswith("-03:00") and data["warnings"] == []
    assert CPF not in out and CPF_DIGITS not in out and ixc.secret not in out


def test_the_readable_view(home: Path, ixc: FakeIxc, capsys: pytest.CaptureFixture[str]) -> None:
    add_customer(ixc, name="[bold red]Maria[/] Souza")
    assert lookup(ready(home, ixc), CPF_DIGITS) == 0
    out = capsys.readouterr().out
    assert "[bold red]Maria[/] Souza" in out  # IXC's text is never rich markup
    assert CPF_MASKED in out and "bloqueio automático (CA)" in out
    assert "Desbloqueio de confiança: disponível (nunca usado)" in out
    assert "Login PPPoE: maria.souza · offline" in out
    assert "RX -24,1 dBm: fora da faixa ideal" in out and "do IXC, medido 18/11/2026" in out
    assert "Aviso: Flashman: sem login do Flashman no cofre" in out


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("no credential", "integração desligada: falta a credencial ixc_api"),
        ("unreachable", "inacessível em IXC (127.0.0.1)"),
        ("wrong token", "acesso recusado (HTTP 401)"),
        ("ip refused", "Redes Permitidas"),
        ("nobody", f"nenhum cliente com o CPF {CPF_MASKED}"),
        ("two customers", f"2 clientes com o CPF {CPF_MASKED}"),
        ("bad cpf", "CPF inválido"),
    ],
)
def test_failures_exit_2_with_one_line_in_portuguese(
    home: Path, ixc: FakeIxc, capsys: pytest.CaptureFixture[str], setup: str, words: str
) -> None:
    config = ready(home, ixc)
    typed = CPF
    if setup == "no credential":
        write_vault(home, {"flashman": {"login": ixc.user, "password": ixc.secret}})
    elif setup == "unreachable":
        config = write_config(home, closed_port_url())
    elif setup == "wrong token":
        write_vault(home, {"ixc_api": {"user": ixc.user, "token": ixc.secret[::-1]}})
    elif setup == "ip refused":
        ixc.ip_refused = True
    elif setup == "two customers":
        add_customer(ixc)
        add_customer(ixc, pppoe="outra")
    elif setup == "bad cpf":
        typed = "529.982.247-26"
    assert lookup(config, typed, "--json") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("mutum-copilot lookup: ") and words in line
    assert ixc.secret not in line and CPF not in line and "Traceback" not in line


def test_the_installed_command_runs_it(home: Path, ixc: FakeIxc) -> None:
    add_customer(ixc)
    config = ready(home, ixc)
    result = subprocess.run(
        [sys.executable, "-m", "mutum_copilot", "--knowledge", str(FIXTURE_PACK), "--config",
         str(config), "lookup", CPF, "--json"],
        capture_output=True, text=True, env=os.environ.copy(), timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["customer"]["document"] == CPF_MASKED


def test_help_lists_lookup(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "lookup" in capsys.readouterr().out
