"""Reaching the team's PostgreSQL: the URL from the config, the password from the vault.

The config holds ``team.url`` (``postgresql://user@host/db``) and never a
password (config.py refuses one). The password comes from the local vault,
key :data:`VAULT_KEY` (``team_db: {password: ...}``; its ``login`` is the user
when the URL names none), or, when the vault has none, from libpq's own
``~/.pgpass`` (or ``PGPASSFILE``), which libpq reads by itself.

Every connection is bounded in time so that a dead network never holds the
sync thread for long: a connect timeout, and TCP keepalives plus a TCP user
timeout that end a connection whose peer went silent mid-query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from mutum_copilot.config import TeamSettings, check_team_url
from mutum_copilot.errors import MutumError
from mutum_copilot.vault import Vault

VAULT_KEY = "team_db"
CONNECT_TIMEOUT_S = 5
APPLICATION_NAME = "mutum-copilot"
#: Dead-peer detection: idle 10 s, then 3 probes 3 s apart; unacknowledged data 20 s.
_KEEPALIVE = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "tcp_user_timeout": 20_000,
}


class TeamUnavailable(MutumError):
    """The team store cannot be reached now (server down, network gone, login refused)."""


@dataclass(frozen=True)
class TeamTarget:
    """Where the team store is and how to log in; ``repr`` never shows the password."""

    url: str
    password: str = ""
    user: str = ""
    """The vault's login, used when the URL names no user."""
    sync_note_texts: bool = False

    def __repr__(self) -> str:
        return f"TeamTarget(url={self.url!r}, password={'***' if self.password else ''!r})"

    def conninfo(self, **extra: Any) -> str:
        """A libpq connection string: the URL, the password when known, the time bounds."""
        options: dict[str, Any] = {
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": APPLICATION_NAME,
        }
        host = str(conninfo_to_dict(self.url).get("host") or "")
        if host and not host.startswith("/"):  # TCP only: a unix socket has no keepalives
            options.update(_KEEPALIVE)
        if self.password:
            options["password"] = self.password
        if self.user and not conninfo_to_dict(self.url).get("user"):
            options["user"] = self.user
        options.update(extra)
        return make_conninfo(self.url, **options)

    @property
    def where(self) -> str:
        """The URL as shown to a person (it never holds a password)."""
        return self.url


def team_target(settings: TeamSettings, vault: Vault | None = None) -> TeamTarget | None:
    """The store the config points at, or None when ``team.url`` is unset (no sync)."""
    if not settings.url:
        return None
    check_team_url(settings.url)
    credential = vault.get(VAULT_KEY) if vault is not None else None
    return TeamTarget(
        settings.url,
        password=credential.password if credential is not None else "",
        user=credential.login if credential is not None else "",
        sync_note_texts=settings.sync_note_texts,
    )


def connect(target: TeamTarget, **extra: Any) -> psycopg.Connection[Any]:
    """An autocommit connection to the store; TeamUnavailable (pt-BR) when it cannot be had."""
    try:
        return psycopg.connect(target.conninfo(**extra), autocommit=True)
    except psycopg.OperationalError as exc:
        raise TeamUnavailable(unavailable_message(target, exc)) from exc


def unavailable_message(target: TeamTarget, exc: BaseException) -> str:
    """One line for the person: where, and libpq's reason (which never holds the password)."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if target.password:
        reason = reason.replace(target.password, "***")
    return f"base da equipe indisponível ({target.where}): {reason}"
