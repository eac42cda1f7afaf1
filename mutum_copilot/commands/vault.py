"""``mutum-copilot vault path|init|check``: where the local vault is, create it, verify it.

The vault holds the provider systems' logins on the agent's machine only
(see :mod:`mutum_copilot.vault`). ``init`` copies the example with owner-only
permissions; ``check`` says which keys the pack needs, which are missing and
which still hold the example's placeholders, never printing a secret. A seat
with several packs gets one section per pack (``packs: {<id>: ...}``) from
``init``, and ``check`` goes pack by pack.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from mutum_copilot.commands.common import (
    add_provider_option,
    chosen_entries,
    load_catalog_or_report,
    pack_label,
)
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
#: The secret fields as a supervisor reads them.
FIELD_WORDS = dict(
    zip(("login", "password", "user", "token"), ("login", "senha", "usuário", "token"), strict=True)
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "vault",
        help="o cofre local com os acessos aos sistemas do provedor: path, init, check",
        description="Onde fica o cofre local, criá-lo a partir do exemplo, ou conferi-lo.",
    )
    parser.add_argument(
        "action",
        choices=("path", "init", "check"),
        metavar="{path,init,check}",
        help="path: onde fica; init: cria a partir do exemplo; check: confere",
    )
    parser.add_argument(
        "--file", type=Path, metavar="ARQUIVO", help="arquivo do cofre (padrão: o do usuário)"
    )
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
    missing = left = 0
    several = len(catalog) > 1
    for entry in entries:
        if several:
            print(f"{pack_label(entry)}:")
        own = vault.for_pack(entry.id, default=entry.id == catalog.default_id)
        needed = sorted({s.vault_key for s in entry.pack.facts.systems.values() if s.vault_key})
        lacking = [key for key in needed if own.get(key) is None]
        unfilled = placeholders(own, _example(entry.pack.root / EXAMPLE_NAME))
        indent = "  " if several else ""
        for key in needed:
            if key in lacking:
                state = "FALTA"
            elif key in unfilled:
                fields = " e ".join(FIELD_WORDS.get(name, name) for name in unfilled[key])
                state = f"PREENCHER ({fields} ainda como no exemplo)"
            else:
                state = "cadastrada"
            print(f"{indent}{key}: {state}")
        missing += len(lacking)
        left += len([key for key in unfilled if key in needed])
    if missing:
        print(f"{path}: faltam {missing} credenciais", file=sys.stderr)
    if left:
        print(f"{path}: {left} credenciais ainda com o valor do exemplo", file=sys.stderr)
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
    text = "\n".join(parts) + "\n"
    return _create(path, lambda out: out.write(text.encode("utf-8")))


def init(path: Path, example: Path) -> int:
    """A new owner-only vault, a copy of the pack's example; never overwrite one."""
    if not example.exists() and not path.exists():
        print(f"{example}: exemplo não encontrado no pacote", file=sys.stderr)
        return 2

    def copy(out: BinaryIO) -> None:
        with example.open("rb") as source:
            shutil.copyfileobj(source, out)

    return _create(path, copy)


def _create(path: Path, write: Callable[[BinaryIO], object]) -> int:
    """Create the vault at ``path`` owner-only (0600, private folder) with ``write``."""
    if path.exists():
        print(f"{path} já existe; edite-o (nada foi sobrescrito).", file=sys.stderr)
        return 1
    try:
        private_dir(path.parent, strict=path.parent == config_dir())
        fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except (MutumError, OSError) as exc:
        print(f"{path}: não foi possível criar ({exc})", file=sys.stderr)
        return 2
    with os.fdopen(fd, "wb") as out:
        write(out)
    print(f"{path}: criado (somente você pode ler). Preencha os valores do exemplo.")
    return 0
