"""The triage engine: start a flow, answer, go back, and see where the call stands.

Pure Python driven by the loaded pack; the TUI and the tests call it the same
way. Every operation takes a :class:`Session` and returns a new one (sessions
are immutable values), so the TUI can save the result after every step and
undo is exact. Time comes from the injected ``now`` callable; the N1 clock is
injected too (the pack's N1 calendar by default).

Automatic nodes never stop the agent: after each step the engine evaluates
branch and shift nodes and records their verdicts, so a restored session is
replayed exactly as it was lived. :meth:`Triage.back` undoes the last human
step together with the automatic steps that followed it, and leaves the
undone answer in the box (a draft) ready to confirm or edit. While the step
right after a shift node is on screen, :meth:`Triage.refresh` follows the live
N1 clock: if N1 closes (or opens) meanwhile, the step changes with it.

A call may have several subjects: :meth:`Triage.start` with the values the
call already knows answers the first steps that ask for them (the opening:
name, CPF, contract, protocol, area) as *carried* answers, so the agent is not
asked again; going back to one of them edits it.

Whatever the agent types or pastes is kept without control characters
(:mod:`mutum_copilot.safetext`) and with every CPF or CNPJ masked, whatever
the field (:func:`~mutum_copilot.triage.formats.mask_documents`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from mutum_copilot.errors import InputError
from mutum_copilot.knowledge.facts import FactTable
from mutum_copilot.knowledge.models import Facts
from mutum_copilot.safetext import clean, clean_line
from mutum_copilot.shift import n1_calendar
from mutum_copilot.triage.checks import MISSING, Reading, read_value
from mutum_copilot.triage.context import ContextField, by_name, context_fields
from mutum_copilot.triage.formats import mask_documents
from mutum_copilot.triage.models import AskNode, BranchNode, Flow, InfoNode, ShiftNode, ValueNode
from mutum_copilot.triage.render import N1Clock, fill_text, n1_texts
from mutum_copilot.triage.replay import Position, Step, replay
from mutum_copilot.triage.session import Answer, ContextEdit, Draft, Session, SessionError
from mutum_copilot.triage.views import Preview, StepView, build_view
from mutum_copilot.yamlkit.suggest import suggest

PERSONAL_KINDS = ("phone", "phones")
#: Context values that belong to one subject, not to the call: the customer's
#: report is about this subject; everything else (who, which contract, protocol,
#: area, phones) is the call's and carries over to its next subject.
SUBJECT_VALUES = frozenset({"report"})


def new_uid() -> str:
    """A globally unique id (uuid4 hex) for a call, a subject or a step."""
    return uuid.uuid4().hex


class FlowPack(Protocol):
    """What the engine needs of a pack (a :class:`~mutum_copilot.packs.model.Pack`)."""

    @property
    def facts(self) -> Facts: ...

    @property
    def flows(self) -> Mapping[str, Flow]: ...


class Triage:
    """Walks the flows of one pack; holds no call state (that is the Session)."""

    def __init__(
        self, pack: FlowPack, now: Callable[[], dt.datetime], n1: N1Clock | None = None
    ) -> None:
        self.pack = pack
        self.now = now
        self.n1: N1Clock = n1 if n1 is not None else n1_calendar(pack.facts)
        self.table = FactTable(pack.facts)
        self.zone = pack.facts.provider.time_zone
        self._context = context_fields(pack.facts)
        self._context_by_name = by_name(self._context)

    # --- flows ---------------------------------------------------------------------
    @property
    def flows(self) -> Mapping[str, Flow]:
        return self.pack.flows

    @property
    def context_fields(self) -> tuple[ContextField, ...]:
        """The call values the context panel shows, in order (the pack's areas included)."""
        return self._context

    @property
    def call_fields(self) -> tuple[ContextField, ...]:
        """The context values that belong to the call and carry across its subjects."""
        return tuple(f for f in self._context if f.name not in SUBJECT_VALUES)

    def flow(self, flow_id: str) -> Flow:
        flow = self.flows.get(flow_id)
        if flow is None:
            raise InputError(f'fluxo desconhecido "{flow_id}"{suggest(flow_id, self.flows)}')
        return flow

    # --- reading a session ---------------------------------------------------------
    def position(self, session: Session) -> Position:
        return replay(self.flow(session.flow_id), session, self.zone, self._context_by_name)

    def view(self, session: Session) -> StepView:
        """The current step with its texts filled: what the TUI shows."""
        flow = self.flow(session.flow_id)
        where = replay(flow, session, self.zone, self._context_by_name)
        can_back = any(not a.auto for a in session.answers)
        draft = session.draft if session.draft and session.draft.node == where.node.id else None
        return build_view(flow, where, can_back, lambda text: self._fill(text, where.values), draft)

    def path(self, session: Session) -> tuple[Step, ...]:
        """Every recorded step, automatic ones included, with answers and verdicts."""
        return self.position(session).steps

    def values(self, session: Session) -> Mapping[str, str]:
        """Every call value known now (context panel edits included)."""
        return self.position(session).values

    def live(self) -> dict[str, str]:
        """The ``{n1.*}`` texts right now."""
        facts = self.pack.facts
        hours = facts.rules.sla_last_resort_working_hours
        texts = n1_texts(self.n1, self.now(), hours or 0, facts.provider.time_zone_label)
        if hours is None:  # a pack without the rule: check refuses {n1.sla} in its texts
            del texts["sla"]
        return texts

    def fill(self, session: Session, text: str) -> str:
        """Any text with facts, this call's values and the live N1 values filled."""
        return self._fill(text, self.values(session))

    def _fill(self, text: str, values: Mapping[str, str]) -> str:
        live = self.live() if "{n1." in text else {}
        return fill_text(text, self.table, values, live, self._context_by_name)

    # --- moving --------------------------------------------------------------------
    def start(self, flow_id: str, carry: Session | Mapping[str, str] | None = None) -> Session:
        """A new session (subject) of ``flow_id``.

        ``carry``: the call's values (or the session of its previous subject).
        The call-level ones are kept, and the first steps that ask for one the
        call already knows are answered with it (``carried``), so the same
        customer is not asked again; the agent goes back to one to edit it.
        A session given as ``carry`` also hands over its notes.
        """
        self.flow(flow_id)
        notes = ""
        known: Mapping[str, str] = {}
        if isinstance(carry, Session):
            known, notes = self.values(carry), carry.notes
        elif carry is not None:
            known = carry
        shared = {f.name: known[f.name] for f in self.call_fields if known.get(f.name)}
        edits = tuple(
            ContextEdit(f.name, shared[f.name], 0, f.personal)
            for f in self.call_fields
            if f.name in shared
        )
        session = Session(flow_id, self._now(), (), notes, edits, uid=new_uid())
        return self._carry(self._advance(session), shared)

    def _carry(self, session: Session, known: Mapping[str, str]) -> Session:
        """Answer the leading steps the call already knows, until one it does not."""
        flow = self.flow(session.flow_id)
        for _ in range(len(flow.nodes) + 1):
            node = replay(flow, session, self.zone, self._context_by_name).node
            answer: Answer | None = None
            if isinstance(node, ValueNode) and known.get(node.value.name):
                try:
                    reading = self._known_reading(node, known[node.value.name])
                except InputError:
                    return session
                answer = self._answer(
                    node.id,
                    value=reading.text,
                    verdict=reading.verdict,
                    personal=node.value.kind in PERSONAL_KINDS,
                    carried=True,
                )
            elif isinstance(node, AskNode):
                number = next(
                    (
                        i
                        for i, c in enumerate(node.choices, start=1)
                        if c.assign
                        and all(k in known and known[k] == v for k, v in c.assign.items())
                    ),
                    None,
                )
                if number is not None:
                    answer = self._answer(node.id, choice=number, carried=True)
            if answer is None:
                return session
            session = self._record(session, answer)
        return session

    def _known_reading(self, node: ValueNode, text: str) -> Reading:
        """A value the call already holds (a masked CPF is taken as it is)."""
        if node.value.kind == "cpf":
            return Reading(text)
        return self._read(node, text)

    def _answer(self, node: str, **fields: Any) -> Answer:
        return Answer(node, self._now(), uid=new_uid(), **fields)

    def choose(self, session: Session, number: int) -> Session:
        """Pick choice ``number`` (1-based, as the number keys) of the current question."""
        node = self._current(session, AskNode, "uma pergunta")
        if not 1 <= number <= len(node.choices):
            raise InputError(f"escolha um número de 1 a {len(node.choices)}")
        return self._record(session, self._answer(node.id, choice=number))

    def proceed(self, session: Session) -> Session:
        """Go on from an information step."""
        node = self._current(session, InfoNode, "uma orientação")
        return self._record(session, self._answer(node.id))

    def enter(self, session: Session, text: str) -> Session:
        """Record a typed value; InputError (pt-BR) if it is not usable, nothing recorded."""
        node = self._current(session, ValueNode, "um valor")
        text = clean_line(text)
        if not text.strip():
            if not node.value.optional:
                raise InputError(f"informe: {node.value.label}")
            return self._record(session, self._answer(node.id, value=None, verdict=MISSING))
        known = {self.values(session).get(node.value.name)}
        if session.draft is not None and session.draft.kept and session.draft.node == node.id:
            known.add(session.draft.text)  # the answer it had before going back: confirmed
        if node.value.kind == "cpf" and text.strip() in known:  # a masked CPF, kept as is
            reading = Reading(text.strip())
        else:
            reading = self._read(node, text)
        personal = node.value.kind in PERSONAL_KINDS
        answer = self._answer(
            node.id, value=reading.text, verdict=reading.verdict, personal=personal
        )
        return self._record(session, answer)

    def with_draft(self, session: Session, text: str) -> Session:
        """Keep what is typed in the current step's box (CPFs masked, controls stripped)."""
        node = self.position(session).node
        if not isinstance(node, ValueNode):
            return session if session.draft is None else replace(session, draft=None)
        shown = mask_documents(clean_line(text))
        if session.draft == Draft(node.id, shown, session.draft.kept if session.draft else False):
            return session
        kept = session.draft is not None and session.draft.kept and session.draft.text == shown
        return replace(session, draft=Draft(node.id, shown, kept))

    def skip(self, session: Session) -> Session:
        """Leave an optional value empty (its verdict is "missing")."""
        return self.enter(session, "")

    def preview(self, session: Session, text: str) -> Preview:
        """The live verdict of a value being typed; never raises for bad input."""
        node = self._current(session, ValueNode, "um valor")
        text = clean_line(text)
        if not text.strip():
            return Preview(False, "", "")
        draft = session.draft
        if node.value.kind == "cpf" and draft and draft.kept and draft.text == text.strip():
            return Preview(True, text.strip(), "")
        try:
            reading = self._read(node, text)
        except InputError as exc:
            return Preview(False, str(exc), "")
        return Preview(True, reading.message, reading.verdict)

    def back(self, session: Session, steps: int = 1) -> Session:
        """Undo the last ``steps`` human steps (and the automatic ones after each).

        The step returned to shows the answer it had, ready to confirm or edit:
        a value in its box, a choice highlighted (a kept draft).
        """
        answers = list(session.answers)
        undone: Answer | None = None
        for _ in range(steps):
            human = [i for i, a in enumerate(answers) if not a.auto]
            if not human:
                break
            undone = answers[human[-1]]
            answers = answers[: human[-1]]
        back = self._truncated(session, tuple(answers))
        if undone is None:
            return back
        if undone.choice is not None:
            return replace(back, draft=Draft(undone.node, str(undone.choice), kept=True))
        if undone.value:
            return replace(back, draft=Draft(undone.node, undone.value, kept=True))
        return replace(back, draft=None)

    def refresh(self, session: Session) -> Session:
        """Follow the live N1 clock while the step right after a shift node is on screen.

        If the shift verdict recorded when the step was reached no longer holds
        (N1 closed, or opened, meanwhile), the shift node is evaluated again and
        the call moves to the step for the state N1 is in now. Returns the same
        session when nothing changed.
        """
        answers = session.answers
        last_human = max((i for i, a in enumerate(answers) if not a.auto), default=-1)
        flow = self.flow(session.flow_id)
        for index in range(len(answers) - 1, last_human, -1):
            answer = answers[index]
            if isinstance(flow.nodes.get(answer.node), ShiftNode):
                live = "on_shift" if self.n1.status(self._now()).on_shift else "off_shift"
                if live == answer.verdict:
                    return session
                return self._advance(self._truncated(session, answers[:index]))
        return session

    def restart(self, session: Session) -> Session:
        """The same flow from its first step; notes and panel edits stay."""
        return self._advance(self._truncated(session, ()))

    def set_context(self, session: Session, name: str, text: str) -> Session:
        """Set (or with empty ``text``, clear) a call value from the context panel."""
        field = self._context_by_name.get(name)
        if field is None:
            raise InputError(f'valor desconhecido "{name}"{suggest(name, self._context_by_name)}')
        edits = tuple(e for e in session.edits if e.name != name)
        if text.strip():
            value = self._context_value(field, text)
            edits += (ContextEdit(name, value, len(session.answers), field.personal),)
        return replace(session, edits=edits)

    def with_notes(self, session: Session, notes: str) -> Session:
        """The agent's free notes; a CPF typed in them is kept masked."""
        return session.with_notes(clean_notes(notes))

    def restore(self, data: Mapping[str, Any]) -> Session:
        """A saved session, checked against today's flows; SessionError if it no longer fits."""
        session = Session.from_dict(data)
        if session.flow_id not in self.flows:
            raise SessionError(f'o fluxo "{session.flow_id}" não existe mais')
        return self._advance(session)

    # --- internals -----------------------------------------------------------------
    def _now(self) -> dt.datetime:
        moment = self.now()
        if moment.tzinfo is None:
            raise ValueError("the clock must return aware datetimes")
        return moment

    def _today(self) -> dt.date:
        return self._now().astimezone(self.zone).date()

    def _current(self, session: Session, kind: type, what: str) -> Any:
        node = self.position(session).node
        if not isinstance(node, kind):
            raise InputError(f"a etapa atual não é {what}")
        return node

    def _read(self, node: ValueNode, text: str) -> Reading:
        reading = read_value(node.value.kind, clean_line(text), node.check_spec, self._today())
        return replace(reading, text=mask_documents(reading.text))  # whatever the field

    def _context_value(self, field: ContextField, text: str) -> str:
        if field.options:
            wanted = text.strip().lower()
            for value, label in field.options:
                if wanted in (value, label.lower()):
                    return value
            options = ", ".join(v for v, _ in field.options)
            raise InputError(f"{field.label}: escolha {options}")
        value = read_value(field.kind, clean_line(text), None, self._today()).text
        return mask_documents(value)  # a CPF typed as the contract or the protocol too

    def _truncated(self, session: Session, answers: tuple[Answer, ...]) -> Session:
        edits = tuple(replace(e, position=min(e.position, len(answers))) for e in session.edits)
        return replace(session, answers=answers, edits=edits)

    def _record(self, session: Session, answer: Answer) -> Session:
        """Add ``answer`` (its value masked once more: nothing stored sees a CPF), then go on."""
        if answer.value:
            answer = replace(answer, value=mask_documents(answer.value))
        return self._advance(replace(session, answers=(*session.answers, answer), draft=None))

    def _advance(self, session: Session) -> Session:
        """Evaluate and record automatic nodes until one needs the agent (or the end)."""
        flow = self.flow(session.flow_id)
        for _ in range(len(flow.nodes) + 1):
            where = replay(flow, session, self.zone, self._context_by_name)
            node = where.node
            if isinstance(node, BranchNode):
                verdict = where.values.get(node.on, "")
                answer = self._answer(node.id, value=verdict, verdict=verdict, auto=True)
            elif isinstance(node, ShiftNode):
                status = self.n1.status(self._now())
                verdict = "on_shift" if status.on_shift else "off_shift"
                answer = self._answer(node.id, value=status.label, verdict=verdict, auto=True)
            else:
                return session
            if not node.target(verdict):
                raise SessionError(f'a etapa "{node.id}" não tem caminho para "{verdict}"')
            session = replace(session, answers=(*session.answers, answer))
        raise SessionError(f'o fluxo "{flow.title}" ficou preso em etapas automáticas')


def clean_notes(notes: str) -> str:
    """Free notes as kept: paragraphs stay, control characters go, CPFs and CNPJs masked."""
    return mask_documents(clean(notes))
