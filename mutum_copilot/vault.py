"""The agent's local vault: provider system logins that must never enter the repo.

The vault is a YAML file in the user's config folder, readable by its owner
only. The pack's systems name the vault key they need (``vault_key: flashman``)
and FAQ entries list the keys they use; the UI shows a secret masked and
reveals or copies it only on request. Nothing from the vault is ever written to
the history, the OS note or a log: :meth:`Vault.redact` scrubs text that
might carry a secret before it is logged.

The file is checked before it is read: a FIFO, a device or a huge file is
refused at once (it would hang or flood the app), a file others can read is
refused with the ``chmod`` that fixes it, and no message ever echoes a value
(a password typed where a mapping was expected is described, not shown).
:func:`placeholders` names the values still left as the example's
placeholders, for ``vault check``.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from mutum_copilot.errors import MutumError, Problem, ProblemsError
from mutum_copilot.files import too_big
from mutum_copilot.paths import config_dir
from mutum_copilot.yamlkit.structs import INVALID, Converter
from mutum_copilot.yamlkit.yamlio import read_yaml_file

VAULT_FILE = "secrets.yaml"
MASK = "••••••••"
#: A vault is a handful of logins: anything bigger is not one.
MAX_VAULT_BYTES = 256_000
#: How the example file marks a value to fill in ("PREENCHA_A_SENHA", "<senha>", "TODO").
PLACEHOLDER = re.compile(r"^(?:PREENCHA|PREENCHER|FILL|CHANGE_?ME|TODO|XXX)|^<[^>]*>$", re.I)


class VaultError(ProblemsError):
    """The vault file exists but cannot be used (broken YAML, unknown keys)."""


class VaultPermissionError(MutumError):
    """The vault is readable by other users: refused until its owner fixes it."""


@dataclass(frozen=True)
class Credential:
    """One system's access; ``login`` and ``password`` are secrets, ``note`` is not."""

    login: str = ""
    password: str = ""
    note: str = ""

    def __repr__(self) -> str:  # never show a secret in a traceback or a log
        return f"Credential(login={MASK}, password={MASK}, note={self.note!r})"


@dataclass(frozen=True)
class Vault:
    """The loaded vault: credentials by key, and where the file is."""

    path: Path
    credentials: Mapping[str, Credential]

    @property
    def keys(self) -> list[str]:
        return sorted(self.credentials)

    def get(self, key: str) -> Credential | None:
        return self.credentials.get(key)

    def redact(self, text: str) -> str:
        """``text`` with every secret value replaced by the mask."""
        for credential in self.credentials.values():
            for secret in (credential.login, credential.password):
                if len(secret) >= 3:
                    text = text.replace(secret, MASK)
        return text


def default_vault_path() -> Path:
    return config_dir() / VAULT_FILE


def empty_vault(path: Path | None = None) -> Vault:
    return Vault(path or default_vault_path(), MappingProxyType({}))


def load_vault(path: Path | None = None) -> Vault:
    """Read the vault; a missing file is an empty vault. Refuses a file others can read."""
    path = path or default_vault_path()
    try:
        info = path.stat()
    except FileNotFoundError:
        return empty_vault(path)
    except OSError as exc:
        raise VaultError([Problem(str(path), 0, f"cannot read: {exc.strerror or exc}")]) from None
    if not stat.S_ISREG(info.st_mode):
        raise VaultError([Problem(str(path), 0, "o cofre não é um arquivo comum; recusado")])
    if info.st_size > MAX_VAULT_BYTES:
        raise VaultError([Problem(str(path), 0, too_big(info.st_size, MAX_VAULT_BYTES))])
    mode = stat.S_IMODE(info.st_mode)
    if os.name == "posix" and mode & 0o077:
        raise VaultPermissionError(
            f"{path}: o cofre pode ser lido por outros usuários (permissões {mode:o}); "
            f"corrija com: chmod 600 {path}"
        )
    return read_vault_file(path)


def read_vault_file(path: Path) -> Vault:
    """Parse a vault-shaped file (the vault, or the pack's example) without echoing a value."""
    result = read_yaml_file(path, allow_empty=True, secret=True)
    if result.problems:
        raise VaultError(result.problems)
    if result.data is None:
        return empty_vault(path)
    converter = Converter(str(path), secret=True)
    credentials = converter.convert(Mapping[str, Credential], result.data, 1, "")
    if converter.problems or credentials is INVALID:
        raise VaultError(converter.problems or [Problem(str(path), 1, "invalid vault")])
    return Vault(path, credentials)


def placeholders(vault: Vault, example: Vault | None = None) -> dict[str, list[str]]:
    """Per key, the secret fields still left as placeholders (``{"anlix": ["login"]}``).

    A placeholder is a value shaped like one (``PREENCHA_...``, ``<senha>``) or
    the very value the pack's example file has for that field.
    """
    found: dict[str, list[str]] = {}
    for key, credential in vault.credentials.items():
        model = example.get(key) if example is not None else None
        for name in ("login", "password"):
            value = getattr(credential, name)
            copied = model is not None and value and value == getattr(model, name)
            if value and (PLACEHOLDER.search(value.strip()) or copied):
                found.setdefault(key, []).append(name)
    return found


def masked_login(login: str) -> str:
    """The first two characters of a login, so the agent can tell accounts apart."""
    return (login[:2] + MASK) if len(login) > 4 else MASK
