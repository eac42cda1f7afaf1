"""How an FAQ entry shows the credentials it needs: masked, or where to put them."""

from __future__ import annotations

from mutum_copilot.knowledge.models import Facts
from mutum_copilot.vault import MASK, Vault, masked_login


def credential_lines(vault: Vault, facts: Facts, revealed: str = "") -> dict[str, str]:
    """One line per vault key of the pack's systems; ``revealed`` shows that key in full."""
    lines: dict[str, str] = {}
    for system in facts.systems.values():
        key = system.vault_key
        if not key:
            continue
        credential = vault.get(key)
        if credential is None:
            lines[key] = (
                f"{system.name}: credencial fora do cofre. Cadastre a chave '{key}' "
                f"em {vault.path} (modelo: secrets.example.yaml; chmod 600)."
            )
            continue
        if key == revealed:
            login, password = credential.login, credential.password
        else:
            login, password = masked_login(credential.login), MASK
        extra = f" · {credential.note}" if credential.note else ""
        lines[key] = (
            f"{system.name}: login {login} · senha {password}{extra}  "
            "(v mostra por 5 s · ctrl+k copia a senha)"
        )
    return lines
