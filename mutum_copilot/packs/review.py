"""Knowledge that says when it is stale: FAQ entries and flows overdue for review.

Every FAQ entry and every flow carries ``verified_on``, the day a supervisor
last checked it against the provider's document; ``pack.yaml`` says how long
that holds (``review_interval_days``, 90 by default). An item is overdue once
more days than the interval have passed: verified on 24/11/2026 with 90 days,
it is due on 22/02/2027 and overdue from 23/02/2027.

``check`` lists the overdue items as a warning (the pack stays valid) and the
team's ``report`` lists them too; both call :func:`stale_knowledge`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from mutum_copilot.packs.model import Pack


@dataclass(frozen=True)
class StaleItem:
    """One FAQ entry or flow overdue for review, and where it is written."""

    kind: Literal["faq", "flow"]
    id: str
    #: The entry's question or the flow's title.
    title: str
    verified_on: dt.date
    #: The last day the check still holds (``verified_on`` + the interval).
    due_on: dt.date
    #: Days past ``due_on`` on the day asked about (1 on the first overdue day).
    overdue_days: int
    path: str
    line: int


def due_on(verified_on: dt.date, interval_days: int) -> dt.date:
    """The last day a check made on ``verified_on`` still holds."""
    return verified_on + dt.timedelta(days=interval_days)


def pack_today(pack: Pack, now: dt.datetime) -> dt.date:
    """The provider's date at the aware instant ``now`` (its own time zone decides the day)."""
    return now.astimezone(pack.facts.provider.time_zone).date()


def stale_knowledge(pack: Pack, today: dt.date) -> list[StaleItem]:
    """Every FAQ entry and flow of ``pack`` overdue for review on ``today``, most overdue first."""
    interval = pack.meta.review_interval_days
    found: list[StaleItem] = []
    for entry in pack.faq:
        due = due_on(entry.verified_on, interval)
        if today > due:
            found.append(
                StaleItem(
                    "faq",
                    entry.id,
                    entry.question,
                    entry.verified_on,
                    due,
                    (today - due).days,
                    entry.origin.path,
                    entry.origin.line_of("verified_on"),
                )
            )
    for flow in pack.flows.values():
        if flow.verified_on is None:
            continue
        due = due_on(flow.verified_on, interval)
        if today > due:
            found.append(
                StaleItem(
                    "flow",
                    flow.id,
                    flow.title,
                    flow.verified_on,
                    due,
                    (today - due).days,
                    flow.path,
                    flow.verified_line,
                )
            )
    found.sort(key=lambda item: (-item.overdue_days, item.kind, item.path, item.line))
    return found


def describe_stale(item: StaleItem) -> str:
    """One pt-BR line for a supervisor: what, verified when, overdue since when."""
    what = "FAQ" if item.kind == "faq" else "fluxo"
    days = f"{item.overdue_days} dia" + ("s" if item.overdue_days != 1 else "")
    return (
        f"{what} {item.id} ({item.title}): verificado em {item.verified_on:%d/%m/%Y}, "
        f"revisão venceu em {item.due_on:%d/%m/%Y} (há {days})"
    )
