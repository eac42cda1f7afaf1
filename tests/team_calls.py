"""Real calls played on the fixture pack into a real history (the team tests' seats).

:func:`play` walks a flow through :class:`~mutum_copilot.call.LiveCall` the way an
agent does (a value typed, option 1 unless told otherwise) and finishes it;
:data:`RESOLVED` and :data:`OS` are the two calls of ``senha-wifi`` the tests use,
with their hand-known exit nodes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from mutum_copilot.call import LiveCall
from mutum_copilot.clock import FrozenClock
from mutum_copilot.history import HistoryStore
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.triage.engine import Triage

FIXTURE = Path(__file__).resolve().parent / "packs" / "fixture"
CPF = "529.982.247-25"
PHONE = "(65) 99988-7766"
#: senha-wifi, told "it connects" at the end: resolved at fim_resolvido.
RESOLVED = ("Maria Souza", CPF, "4821", "P-1", "1", "relato", "1", "1", "1", "1")
#: senha-wifi, "it does not connect": an OS for N1 at fim_os_nao_conecta (phones asked).
OS = ("João Lima", CPF, "4822", "P-2", "1", "relato", "1", "1", "1", "2", PHONE, "(65) 3308-1020")
EXITS = {RESOLVED: ("fim_resolvido", "resolved"), OS: ("fim_os_nao_conecta", "os_n1")}

_pack: Pack | None = None


def fixture_pack() -> Pack:
    global _pack
    if _pack is None:
        _pack = load_pack(FIXTURE)
    return _pack


def new_call(
    history: HistoryStore | None, clock: FrozenClock, agent: str, pack: Pack | None = None
) -> LiveCall:
    pack = pack or fixture_pack()
    triage = Triage(pack, clock)
    return LiveCall(triage, history, clock, agent=agent, pack_id=pack.id, pack_version=pack.version)


def play(
    call: LiveCall,
    answers: Sequence[str],
    *,
    flow: str = "senha-wifi",
    clock: FrozenClock | None = None,
    step_s: float = 20,
    finish: bool = True,
) -> LiveCall:
    """Walk ``flow`` with ``answers`` (then option 1), ``step_s`` apart; finish at its end."""
    view = call.start_flow(flow)
    queue = list(answers)
    while not view.ended and call.session is not None and len(call.session.answers) < 40:
        if clock is not None:
            clock.advance(seconds=step_s)
        answer = queue.pop(0) if queue else "1"
        if view.choices:
            view = call.choose(int(answer))
        elif view.value is not None:
            view = call.enter(answer)
        else:
            view = call.proceed()
    if finish:
        if clock is not None:
            clock.advance(seconds=step_s)
        call.finish(confirmed=True)
    return call


def seat_night(
    history: HistoryStore, agent: str, start: dt.datetime, calls: Sequence[Sequence[str]]
) -> list[LiveCall]:
    """``calls`` played one after the other from ``start``, five minutes apart."""
    clock = FrozenClock(start)
    played = []
    for answers in calls:
        played.append(play(new_call(history, clock, agent), answers, clock=clock))
        clock.advance(minutes=5)
    return played
