"""The optional ``integrations:`` section of ``provider.yaml``: where IXC and Flashman live.

A pack that talks to the provider's systems says here where they are and which
IXC ids an OS needs for each triage outcome (subject, sectors, branch). The
ids are the provider's own (``su_oss_assunto``, ``su_ticket_setor``,
``empresa_setor``, ``filial``) and no document gives them, so a pack can carry
the URLs alone: lookups work, and "abrir no IXC" stays off until the ids come.

Credentials never appear here: they live in the agent's vault (``ixc_api``,
``flashman``). The problems ``check`` reports for this section are in
Portuguese, since supervisors read them (see docs/integrations.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mutum_copilot.yamlkit.structs import Origin, origin_field
from mutum_copilot.yamlkit.suggest import suggest

#: The triage outcomes, as ``triage.models.Outcome`` lists them (knowledge cannot
#: import triage; a test keeps both lists equal).
OUTCOMES = ("resolved", "os_n1", "transfer_commercial", "transfer_financial", "informed")
#: The ids an outcome needs and the IXC field each one fills.
ID_FIELDS = {
    "subject_id": "id_assunto (su_oss_assunto)",
    "ticket_sector_id": "id_ticket_setor (su_ticket_setor)",
    "os_sector_id": "setor (empresa_setor)",
}
_URL = re.compile(r"https?://[^\s/?#]+(?:/[^\s?#]*)?", re.IGNORECASE)


def parse_url(value: Any) -> str:
    """An ``http(s)://host[/path]`` address, without a trailing slash."""
    if not isinstance(value, str) or not _URL.fullmatch(value.strip()):
        raise ValueError(
            "endereço inválido: use http:// ou https:// e o nome do servidor, "
            "ex.: https://ixc.exemplo.com.br"
        )
    return value.strip().rstrip("/")


def parse_ixc_id(value: Any) -> int:
    """An IXC record id: a whole number from 1 up, as IXC's screens show it."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"um id do IXC é um número inteiro, ex.: 12; veio {value!r}")
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"um id do IXC é um número inteiro a partir de 1, ex.: 12; veio {text!r}")
    return int(text)


def parse_outcome(value: Any) -> str:
    if value in OUTCOMES:
        return str(value)
    hint = suggest(str(value), OUTCOMES)
    raise ValueError(
        f'desfecho desconhecido "{value}"{hint}; os desfechos são: {", ".join(OUTCOMES)}'
    )


def _id_field() -> Any:
    return field(default=0, metadata={"parse": parse_ixc_id})


@dataclass(frozen=True)
class IxcOutcomeIds:
    """The IXC ids of the ticket and OS opened when a call ends with ``outcome``."""

    outcome: str = field(default="", metadata={"parse": parse_outcome})
    subject_id: int = _id_field()
    """``id_assunto``: the subject of the ticket and of the OS (table ``su_oss_assunto``)."""
    ticket_sector_id: int = _id_field()
    """``id_ticket_setor``: the ticket's department (table ``su_ticket_setor``)."""
    os_sector_id: int = _id_field()
    """``setor``: the OS's sector (table ``empresa_setor``)."""
    branch_id: int = _id_field()
    """``id_filial``: the branch, when it is not the section's ``branch_id``."""
    origin: Origin = origin_field()

    def __post_init__(self) -> None:
        if not self.outcome:
            raise ValueError(f"falta o desfecho (outcome: um de {', '.join(OUTCOMES)})")
        missing = [
            f"{name} ({what})" for name, what in ID_FIELDS.items() if not getattr(self, name)
        ]
        if missing:
            raise ValueError(
                f'faltam ids do IXC para o desfecho "{self.outcome}": {", ".join(missing)}'
            )


@dataclass(frozen=True)
class IxcPackSettings:
    """Where the provider's IXC webservice is, and the OS ids per outcome."""

    url: str = field(default="", metadata={"parse": parse_url})
    """The IXC server, e.g. ``https://ixc.provedor.com.br``; the API is under /webservice/v1."""
    branch_id: int = _id_field()
    """``id_filial`` of every OS, unless an outcome names its own."""
    outcomes: tuple[IxcOutcomeIds, ...] = ()
    origin: Origin = origin_field()

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for ids in self.outcomes:
            if ids.outcome in seen:
                raise ValueError(f'o desfecho "{ids.outcome}" aparece duas vezes em outcomes')
            seen.add(ids.outcome)
        unbranched = [i.outcome for i in self.outcomes if not (i.branch_id or self.branch_id)]
        if unbranched:
            raise ValueError(
                "falta o id da filial (branch_id, campo id_filial do IXC) para: "
                + ", ".join(unbranched)
                + "; ponha branch_id na seção ixc ou em cada desfecho"
            )

    def ids_for(self, outcome: str) -> IxcOutcomeIds | None:
        return next((i for i in self.outcomes if i.outcome == outcome), None)

    def branch_for(self, ids: IxcOutcomeIds) -> int:
        return ids.branch_id or self.branch_id


@dataclass(frozen=True)
class FlashmanPackSettings:
    """Where the provider's Flashman is (its API v2 is under /api/v2)."""

    url: str = field(default="", metadata={"parse": parse_url})


@dataclass(frozen=True)
class Integrations:
    """``integrations:`` in provider.yaml; every part optional."""

    ixc: IxcPackSettings = IxcPackSettings()
    flashman: FlashmanPackSettings = FlashmanPackSettings()
