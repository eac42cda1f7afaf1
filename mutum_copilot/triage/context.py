"""The call's context values and the live names texts can refer to.

The shared opening collects who is calling and about which contract; those
values have fixed names so the TUI can show them in a panel (and let the agent
correct them), and the OS note can put them at the top. Flows may ask for any
other value too; these are the ones with a meaning outside the flow.

Texts refer to values with ``{call.<name>}`` and to the live N1 clock with
``{n1.<name>}``; the loader refuses any other name in those two namespaces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


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


CONTEXT: tuple[ContextField, ...] = (
    ContextField("customer_name", "Cliente", "text"),
    ContextField("cpf", "CPF", "cpf"),
    ContextField("contract", "Contrato", "text"),
    ContextField("pppoe", "Usuário PPPoE", "text"),
    ContextField("protocol", "Protocolo", "text"),
    ContextField(
        "area",
        "Área",
        "choice",
        options=(("urbana", "urbana (fibra óptica)"), ("rural", "rural (rádio)")),
    ),
    ContextField("report", "Relato do cliente", "text"),
    ContextField("phones", "Telefones atualizados", "phones"),
)
CONTEXT_BY_NAME: Mapping[str, ContextField] = MappingProxyType({f.name: f for f in CONTEXT})

#: ``{n1.<name>}``: live values of the N1 clock, computed when the text is shown.
N1_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "status": 'the status label, e.g. "fechado, volta amanhã às 07:30"',
        "back": 'when N1 is back, e.g. "segunda às 07:30, horário de Mato Grosso (GMT-4)"',
        "sla": "the instant the last-resort SLA (rules.sla_last_resort_working_hours) ends",
    }
)
