"""The integrations, assembled from the pack, the agent's config and the vault.

Off by default and invisible: without an ``ixc_api`` credential in the vault
:func:`integrations_for` returns None and the copilot stays exactly the manual
copilot. Addresses come from the pack (``integrations.ixc.url``,
``integrations.flashman.url``), overridden by the config (same keys), for a
proxy or a test server. Flashman is used when its address and the vault's
``flashman`` login are both there; without it a lookup still works from IXC.

:class:`Integrations` is what the TUI holds: its blocking methods (``lookup``,
``open_os``, ``trust_unlock``) belong in worker threads; the others are pure
and cheap. Nothing here keeps state between calls, so concurrent workers are
safe; a result that arrives after the agent moved on is the caller's to ignore.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mutum_copilot.config import Settings
from mutum_copilot.integrations import flashman, ixc, os_ixc, prefill, unlock
from mutum_copilot.integrations.credentials import flashman_login, ixc_pair
from mutum_copilot.integrations.documents import LookupKey
from mutum_copilot.integrations.errors import NotConfiguredError
from mutum_copilot.integrations.http import READ_TIMEOUT, Endpoint
from mutum_copilot.integrations.lookup import Lookup
from mutum_copilot.integrations.snapshot import CustomerSnapshot
from mutum_copilot.integrations.trust import trust_rule
from mutum_copilot.knowledge.integrations_models import Integrations as PackIntegrations
from mutum_copilot.knowledge.integrations_models import IxcPackSettings
from mutum_copilot.knowledge.models import Facts
from mutum_copilot.vault import Vault

if TYPE_CHECKING:  # httpx is imported where requests are made (http.py), not at start
    import httpx

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class IntegrationConfig:
    """Where the systems are and how to log in (endpoints hide their secrets)."""

    ixc: Endpoint
    flashman: Endpoint | None
    pack: IxcPackSettings
    #: Why Flashman is not used ("" when it is, or when the pack does not name it).
    flashman_off: str = ""


def integrations_config(
    facts: Facts, settings: Settings, vault: Vault, *, timeout: float = READ_TIMEOUT
) -> IntegrationConfig | None:
    """The configuration, or None when the vault has no IXC credential (integrations off).

    NotConfiguredError when there is a credential but no IXC address.
    """
    pair = ixc_pair(vault)
    if pair is None:
        return None
    pack = facts.integrations or PackIntegrations()
    ixc_url = settings.integrations.ixc.url or pack.ixc.url
    if not ixc_url:
        raise NotConfiguredError(
            ixc.SYSTEM,
            "há credencial ixc_api no cofre, mas nenhum endereço: ponha integrations.ixc.url "
            "no provider.yaml do pacote ou no config.yaml",
        )
    ixc_endpoint = Endpoint(ixc.SYSTEM, ixc.api_base(ixc_url), *pair, timeout=timeout)
    flashman_url = settings.integrations.flashman.url or pack.flashman.url
    flashman_endpoint, off = None, ""
    login = flashman_login(vault)
    if flashman_url and login is not None:
        flashman_endpoint = Endpoint(
            flashman.SYSTEM, flashman.api_base(flashman_url), *login, timeout=timeout
        )
    elif flashman_url:
        off = "sem login do Flashman no cofre (flashman: login e password): sinal só do IXC"
    return IntegrationConfig(ixc_endpoint, flashman_endpoint, pack.ixc, off)


def require_config(facts: Facts, settings: Settings, vault: Vault) -> IntegrationConfig:
    """The configuration, or NotConfiguredError saying what is missing (for the CLI)."""
    config = integrations_config(facts, settings, vault)
    if config is None:
        raise NotConfiguredError(
            ixc.SYSTEM,
            "integração desligada: falta a credencial ixc_api (user: id do usuário da API, "
            "token: o token dele) no cofre; veja docs/integrations.md",
        )
    return config


class Integrations:
    """The lookups and writes the TUI and the CLI use, over one configuration."""

    def __init__(
        self,
        config: IntegrationConfig,
        facts: Facts,
        *,
        clock: Clock,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config
        self.facts = facts
        self.clock = clock
        self.transport = transport

    # --- reading (blocking) --------------------------------------------------------
    def lookup(self, typed: str | LookupKey) -> CustomerSnapshot:
        """The customer's snapshot (blocking; InputError or IntegrationError)."""
        reader = Lookup(
            self.facts,
            self.config.ixc,
            self.config.flashman,
            clock=self.clock,
            transport=self.transport,
        )
        snapshot = reader.run(typed)
        if self.config.flashman_off and self.config.flashman is None:
            extra = (f"Flashman: {self.config.flashman_off}",)
            return _with_warnings(snapshot, extra)
        return snapshot

    # --- pure ----------------------------------------------------------------------
    def prefill(self, snapshot: CustomerSnapshot, contract_id: str) -> prefill.Prefill:
        """What the confirmed contract fills in the call, times in the agent's zone."""
        return prefill.prefill(snapshot, contract_id, self.facts.call_center.time_zone)

    def can_open_os(self, outcome: str) -> bool:
        """Whether the pack maps this outcome to IXC ids (else "abrir no IXC" stays hidden)."""
        return self.config.pack.ids_for(outcome) is not None

    def draft_os(
        self,
        snapshot: CustomerSnapshot,
        contract_id: str,
        *,
        outcome: str,
        urgency: str,
        subject: str,
        note: str,
    ) -> os_ixc.OsDraft:
        return os_ixc.draft_os(
            snapshot,
            contract_id,
            outcome=outcome,
            urgency=urgency,
            subject=subject,
            note=note,
            settings=self.config.pack,
        )

    def plan_unlock(self, snapshot: CustomerSnapshot, contract_id: str) -> unlock.UnlockPlan:
        return unlock.plan_unlock(snapshot, contract_id)

    # --- writing (blocking, never retried) -----------------------------------------
    def open_os(self, draft: os_ixc.OsDraft) -> os_ixc.OsReceipt:
        return os_ixc.open_os(draft, self.config.ixc, self.transport)

    def trust_unlock(self, plan: unlock.UnlockPlan) -> unlock.UnlockReceipt:
        return unlock.trust_unlock(
            plan,
            self.config.ixc,
            trust_rule(self.facts),
            clock=self.clock,
            zone=self.facts.provider.time_zone,
            transport=self.transport,
        )


def _with_warnings(snapshot: CustomerSnapshot, extra: tuple[str, ...]) -> CustomerSnapshot:
    return replace(snapshot, warnings=snapshot.warnings + extra)
