"""Minimisation: only what a supervisor needs leaves the seat, and never a customer's number.

Everything pushed to the team store passes through :func:`minimise_call` or
:func:`minimise_search` first (the store calls them; nothing else writes
there). Why each rule:

- CPFs are masked the project's way (``***.456.789-**``, :func:`mask_cpfs_in`);
  CNPJs keep the same middle digits (``**.345.678/****-**``); phones and any
  other long run of digits (a mistyped CPF, a card) become stars, so an agent
  who searched "2 via 529.982.247-25" or pasted a phone into a value sends no
  number a person could be found by.
- The finished OS note carries the customer's phones: it is sent only when the
  config opts in (``team.sync_note_texts``), and never for an unfinished call.
- Control characters are stripped (:mod:`mutum_copilot.safetext`): PostgreSQL
  refuses NUL, and the store feeds terminals and spreadsheets.
- Overlong texts are cut: a pasted page is not a search term.

:func:`query_key` is how FAQ gaps are grouped: the folded content words of the
scrubbed query (mutum_copilot.textnorm), each masked number as its kind, sorted.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from mutum_copilot.safetext import clean, clean_line
from mutum_copilot.team.records import FaqSearch, TeamCall, TeamStep, TeamSubject
from mutum_copilot.textnorm import content_norms
from mutum_copilot.triage.formats import mask_cpfs_in

_R = TypeVar("_R", TeamCall, TeamSubject, TeamStep, FaqSearch)
MAX_QUERY = 200
MAX_FIELD = 500
MAX_NOTE = 20_000

_CNPJ = re.compile(r"(?<![\d*])\d{2}[.\s]?\d{3}[.\s]?\d{3}[/\s]?\d{4}[\-\s]?\d{2}(?!\d)")
# +55, a DDD in parentheses or not (with the 0 of long distance), 8 or 9 digits.
_PHONE = re.compile(
    r"(?<![\d*/])(?:\+?55[\s.\-]?)?(?:\(?0?\d{2}\)?[\s.\-]?)?9?\d{4}[\s.\-]?\d{4}"
    r"(?![\d*]|[\-/]\d)"  # not a date: 2026 2026-12-01
)
# Whatever is left with nine digits or more, separators allowed between them.
_LONG_NUMBER = re.compile(r"(?<![\d*])\d(?:[\s.\-]?\d){8,}(?![\d*])")
_DIGIT = re.compile(r"\d")
_MASKED_CPF = re.compile(r"\*{3}\.\d{3}\.\d{3}-\*{2}")
_MASKED_CNPJ = re.compile(r"\*{2}\.\d{3}\.\d{3}/\*{4}-\*{2}")
_MASKED_OTHER = re.compile(r"[(+]?\*[*\d\s().\-/]*")

#: Outcome buckets of the reports (disjoint: an OS counts as an OS even when forwarded).
CATEGORIES = ("resolved", "os", "forwarded", "open", "other")
_RESOLVED = frozenset({"resolved", "informed"})


def _stars(match: re.Match[str]) -> str:
    return _DIGIT.sub("*", match.group(0))


def _cnpj(match: re.Match[str]) -> str:
    digits = _DIGIT.findall(match.group(0))
    return f"**.{''.join(digits[2:5])}.{''.join(digits[5:8])}/****-**"


def scrub_numbers(text: str) -> str:
    """``text`` with CPFs masked, CNPJs masked, and phones and other long numbers starred."""
    if not any(c.isdigit() for c in text):
        return text
    text = mask_cpfs_in(text)
    text = _CNPJ.sub(_cnpj, text)
    text = _PHONE.sub(_stars, text)
    return _LONG_NUMBER.sub(_stars, text)


def scrub_query(query: str) -> str:
    """A search query as the team store keeps it: one clean line, no number of a person."""
    return scrub_numbers(clean_line(query).strip())[:MAX_QUERY]


def query_key(scrubbed: str) -> str:
    """The group of a (scrubbed) query in the FAQ gaps: folded content words, sorted.

    "Segunda via BOLETO" and "boleto segunda via" are one gap; a masked CPF is
    the word "cpf" whatever its digits.
    """
    text = _MASKED_CPF.sub(" cpf ", scrubbed)
    text = _MASKED_CNPJ.sub(" cnpj ", text)
    text = _MASKED_OTHER.sub(" numero ", text)
    return " ".join(sorted(set(content_norms(text))))


def category(outcome: str, urgency: str) -> str:
    """The report bucket of a subject's end: ``os``, ``forwarded``, ``resolved``, ``open``...

    An end that registers an OS (``os_n1``, or a transfer that names an OS
    subject, which the seat records with an urgency) is an OS; the other
    transfers are forwarded; resolved and informed are resolved.
    """
    if not outcome or outcome == "open":
        return "open"
    if outcome == "os_n1" or urgency:
        return "os"
    if outcome.startswith("transfer"):
        return "forwarded"
    return "resolved" if outcome in _RESOLVED else "other"


def _line(text: str) -> str:
    if len(text) <= MAX_FIELD and text.isprintable():  # no control, format or separator char
        return text
    return clean_line(text)[:MAX_FIELD]


def _replaced(record: _R, **changes: Any) -> _R:
    """``record`` with ``changes``; the same object when nothing changes (the usual case)."""
    if all(getattr(record, k) == v for k, v in changes.items()):
        return record
    return dataclasses.replace(record, **changes)


def _step(step: TeamStep) -> TeamStep:
    return _replaced(
        step,
        node_id=_line(step.node_id),
        node_title=_line(step.node_title),
        answer=scrub_numbers(_line(step.answer)),
        value=scrub_numbers(_line(step.value)),
        verdict=_line(step.verdict),
        n1_state=_line(step.n1_state),
        call_center_state=_line(step.call_center_state),
    )


def _subject(subject: TeamSubject) -> TeamSubject:
    return _replaced(
        subject,
        flow_id=_line(subject.flow_id),
        flow_title=_line(subject.flow_title),
        outcome=_line(subject.outcome),
        urgency=_line(subject.urgency),
        exit_node=_line(subject.exit_node),
    )


def minimise_call(call: TeamCall, *, note_texts: bool = False) -> TeamCall:
    """``call`` as it may leave the seat; the note text only if opted in and finished."""
    keep_note = note_texts and call.finished_at is not None
    return _replaced(
        call,
        agent=_line(call.agent),
        pack_id=_line(call.pack_id),
        pack_version=_line(call.pack_version),
        seat=_line(call.seat),
        subjects=tuple(_subject(s) for s in call.subjects),
        steps=tuple(_step(s) for s in call.steps),
        note_text=mask_cpfs_in(clean(call.note_text))[:MAX_NOTE] if keep_note else "",
    )


def minimise_search(search: FaqSearch) -> FaqSearch:
    """``search`` as it may leave the seat: the query scrubbed, ids and names cleaned."""
    return _replaced(
        search,
        query=scrub_query(search.query),
        agent=_line(search.agent),
        pack_id=_line(search.pack_id),
        pack_version=_line(search.pack_version),
        seat=_line(search.seat),
        shown=tuple(_line(i) for i in search.shown),
        opened=tuple(_line(i) for i in search.opened),
    )
