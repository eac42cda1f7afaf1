"""``mutum-copilot vault path|init|check``: where the local vault is, create it, verify it.

The vault holds the provider systems' logins on the agent's machine only
(see :mod:`mutum_copilot.vault`). ``init`` copies the example with owner-only
permissions; ``check`` says which keys the pack needs and which are missing,
never printing a secret. A seat with several packs gets one section per pack
(``packs: {<id>: ...}``) from ``init``, and ``check`` goes pack by pack.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from mutum_copilot.commands.common import (
    add_provider_option,
    chosen_entries,
    load_catalog_or_report,
    pack_label,
)
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
    add_provider_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path: Path = args.file or default_vault_path()
    if args.action == "path":
        print(path)
        return 0
    catalog = load_catalog_or_report(args)
    entries = None if catalog is None else chosen_entries(args, catalog)
    if catalog is None or entries is None:
        return 2
    if args.action == "init":
        if len(entries) == 1:
            return init(path, entries[0].pack.root / EXAMPLE_NAME)
        return init_sections(path, [(e.id, e.pack.root / EXAMPLE_NAME) for e in entries])
    try:
        vault = load_vault(path)
    except VaultPermissionError as exc:
        print(exc, file=sys.stderr)
        return 2
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    missing = 0
    for entry in entries:
        if len(catalog) > 1:
            print(f"{pack_label(entry)}:")
        own = vault.for_pack(entry.id, default=entry.id == catalog.default_id)
        needed = sorted({s.vault_key for s in entry.pack.facts.systems.values() if s.vault_key})
        lacking = [key for key in needed if own.get(key) is None]
        indent = "  " if len(catalog) > 1 else ""
        for key in needed:
            print(f"{indent}{key}: {'cadastrada' if key not in lacking else 'FALTA'}")
        missing += len(lacking)
    if missing:
        print(f"{path}: faltam {missing} credenciais", file=sys.stderr)
        return 1
    print(f"{path}: ok")
    return 0


def init_sections(path: Path, examples: list[tuple[str, Path]]) -> int:
    """A vault with one ``packs:`` section per pack, each its pack's example indented."""
    lacking = [str(example) for _, example in examples if not example.exists()]
    if lacking:
        print(f"{', '.join(lacking)}: exemplo não encontrado no pacote", file=sys.stderr)
        return 2
    parts = ["# Cofre com uma seção por provedor (o id do pacote, em pack.yaml).", "packs:"]
    for pack_id, example in examples:
        parts.append(f"  {pack_id}:")
        body = example.read_text(encoding="utf-8").splitlines()
        parts += [f"    {line}" if line.strip() else "" for line in body]
    return init_text(path, "\n".join(parts) + "\n")


def init_text(path: Path, text: str) -> int:
    """Write ``text`` as a new owner-only vault; never overwrite one."""
    if path.exists():
        print(f"{path} já existe; edite-o (nada foi sobrescrito).", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    print(f"{path}: criado (somente você pode ler). Preencha os valores do exemplo.")
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
