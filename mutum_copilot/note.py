"""The OS note: the plain text the agent pastes into IXC at the end of a call.

A supervisor reads it to know, without asking anyone, who called about which
contract, what the customer said, what was done (each step with its answer
and every measured value), what the checks concluded, how it ended and who to
call back. So it is plain text in short lines (at most :data:`WIDTH`
characters), with no box drawing, tabs or symbols that break when pasted into
IXC's text box, and it shows the time in both zones, since the agent works in
Brasília time and the provider in Mato Grosso time.

A call is one customer and one or more subjects (flows). The note of a call
with several subjects has the customer's header once, then one section per
subject (its report, procedures, checks and outcome); :func:`build_call_note`
can also give one note per subject, for an agent who opens one OS each.

A CPF only ever exists masked in the session, so the note can only show it
masked. Phones are in the note on purpose: the note is where they must be.
Every text goes through :func:`mutum_copilot.safetext.clean`: a note is
pasted into another system and must carry no control character.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import datetime

from mutum_copilot.knowledge.facts import FactTable
from mutum_copilot.safetext import clean
from mutum_copilot.shift import n1_calendar
from mutum_copilot.triage.context import ContextField, by_name, context_fields
from mutum_copilot.triage.engine import FlowPack
from mutum_copilot.triage.models import OUTCOME_LABELS, AskNode, Flow, ValueNode, display_title
from mutum_copilot.triage.render import N1Clock, fill_text, show_value
from mutum_copilot.triage.replay import Position, Step, replay
from mutum_copilot.triage.session import Session

WIDTH = 72
HEADER_FIELDS = ("customer_name", "cpf", "contract", "pppoe", "area")


def build_note(
    pack: FlowPack,
    session: Session,
    now: datetime,
    *,
    n1: N1Clock | None = None,
    agent: str = "",
) -> str:
    """The note for ``session`` as it stands at ``now`` (the call may still be going on)."""
    return build_call_note(pack, [session], session.notes, now, n1=n1, agent=agent)[0]


def build_call_note(
    pack: FlowPack,
    subjects: Sequence[Session],
    notes: str,
    now: datetime,
    *,
    n1: N1Clock | None = None,
    agent: str = "",
    per_subject: bool = False,
    started_at: datetime | None = None,
) -> list[str]:
    """The note of a call of one or more subjects: one note, or one per subject.

    The header (who, which contract, when) comes from the call's latest values
    (the last subject carries them all); each subject gets its own section. A
    call with no subject yet (only notes) still has a note.
    """
    facts = pack.facts
    zone = facts.provider.time_zone
    fields = by_name(context_fields(facts))
    places = [replay(pack.flows[s.flow_id], s, zone, fields) for s in subjects]
    values = places[-1].values if places else {}
    start = started_at or (subjects[0].started_at if subjects else now)
    head: list[str] = [f"Atendimento {facts.call_center.name} - {facts.provider.name}"]
    head += _field("Protocolo", values.get("protocol", "não informado"))
    head += _times(start, pack)
    if agent:
        head += _field("Atendente", agent)
    for name in HEADER_FIELDS:
        if values.get(name) and name in fields:
            head += _field(fields[name].label, show_value(name, values[name], fields))
    several = len(subjects) > 1
    sections = []
    for number, (session, where) in enumerate(zip(subjects, places, strict=True), start=1):
        title = pack.flows[session.flow_id].title
        if several:
            label = f"Assunto {number} de {len(subjects)}" if per_subject else f"Assunto {number}"
            section = ["", *_field(label, title)]
        else:
            section = _field("Fluxo", title)
        section += _subject(pack, session.flow_id, where, fields, phones=not several)
        sections.append(section)
    tail: list[str] = []
    if several:
        phones = values.get("phones")
        if phones or any(_opens_os(w) for w in places):
            tail += ["", *_field("Telefones atualizados", phones or "não informados")]
    if not places:
        tail += ["", *_field("Resultado", "nenhum assunto escolhido ainda")]
    last = places[-1] if places else None
    tail += _field("N1 no turno", _n1_line(last, places, pack, now, n1))
    if notes.strip():
        tail += ["", "Observações do atendente:", *_paragraphs(notes)]
    if not per_subject or len(sections) < 2:
        body = [line for section in sections for line in section]
        return [_text([*head, *body, *tail])]
    return [_text([*head, *section, *tail]) for section in sections]


def _text(lines: list[str]) -> str:
    return clean("\n".join(lines) + "\n")


def _subject(
    pack: FlowPack,
    flow_id: str,
    where: Position,
    fields: Mapping[str, ContextField],
    *,
    phones: bool,
) -> list[str]:
    """One subject's report, procedures, checks and outcome."""
    flow: Flow = pack.flows[flow_id]
    values = where.values
    lines: list[str] = []
    if values.get("report"):
        lines += ["", "Relato do cliente:", *_paragraphs(values["report"])]
    steps = [s for s in where.steps if _shown(flow, s, fields)]
    if steps:
        lines += ["", "Procedimentos:"]
        lines += [line for s in steps for line in _bullet(_step_text(s))]
    checks = [s for s in where.steps if _checked(flow, s)]
    if checks:
        lines += ["", "Verificações:"]
        for step in checks:
            verdict = step.verdict_text or "não informado"
            text = (
                f"{step.title}: {step.value}, {verdict}"
                if step.value
                else f"{step.title}: {verdict}"
            )
            lines += _bullet(text)
    lines.append("")
    lines += _outcome(pack, where, fields, phones=phones)
    return lines


def _opens_os(where: Position) -> bool:
    return where.ended and bool(where.node.opens_os)


def _field(label: str, value: str) -> list[str]:
    return textwrap.wrap(
        f"{label}: {value}", WIDTH, subsequent_indent="  ", break_on_hyphens=False
    ) or [f"{label}:"]


def _bullet(text: str) -> list[str]:
    return textwrap.wrap(f"- {text}", WIDTH, subsequent_indent="  ", break_on_hyphens=False)


def _paragraphs(text: str) -> list[str]:
    """The agent's own line breaks kept; long lines wrapped."""
    found: list[str] = []
    for line in text.strip().splitlines():
        found += textwrap.wrap(line.strip(), WIDTH, break_on_hyphens=False) or [""]
    return found


def _times(started: datetime, pack: FlowPack) -> list[str]:
    center, provider = pack.facts.call_center, pack.facts.provider
    first = started.astimezone(center.time_zone)
    second = started.astimezone(provider.time_zone)
    return [
        f"Data: {first:%d/%m/%Y %H:%M} {center.time_zone_label}",
        f"      {second:%d/%m/%Y %H:%M} {provider.time_zone_label}",
    ]


def _shown(flow: Flow, step: Step, fields: Mapping[str, ContextField]) -> bool:
    """Steps worth a line: not automatic, not a call value already in the header."""
    if step.auto:
        return False
    node = flow.nodes[step.node_id]
    if isinstance(node, ValueNode):
        return node.value.name not in fields
    if isinstance(node, AskNode):
        chosen = next((c for c in node.choices if c.label == step.answer), None)
        return chosen is None or not chosen.assign or not set(chosen.assign) <= set(fields)
    return True


def _step_text(step: Step) -> str:
    if step.kind == "info":
        return step.title
    return f"{step.title}: {step.answer}"


def _checked(flow: Flow, step: Step) -> bool:
    node = flow.nodes[step.node_id]
    return isinstance(node, ValueNode) and node.check_spec is not None


def _outcome(
    pack: FlowPack, where: Position, fields: Mapping[str, ContextField], *, phones: bool = True
) -> list[str]:
    if not where.ended:
        lines = _field("Resultado", f"em andamento (etapa atual: {display_title(where.node)})")
        known = where.values.get("phones")
        return lines + (_field("Telefones atualizados", known) if phones and known else [])
    end = where.node
    lines = _field("Resultado", OUTCOME_LABELS[end.outcome])
    if end.opens_os:
        subject = fill_text(end.os_subject, FactTable(pack.facts), where.values, {}, fields)
        lines += _field("Urgência", end.effective_urgency)
        lines += _field("Assunto da OS", subject)
    if end.then_flow in pack.flows:
        lines += _field("Seguir pelo fluxo", pack.flows[end.then_flow].title)
    known = where.values.get("phones")
    if phones and (known or end.opens_os):
        lines += _field("Telefones atualizados", known or "não informados")
    return lines


def _n1_line(
    where: Position | None,
    places: Sequence[Position],
    pack: FlowPack,
    now: datetime,
    n1: N1Clock | None,
) -> str:
    """The N1 status recorded when a flow last asked the clock, else the status at ``now``."""
    recorded = [s for w in places for s in w.steps if s.kind == "shift"]
    if where is not None:
        recorded = [s for s in where.steps if s.kind == "shift"] or recorded
    if recorded:
        last = recorded[-1]
        return f"{'sim' if last.verdict == 'on_shift' else 'não'} ({last.value})"
    status = (n1 or n1_calendar(pack.facts)).status(now)
    return f"{'sim' if status.on_shift else 'não'} ({status.label})"
