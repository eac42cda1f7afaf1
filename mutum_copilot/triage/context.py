"""The call's context values and the live names texts can refer to.

The shared opening collects who is calling and about which contract; those
values have fixed names so the TUI can show them in a panel (and let the agent
correct them), and the OS note can put them at the top. Flows may ask for any
other value too; these are the ones with a meaning outside the flow.

Texts refer to values with ``{call.<name>}`` and to the live N1 clock with
``{n1.<name>}``; the loader refuses any other name in those two namespaces.

The fields are the pack's: most are the same for every provider, but the
area (urban fiber, rural radio...) and its labels come from the pack's
``areas`` (see :func:`context_fields`); a pack without areas has no area field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from mutum_copilot.knowledge.models import Facts


@dataclass(frozen=True)
class ContextField:
    """A named value of the call, shown in the context panel and the note header."""

    name: str
    label: str
    kind: str
    #: For ``choice`` fields: ``(value, label)`` pairs the value must be one of.
    options: tuple[tuple[str, str], ...] = ()

    @property
    def personal(self) -> bool:
        """Dropped from the saved session once the call ends (it lives on in the note)."""
        return self.kind in ("phone", "phones")

    def option_label(self, value: str) -> str:
        return dict(self.options).get(value, value)


AREA = "area"
_BEFORE_AREA: tuple[ContextField, ...] = (
    ContextField("customer_name", "Cliente", "text"),
    ContextField("cpf", "CPF", "cpf"),
    ContextField("contract", "Contrato", "text"),
    ContextField("pppoe", "Usuário PPPoE", "text"),
    ContextField("protocol", "Protocolo", "text"),
)
_AFTER_AREA: tuple[ContextField, ...] = (
    ContextField("report", "Relato do cliente", "text"),
    ContextField("phones", "Telefones atualizados", "phones"),
)


def context_fields(facts: Facts) -> tuple[ContextField, ...]:
    """The call values of a pack, in the order the panel and the note show them."""
    if not facts.areas:
        return (*_BEFORE_AREA, *_AFTER_AREA)
    options = tuple((a.value, a.label) for a in facts.areas)
    area = ContextField(AREA, "Área", "choice", options=options)
    return (*_BEFORE_AREA, area, *_AFTER_AREA)


def by_name(fields: tuple[ContextField, ...]) -> Mapping[str, ContextField]:
    """``fields`` keyed by name, read-only."""
    return MappingProxyType({f.name: f for f in fields})


#: The rule ``{n1.sla}`` counts its working hours from (optional, like every rule).
SLA_RULE = "rules.sla_last_resort_working_hours"

#: ``{n1.<name>}``: live values of the N1 clock, computed when the text is shown.
N1_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "status": 'the status label, e.g. "fechado, volta amanhã às 07:30"',
        "back": 'when N1 is back, e.g. "segunda às 07:30, horário de Mato Grosso (GMT-4)"',
        "sla": "the instant the last-resort SLA (rules.sla_last_resort_working_hours) ends",
    }
)
