"""All the CLI says is in pt-BR: every ``--help``, usage errors, broken packs, configs, vaults.

Run in-process; :func:`english.english_words` reads what a person sees and
fails on English words (argparse's "usage:", PyYAML's "mapping values are not
allowed here", our own old "did you mean"...).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
from pathlib import Path

import pytest
from english import english_words

from mutum_copilot.cli import build_parser, main

PACKS = Path(__file__).parent / "packs"
FIXTURE = PACKS / "fixture"
INVALID = sorted(p.name for p in (PACKS / "invalid").iterdir() if p.is_dir())


def commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    """Every command line that has a ``--help``: the program, each command, each action."""
    found = [prefix]
    for action in parser._actions:  # argparse has no public walk of its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += commands(sub, (*prefix, name))
    return found


def said(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """What ``mutum-copilot argv`` prints, on both streams, whatever its exit."""
    with contextlib.suppress(SystemExit):
        main(list(argv))
    out, err = capsys.readouterr()
    return out + err


def test_the_walk_covers_every_command() -> None:
    names = {line[0] for line in commands(build_parser()) if line}
    assert {"check", "ask", "shift", "flows", "history", "vault", "pack", "lookup"} <= names
    assert ("history", "export") in commands(build_parser())


@pytest.mark.parametrize("line", commands(build_parser()), ids=" ".join)
def test_every_help_is_portuguese(
    line: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    text = said(capsys, *line, "--help")
    assert text.startswith("uso: mutum-copilot")
    assert "mostra esta ajuda e sai" in text
    assert english_words(text) == []


USAGE_ERRORS = [
    ("ask",),  # a required argument left out
    ("bogus",),  # an unknown command
    ("vault", "bogus"),  # an invalid choice
    ("history",),  # a required action
    ("history", "export"),  # a required option
    ("history", "export", "--format", "xml", "--since", "01/11/2026"),
    ("ask", "--limit"),  # an option without its value
    ("--nope", "ask", "x"),  # an unknown option
    ("history", "purge", "--older-than", "0", "--yes"),
    ("history", "export", "--since", "ontem"),
    ("shift", "--at", "amanhã cedo"),
    ("check", "--today", "hoje"),
    ("ask", "--limit", "muitas", "net"),
    ("flows", "lentdao", "--knowledge", str(FIXTURE)),
    ("check", "/nenhum/lugar"),
]


@pytest.mark.parametrize("argv", USAGE_ERRORS, ids=" ".join)
def test_usage_errors_are_portuguese(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    text = said(capsys, *argv)
    assert text.strip()
    assert english_words(text) == []


def test_an_argparse_error_names_the_missing_argument(capsys: pytest.CaptureFixture[str]) -> None:
    text = said(capsys, "ask")
    assert "mutum-copilot ask: erro: faltam os argumentos obrigatórios: PERGUNTA" in text
    assert "opção inválida: 'bogus'" in said(capsys, "bogus")


@pytest.mark.parametrize("case", INVALID)
def test_every_broken_pack_is_reported_in_portuguese(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / case
    shutil.copytree(PACKS / "minimal", pack)
    shutil.copytree(PACKS / "invalid" / case, pack, dirs_exist_ok=True)
    text = said(capsys, "check", str(pack)).replace(str(tmp_path), "")
    assert "problema" in text
    assert english_words(text) == []


BROKEN_CONFIGS = {
    "unknown key": "agent_nam: Ana\n",
    "wrong type": "retention_days: muitos\n",
    "out of range": "retention_days: 0\n",
    "not a mapping": "- só\n- uma lista\n",
    "bad yaml": "agent_name: [Ana\n",
    "bad yaml colon": "agent_name: Ana: Souza\n",
    "tab indent": "integrations:\n\tixc: {}\n",
    "nested unknown": "integrations:\n  ixc: {adress: https://x}\n",
    "keymap list": "keymap: [copy-say]\n",
    "empty knowledge": "knowledge: ['']\n",
}


@pytest.mark.parametrize("case", BROKEN_CONFIGS)
def test_every_broken_config_is_reported_in_portuguese(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(BROKEN_CONFIGS[case], encoding="utf-8")
    text = said(capsys, "--config", str(config), "ask", "visita").replace(str(tmp_path), "")
    assert "config.yaml:" in text
    assert english_words(text) == []


BROKEN_VAULTS = {
    "unknown key": "flashman:\n  logn: x\n",
    "wrong type": "flashman: [x]\n",
    "bad yaml": "flashman: {login: x\n",
    "not a mapping": "- x\n",
}


@pytest.mark.parametrize("case", [*BROKEN_VAULTS, "readable by others", "a folder"])
def test_every_broken_vault_is_reported_in_portuguese(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "secrets.yaml"
    if case == "a folder":
        vault.mkdir()
    else:
        vault.write_text(BROKEN_VAULTS.get(case, "flashman: {login: x, password: y}\n"))
        vault.chmod(0o644 if case == "readable by others" else 0o600)
    argv = ("--knowledge", str(FIXTURE), "vault", "check", "--file", str(vault))
    text = said(capsys, *argv).replace(str(tmp_path), "")
    assert "secrets.yaml" in text
    assert english_words(text) == []


def test_the_checker_catches_english(capsys: pytest.CaptureFixture[str]) -> None:
    """The word list bites: argparse's own texts, before the translation, are caught."""
    assert english_words("usage: mutum-copilot [-h]")
    assert english_words('f.yaml:3: a.b: unknown key (did you mean "b"?)')
    assert english_words("  -h, --help  show this help message and exit")
    assert english_words("f.yaml:1: not valid YAML: mapping values are not allowed here")
    assert not english_words('f.yaml:3: a.b: chave desconhecida (você quis dizer "missing"?)')
