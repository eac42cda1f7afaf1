"""The agent's settings: a small YAML file in the user's config folder.

Parsed with the same strict converter as the pack, so a typo in a key is an
error that names the file, the line and the nearest valid key, and the app
refuses to start on a broken config instead of guessing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from mutum_copilot.errors import ConfigError, Problem
from mutum_copilot.knowledge.integrations_models import parse_url
from mutum_copilot.paths import bundled_pack_dir, default_config_path
from mutum_copilot.yamlkit.structs import INVALID, Converter, Origin, origin_field
from mutum_copilot.yamlkit.yamlio import read_yaml_file

#: A century: any longer and the purge's cutoff date falls off the calendar.
MAX_RETENTION_DAYS = 36_500

EXAMPLE = """\
# mutum-copilot: configuração do atendente (todas as chaves são opcionais).
# agent_name: Ana Souza           # nome que vai na nota da OS
# knowledge: /caminho/do/pacote   # pacote de conhecimento (padrão: o que vem com o app)
# knowledge:                      # ... ou vários, um por provedor atendido:
#   - /caminho/mutum-fibra
#   - /caminho/outro-provedor
# provider: mutum-fibra           # o provedor desta posição (o id em pack.yaml)
# theme: textual-dark
# retention_days: 90              # dias que o histórico de chamadas é guardado
# keymap:                         # troque teclas pelo id da ação (F1 lista os ids)
#   copy-say: ctrl+y
# integrations:                   # endereços do IXC e do Flashman (padrão: os do pacote)
#   ixc: {url: https://proxy.local:8443}
#   flashman: {url: https://acs.exemplo.com.br}
# team:                           # base da equipe (PostgreSQL); a senha fica no cofre (team_db)
#   url: postgresql://ana@supervisao.local/mutum
#   sync_note_texts: false        # true: envia também o texto das notas de OS
"""


def _url_or_empty(value: Any) -> str:
    """An ``http(s)://`` address (trailing slash dropped), or empty for "the pack's"."""
    if value in ("", None):
        return ""
    return parse_url(value)


@dataclass(frozen=True)
class ServiceAddress:
    """Where one of the provider's systems is, when it is not where the pack says."""

    url: str = field(default="", metadata={"parse": _url_or_empty})
    """E.g. a proxy in front of IXC, or a test server; empty means the pack's address."""


@dataclass(frozen=True)
class IntegrationSettings:
    """Addresses of the provider's systems that override the pack's (proxies, tests)."""

    ixc: ServiceAddress = ServiceAddress()
    flashman: ServiceAddress = ServiceAddress()


def _pack_folders(value: Any) -> tuple[str, ...]:
    """``knowledge:`` as written: one folder, or a list of folders."""
    items = [value] if isinstance(value, str) else value
    if value is None or not isinstance(items, list):
        raise ValueError("esperava a pasta de um pacote, ou uma lista de pastas")
    folders: list[str] = []
    for index, item in enumerate(items):
        where = f"item {index + 1}: " if not isinstance(value, str) else ""
        if not isinstance(item, str):
            raise ValueError(f"{where}esperava o caminho de uma pasta (texto)")
        if "\x00" in item:  # a "\0" escape in YAML; no OS takes it
            raise ValueError(f"{where}o caminho não pode conter o caractere NUL (\\0)")
        if item.strip():
            folders.append(item)
        elif not isinstance(value, str):
            raise ValueError(f"{where}caminho vazio")
    return tuple(folders)


@dataclass(frozen=True)
class TeamSettings:
    """The team store (see docs/team-store.md); an empty ``url`` means SQLite alone, as before."""

    url: str = ""
    """A ``postgresql://user@host/db`` URL, without the password (vault key ``team_db``)."""
    sync_note_texts: bool = False
    """Also send the finished OS note texts (they carry the customer's phones)."""

    def __post_init__(self) -> None:
        if self.url:
            check_team_url(self.url)


def check_team_url(url: str) -> None:
    """Refuse what is not a PostgreSQL URL, and any password written in it (pt-BR: it is shown)."""
    if "\x00" in url:
        raise ValueError("url: não pode conter o caractere NUL (\\0)")
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        raise ValueError("url: inválida; use postgresql://usuario@servidor/base") from None
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError("url: use postgresql://usuario@servidor/base")
    if password is not None or "password" in parse_qs(parts.query):
        raise ValueError(
            "url: a senha não vai na configuração; guarde-a no cofre (chave team_db)"
            " ou no ~/.pgpass"
        )


@dataclass(frozen=True)
class Settings:
    """What an agent can set; every field has a default so the file is optional."""

    agent_name: str = ""
    """The agent's name, written in the OS note."""
    knowledge: tuple[str, ...] = field(default=(), metadata={"parse": _pack_folders})
    """The pack folders this seat serves (one, or a list); empty means the bundled pack."""
    provider: str = ""
    """The seat's preset provider (a pack id): the default pack of calls and commands."""
    theme: str = "textual-dark"
    """A Textual theme name."""
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Key remaps: binding id -> keys (comma-separated), as Textual's ``set_keymap`` takes."""
    retention_days: int = 90
    """Calls older than this are purged from the history at start."""
    history_path: str = ""
    """Where the call history lives; empty means the user's data folder."""
    integrations: IntegrationSettings = IntegrationSettings()
    """IXC and Flashman addresses that override the pack's (credentials are in the vault)."""
    team: TeamSettings = TeamSettings()
    """The team store the seat syncs to; unset means no sync."""
    origin: Origin = origin_field()

    def __post_init__(self) -> None:
        if not 1 <= self.retention_days <= MAX_RETENTION_DAYS:
            raise ValueError(f"retention_days deve estar entre 1 e {MAX_RETENTION_DAYS}")
        if "\x00" in self.history_path:  # a "\0" escape in YAML; no OS takes it
            raise ValueError("history_path não pode conter o caractere NUL (\\0)")

    def pack_dirs(self, override: Path | None = None) -> tuple[Path, ...]:
        """The pack folders to load: ``--knowledge``, else the config's, else the bundled one."""
        if override is not None:
            return (override,)
        if self.knowledge:
            return tuple(Path(folder) for folder in self.knowledge)
        return (bundled_pack_dir(),)


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file; a missing file means the defaults. Raises ConfigError."""
    path = path or default_config_path()
    if not path.exists():
        return Settings()
    result = read_yaml_file(path, allow_empty=True)
    if result.problems:
        raise ConfigError(result.problems)
    if result.data is None:
        return Settings()
    converter = Converter(str(path))
    settings = converter.struct(Settings, result.data, getattr(result.data, "line", 1))
    if converter.problems or settings is INVALID:
        raise ConfigError(converter.problems or [Problem(str(path), 1, "configuração inválida")])
    # Relative paths are read from the config file's folder, wherever the app starts.
    changes: dict[str, Any] = {
        "knowledge": tuple(_located(folder, path) for folder in settings.knowledge)
    }
    if settings.history_path:
        changes["history_path"] = _located(settings.history_path, path)
    return dataclasses.replace(settings, **changes)


def _located(value: str, config: Path) -> str:
    """``~`` expanded; a relative path read from the config file's folder."""
    if value.startswith("~"):
        try:
            return str(Path(value).expanduser())
        except RuntimeError:  # "~nobody": no such user; read it as a folder of that name
            pass
    if not Path(value).is_absolute():
        return str((config.parent / value).resolve())
    return value
