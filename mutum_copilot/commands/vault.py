"""``mutum-copilot vault path|init|check``: where the local vault is, create it, verify it.

The vault holds the provider systems' logins on the agent's machine only
(see :mod:`mutum_copilot.vault`). ``init`` copies the example with owner-only
permissions; ``check`` says which keys the pack needs and which are missing,
never printing a secret.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from mutum_copilot.commands.common import load_pack_or_report
from mutum_copilot.errors import ProblemsError
from mutum_copilot.vault import VaultPermissionError, default_vault_path, load_vault

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
    for key in needed:
        print(f"{key}: {'cadastrada' if key not in missing else 'FALTA'}")
    if missing:
        print(f"{path}: faltam {len(missing)} credenciais", file=sys.stderr)
        return 1
    print(f"{path}: ok")
    return 0


def init(path: Path, example: Path) -> int:
    if path.exists():
        print(f"{path} já existe; edite-o (nada foi sobrescrito).", file=sys.stderr)
        return 1
    if not example.exists():
        print(f"{example}: exemplo não encontrado no pacote", file=sys.stderr)
        return 2
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, example.open("rb") as source:
        shutil.copyfileobj(source, out)
    print(f"{path}: criado (somente você pode ler). Preencha os valores do exemplo.")
    return 0
