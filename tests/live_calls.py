"""Real LiveCalls on the frozen fixture pack, for the call tests: a builder and a walker.

A call is saved to a real SQLite file (or kept in memory with ``db=None``) and
played as an agent would: a choice per question, a value of the right kind per
box, Enter on the rest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from mutum_copilot.call import LiveCall
from mutum_copilot.clock import FrozenClock
from mutum_copilot.history import HistoryStore
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.views import StepView

FIXTURE = Path(__file__).resolve().parent / "packs" / "fixture"
#: Tuesday 24/11/2026 23:10 in Brasília: N1 closed.
NIGHT = dt.datetime(2026, 11, 24, 23, 10, tzinfo=ZoneInfo("America/Sao_Paulo"))
CPF, PHONE = "529.982.247-25", "(65) 99988-7766"
#: A value of each kind a step asks for.
VALUES = {
    "text": "Maria Souza",
    "cpf": CPF,
    "phones": PHONE,
    "date": "01/11/2026",
    "dbm": "-27",
    "mac4": "A1B2",
    "number": "3",
}


def new_call(pack: Pack, db: Path | None, clock: FrozenClock | None = None) -> LiveCall:
    """A call by the agent Ana, saved to ``db`` (None: no history)."""
    clock = clock or FrozenClock(NIGHT)
    store = HistoryStore(db) if db is not None else None
    return LiveCall(
        Triage(pack, clock), store, clock, agent="Ana", pack_id=pack.id, pack_version=pack.version
    )


def walk(call: LiveCall, view: StepView, pick: int = 1, stop: str = "") -> StepView:
    """Choice ``pick`` (or the first when there are fewer), values by kind, to the end
    (or to the node ``stop``)."""
    while not view.ended and view.node_id != stop:
        if view.kind == "ask":
            view = call.choose(pick if pick <= len(view.choices) else 1)
        elif view.kind == "value":
            assert view.value is not None
            view = call.enter(VALUES[view.value.kind])
        else:
            view = call.proceed()
    return view
