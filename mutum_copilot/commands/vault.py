"""``mutum-copilot vault path|init|check``: where the local vault is, create it, verify it.

The vault holds the provider systems' logins on the agent's machine only
(see :mod:`mutum_copilot.vault`). ``init`` copies the example with owner-only
permissions; ``check`` says which keys the pack needs, which are missing and
which still hold the example's placeholders, never printing a secret.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from mutum_copilot.commands.common import load_pack_or_report
from mutum_copilot.errors import MutumError, ProblemsError
from mutum_copilot.files import open_private, private_dir
from mutum_copilot.paths import config_dir
from mutum_copilot.vault import (
    Vault,
    VaultPermissionError,
    default_vault_path,
    load_vault,
    placeholders,
    read_vault_file,
)

EXAMPLE_NAME = "secrets.example.yaml"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "vault",
        help="the local vault of provider logins: path, init, check",
        description="Where the local vault is, create it from the example, or check it.",
    )
    parser.add_argument("action", choices=("path", "init", "check"))
    parser.add_argument("--file", type=Path, help="vault file (default: the user's)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path: Path = args.file or default_vault_path()
    if args.action == "path":
        print(path)
        return 0
    pack = load_pack_or_report(args)
    if pack is None:
        return 2
    if args.action == "init":
        return init(path, pack.root / EXAMPLE_NAME)
    try:
        vault = load_vault(path)
    except VaultPermissionError as exc:
        print(exc, file=sys.stderr)
        return 2
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    needed = sorted({s.vault_key for s in pack.facts.systems.values() if s.vault_key})
    missing = [key for key in needed if vault.get(key) is None]
    unfilled = placeholders(vault, _example(pack.root / EXAMPLE_NAME))
    words = dict(zip(("login", "password"), ("login", "senha"), strict=True))  # field names
    for key in needed:
        if key in missing:
            state = "FALTA"
        elif key in unfilled:
            fields = " e ".join(words[name] for name in unfilled[key])
            state = f"PREENCHER ({fields} ainda como no exemplo)"
        else:
            state = "cadastrada"
        print(f"{key}: {state}")
    left = [key for key in unfilled if key in needed]
    if missing:
        print(f"{path}: faltam {len(missing)} credenciais", file=sys.stderr)
    if left:
        print(f"{path}: {len(left)} credenciais ainda com o valor do exemplo", file=sys.stderr)
    if missing or left:
        return 1
    print(f"{path}: ok")
    return 0


def _example(path: Path) -> Vault | None:
    """The pack's example vault, to tell a placeholder left in place (None if unreadable)."""
    try:
        return read_vault_file(path)
    except (ProblemsError, MutumError):
        return None


def init(path: Path, example: Path) -> int:
    if path.exists():
        print(f"{path} já existe; edite-o (nada foi sobrescrito).", file=sys.stderr)
        return 1
    if not example.exists():
        print(f"{example}: exemplo não encontrado no pacote", file=sys.stderr)
        return 2
    try:
        private_dir(path.parent, strict=path.parent == config_dir())
        fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except (MutumError, OSError) as exc:
        print(f"{path}: não foi possível criar ({exc})", file=sys.stderr)
        return 2
    with os.fdopen(fd, "wb") as out, example.open("rb") as source:
        shutil.copyfileobj(source, out)
    print(f"{path}: criado (somente você pode ler). Preencha os valores do exemplo.")
    return 0
