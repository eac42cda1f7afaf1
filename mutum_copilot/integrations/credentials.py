"""Which logins of the vault the integrations use, and whether they are filled in.

Its own light module because the TUI asks on every redraw whether IXC is on
(:func:`ixc_pair` is None: off): answering must not import the clients.
"""

from __future__ import annotations

from mutum_copilot.vault import Credential, Vault

IXC_VAULT_KEY = "ixc_api"
FLASHMAN_VAULT_KEY = "flashman"
#: The example vault's values start so; a copied, unfilled example is no credential.
PLACEHOLDER = "PREENCHA"


def filled(*values: str) -> bool:
    """Every value typed in, none left as the example's placeholder."""
    return all(v.strip() and not v.strip().upper().startswith(PLACEHOLDER) for v in values)


def ixc_pair(vault: Vault) -> tuple[str, str] | None:
    """IXC's API user and token, or None: without them the integrations are off."""
    found: Credential | None = vault.get(IXC_VAULT_KEY)
    if found is None or not filled(found.user, found.token):
        return None
    return found.user.strip(), found.token.strip()


def flashman_login(vault: Vault) -> tuple[str, str] | None:
    """Flashman's login and password, or None (the signal then comes from IXC only)."""
    found = vault.get(FLASHMAN_VAULT_KEY)
    if found is None or not filled(found.login, found.password):
        return None
    return found.login.strip(), found.password.strip()
