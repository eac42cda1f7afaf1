"""What can go wrong when the copilot talks to IXC or Flashman, in words for the agent.

Every failure is one of these (all :class:`~mutum_copilot.errors.MutumError`),
so the CLI prints the message and exits 2, and the TUI shows it and lets the
agent go on by hand. A message names the system and, at most, its host: never
a credential, a token, a full CPF or a reply body that could hold one.
"""

from __future__ import annotations

from typing import Literal

from mutum_copilot.errors import MutumError

Refusal = Literal[
    "already_unlocked",
    "contract_inactive",
    "unlock_used_unpaid",
    "unlock_disabled",
    "not_blocked",
    "rule",
    "other",
]


class IntegrationError(MutumError):
    """A provider's system could not give what was asked; ``str()`` is the agent's message."""

    def __init__(self, system: str, message: str, *, remote: str = "") -> None:
        self.system = system
        self.detail = message
        #: The system's own words, cleaned, when it sent an error reply ("" otherwise).
        self.remote = remote
        super().__init__(f"{system}: {message}")


class NotConfiguredError(IntegrationError):
    """No credential in the vault, or no address in the pack or the config."""


class UnreachableError(IntegrationError):
    """Connection refused, name not found, TLS failure or no answer in time."""


class RefusedError(IntegrationError):
    """The system refused the credentials or the permission (HTTP 401/403)."""


class IpNotAllowedError(RefusedError):
    """IXC refuses this machine's IP address (its "Redes Permitidas" allow-list)."""


class NotFoundError(IntegrationError):
    """Nothing matches what was searched."""


class AmbiguousError(IntegrationError):
    """More than one customer matches; the agent must say which."""


class MalformedReplyError(IntegrationError):
    """The reply is not what the documented API sends (not JSON, missing fields)."""


class ServerError(IntegrationError):
    """The system failed (HTTP 5xx, or an error reply that is none of the above)."""


class NotMappedError(IntegrationError):
    """The pack has no IXC ids for this outcome, so the OS cannot be opened from here."""


class WriteRefusedError(IntegrationError):
    """IXC (or the flow's own rule) refused a write; nothing was changed."""

    def __init__(self, system: str, message: str, reason: Refusal, *, remote: str = "") -> None:
        self.reason: Refusal = reason
        super().__init__(system, message, remote=remote)


class WriteUncertainError(IntegrationError):
    """A write was sent but its result is unknown: check in IXC, never resend blindly."""


class PartialWriteError(WriteUncertainError):
    """The ticket was opened in IXC but its OS was not: ``ticket_id`` says which one."""

    def __init__(self, system: str, message: str, ticket_id: str) -> None:
        self.ticket_id = ticket_id
        super().__init__(system, message)
