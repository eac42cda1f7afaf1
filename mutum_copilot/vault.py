"""The agent's local vault: provider system logins that must never enter the repo.

The vault is a YAML file in the user's config folder, readable by its owner
only. The pack's systems name the vault key they need (``vault_key: flashman``)
and FAQ entries list the keys they use; the UI shows a secret masked and
reveals or copies it only on request. Nothing from the vault is ever written to
the history, the OS note or a log: :meth:`Vault.redact` scrubs text that
might carry a secret before it is logged.

A seat that serves several providers keeps each pack's credentials under
``packs: {<pack id>: {<key>: ...}}``; keys written at the top level (the
one-provider form) belong to the default pack. :meth:`Vault.for_pack` is
what a call of one pack sees.

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
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mutum_copilot.errors import MutumError, Problem, ProblemsError
from mutum_copilot.files import too_big
from mutum_copilot.paths import config_dir
from mutum_copilot.yamlkit.structs import INVALID, Converter
from mutum_copilot.yamlkit.yamlio import YMap, read_yaml_file

VAULT_FILE = "secrets.yaml"
MASK = "••••••••"
#: The top-level key of the per-pack sections.
SECTIONS = "packs"
#: A vault is a handful of logins: anything bigger is not one.
MAX_VAULT_BYTES = 256_000
#: How the example file marks a value to fill in ("PREENCHA_A_SENHA", "<senha>", "TODO").
PLACEHOLDER = re.compile(r"^(?:PREENCHA|PREENCHER|FILL|CHANGE_?ME|TODO|XXX)|^<[^>]*>$", re.I)


class VaultError(ProblemsError):
    """The vault file exists but cannot be used (broken YAML, unknown keys)."""


class VaultPermissionError(MutumError):
    """The vault is readable by other users: refused until its owner fixes it."""


def _text_or_number(value: object) -> str:
    """IXC's API user is a number (its id); YAML reads ``user: 12`` as one."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("informe um texto ou número, ex.: user: 12")
    return str(value)


@dataclass(frozen=True)
class Credential:
    """One system's access; ``login``, ``password``, ``user`` and ``token`` are secrets.

    ``user`` and ``token`` are an API's pair (IXC's webservice: the user's id
    and its token); ``note`` is not a secret.
    """

    login: str = ""
    password: str = ""
    note: str = ""
    user: str = field(default="", metadata={"parse": _text_or_number})
    token: str = ""

    def __repr__(self) -> str:  # never show a secret in a traceback or a log
        return (
            f"Credential(login={MASK}, password={MASK}, user={MASK}, token={MASK}, "
            f"note={self.note!r})"
        )

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.login, self.password, self.user, self.token)


def _no_sections() -> Mapping[str, Mapping[str, Credential]]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Vault:
    """The loaded vault: credentials by key, and where the file is."""

    path: Path
    credentials: Mapping[str, Credential]
    #: ``packs:`` in the file: each pack id's own credentials.
    sections: Mapping[str, Mapping[str, Credential]] = field(default_factory=_no_sections)

    @property
    def keys(self) -> list[str]:
        return sorted(self.credentials)

    def get(self, key: str) -> Credential | None:
        return self.credentials.get(key)

    def for_pack(self, pack_id: str, *, default: bool) -> Vault:
        """The credentials of one pack: its section, over the top-level keys if ``default``."""
        own = dict(self.credentials) if default else {}
        own.update(self.sections.get(pack_id, {}))
        return Vault(self.path, MappingProxyType(own))

    def redact(self, text: str) -> str:
        """``text`` with every secret value (of every pack) replaced by the mask."""
        every = [
            *self.credentials.values(),
            *(c for s in self.sections.values() for c in s.values()),
        ]
        secrets = {s for c in every for s in c.secrets if len(s) >= 3}
        for secret in sorted(secrets, key=len, reverse=True):  # "ab-senha" before "senha"
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
        raise VaultError(
            [Problem(str(path), 0, f"não foi possível ler: {exc.strerror or exc}")]
        ) from None
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
    data, sections = _split_sections(result.data, converter)
    credentials = converter.convert(Mapping[str, Credential], data, 1, "")
    if converter.problems or credentials is INVALID or sections is INVALID:
        raise VaultError(converter.problems or [Problem(str(path), 1, "cofre inválido")])
    return Vault(path, credentials, sections)


def _split_sections(data: Any, converter: Converter) -> tuple[Any, Any]:
    """The top-level credentials (the default pack's) and the ``packs:`` sections."""
    if not isinstance(data, YMap) or SECTIONS not in data:
        return data, MappingProxyType({})
    flat = YMap(data.line)
    for key, value in data.items():
        if key != SECTIONS:
            flat[key] = value
            flat.key_lines[key] = data.line_of(key)
    line = data.line_of(SECTIONS)
    kind = Mapping[str, Mapping[str, Credential]]
    return flat, converter.convert(kind, data[SECTIONS], line, SECTIONS)


def placeholders(vault: Vault, example: Vault | None = None) -> dict[str, list[str]]:
    """Per key, the secret fields still left as placeholders (``{"anlix": ["login"]}``).

    A placeholder is a value shaped like one (``PREENCHA_...``, ``<senha>``) or
    the very value the pack's example file has for that field.
    """
    found: dict[str, list[str]] = {}
    for key, credential in vault.credentials.items():
        model = example.get(key) if example is not None else None
        for name in ("login", "password", "user", "token"):
            value = getattr(credential, name)
            copied = model is not None and value and value == getattr(model, name)
            if value and (PLACEHOLDER.search(value.strip()) or copied):
                found.setdefault(key, []).append(name)
    return found


def masked_login(login: str) -> str:
    """The first two characters of a login, so the agent can tell accounts apart."""
    return (login[:2] + MASK) if len(login) > 4 else MASK
