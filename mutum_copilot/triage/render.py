"""Fill a flow's texts: the pack's facts, the call's values and the live N1 clock.

Three kinds of names can appear between braces in a flow text:
- a fact of the pack, ``{fees.visit_city}`` (also a top-level one such as
  ``{payment_methods}``, which the FAQ's dotted-only syntax cannot reach);
- a value of this call, ``{call.protocol}``, shown as kept (a CPF masked);
- a live value of the N1 clock, ``{n1.back}``, computed when the text is shown.

``{n1.sla}`` is the last-resort "24 horas úteis" as a date, worded as an estimate
for the agent (it counts only N1's attendance hours). The provider allows saying
"24 horas úteis" and nothing more, so it belongs in a note, never in a say text
(the shipped pack's tests check that).

Filling is one pass over the text, so a value the agent typed is never read
as a reference itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from mutum_copilot.knowledge.facts import FactTable
from mutum_copilot.shift_format import format_sla_estimate, format_when
from mutum_copilot.triage.context import ContextField

TEXT_REFERENCE = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*)\}")
NOT_GIVEN = "(não informado)"


class N1Clock(Protocol):
    """What the engine needs of the N1 calendar (a :class:`~mutum_copilot.shift.ShiftCalendar`)."""

    def status(self, at: datetime) -> Any: ...

    def add_working_hours(self, at: datetime, hours: float) -> datetime: ...


def show_value(name: str, value: str, fields: Mapping[str, ContextField] | None = None) -> str:
    """A call value as a sentence shows it: a choice field (the pack's areas) by its label."""
    field = (fields or {}).get(name)
    return field.option_label(value) if field is not None and field.options else value


def n1_texts(clock: N1Clock, now: datetime, sla_hours: float, zone_label: str) -> dict[str, str]:
    """The ``{n1.*}`` values at ``now``."""
    status = clock.status(now)
    if status.on_shift:
        back = "agora (a equipe está no turno)"
    elif status.next_open is not None:
        back = f"{format_when(status.next_open, now)}, {zone_label}"
    else:
        back = "no próximo dia útil"
    try:
        deadline = clock.add_working_hours(now, sla_hours)
        sla = format_sla_estimate(deadline, now, sla_hours, zone_label)
    except ValueError:
        sla = f"{sla_hours:g} horas úteis (sem estimativa de data)"
    return {"status": status.label, "back": back, "sla": sla}


def fill_text(
    text: str,
    table: FactTable,
    values: Mapping[str, str] | None,
    live: Mapping[str, str],
    fields: Mapping[str, ContextField] | None = None,
) -> str:
    """``text`` with every known reference replaced; unknown ones stay as written.

    With ``values`` None (a flow shown outside any call) call values stay as
    written too, so a supervisor sees ``{call.rx}`` where the RX will go.
    ``fields``: the pack's context fields, so ``{call.area}`` shows its label.
    """
    if "{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        space, _, rest = name.partition(".")
        if space == "call":
            if values is None:
                return match.group(0)
            value = values.get(rest)
            return show_value(rest, value, fields) if value else NOT_GIVEN
        if space == "n1":
            return live.get(rest, match.group(0))
        return table.get(name) or match.group(0)

    return TEXT_REFERENCE.sub(replace, text)
