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
from mutum_copilot.paths import config_dir
from mutum_copilot.yamlkit.structs import INVALID, Converter
from mutum_copilot.yamlkit.yamlio import read_yaml_file

CONFIG_FILE = "config.yaml"
#: A century: any longer and the purge's cutoff date falls off the calendar.
MAX_RETENTION_DAYS = 36_500

EXAMPLE = """\
# mutum-copilot: configuração do atendente (todas as chaves são opcionais).
# agent_name: Ana Souza           # nome que vai na nota da OS
# knowledge: /caminho/do/pacote   # pacote de conhecimento (padrão: o que vem com o app)
# theme: textual-dark
# retention_days: 90              # dias que o histórico de chamadas é guardado
# keymap:                         # troque teclas pelo id da ação (F1 lista os ids)
#   copy-say: ctrl+y
# team:                           # base da equipe (PostgreSQL); a senha fica no cofre (team_db)
#   url: postgresql://ana@supervisao.local/mutum
#   sync_note_texts: false        # true: envia também o texto das notas de OS
"""


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
    knowledge: str = ""
    """A knowledge pack folder; empty means the bundled pack."""
    theme: str = "textual-dark"
    """A Textual theme name."""
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Key remaps: binding id -> keys (comma-separated), as Textual's ``set_keymap`` takes."""
    retention_days: int = 90
    """Calls older than this are purged from the history at start."""
    history_path: str = ""
    """Where the call history lives; empty means the user's data folder."""
    team: TeamSettings = TeamSettings()
    """The team store the seat syncs to; unset means no sync."""

    def __post_init__(self) -> None:
        if not 1 <= self.retention_days <= MAX_RETENTION_DAYS:
            raise ValueError(f"retention_days must be at least 1 and at most {MAX_RETENTION_DAYS}")
        for name in ("knowledge", "history_path"):
            if "\x00" in getattr(self, name):  # a "\0" escape in YAML; no OS takes it
                raise ValueError(f"{name} cannot contain a NUL character (\\0)")


def default_config_path() -> Path:
    return config_dir() / CONFIG_FILE


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
        raise ConfigError(converter.problems or [Problem(str(path), 1, "invalid settings")])
    # Relative paths are read from the config file's folder, wherever the app starts.
    relative: dict[str, Any] = {
        name: str((path.parent / value).resolve())
        for name in ("knowledge", "history_path")
        if (value := getattr(settings, name)) and not Path(value).expanduser().is_absolute()
    }
    expanded: dict[str, Any] = {
        name: str(Path(value).expanduser())
        for name in ("knowledge", "history_path")
        if (value := getattr(settings, name)) and value.startswith("~")
    }
    return (
        dataclasses.replace(settings, **relative, **expanded) if relative or expanded else settings
    )
