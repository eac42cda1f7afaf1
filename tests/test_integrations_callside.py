"""The per-call lookup state: only the current query's result is applied; a late one is shown."""

from __future__ import annotations

import datetime as dt

from mutum_copilot.integrations.callside import CallLookup, key_for
from mutum_copilot.integrations.documents import LookupKey
from mutum_copilot.integrations.snapshot import CustomerSnapshot

READ = dt.datetime(2026, 11, 24, 23, 10, tzinfo=dt.UTC)


def key(name: str, text: str) -> LookupKey:
    found = key_for(name, text)
    assert found is not None
    return found


def snapshot(query: str) -> CustomerSnapshot:
    return CustomerSnapshot("cpf", query, "1", "Maria", query, (), READ)


def test_a_result_for_an_earlier_query_is_late_not_current() -> None:
    state = CallLookup()
    state.follow("call-1")
    first = state.ask(key("cpf", "529.982.247-25"))
    second = state.ask(key("cpf", "111.444.777-35"))
    assert first is not None and second == first + 1
    assert not state.arrived(first, snapshot("***.982.247-**"))
    assert state.snapshot is None and state.late is not None and state.pending
    assert state.arrived(second, snapshot("***.444.777-**"))
    assert state.snapshot is not None and state.late is None


def test_a_result_after_the_call_changed_is_late() -> None:
    state = CallLookup()
    state.follow("call-1")
    ticket = state.ask(key("cpf", "529.982.247-25"))
    assert state.follow("call-2")
    assert ticket is not None and not state.arrived(ticket, snapshot("***.982.247-**"))
    assert state.snapshot is None and state.late is not None
    assert not state.failed(ticket, "inacessível")  # an old failure is not told


def test_the_same_key_is_not_asked_twice_and_a_half_typed_cpf_is_no_key() -> None:
    state = CallLookup()
    assert state.ask(key("cpf", "529.982.247-25")) is not None
    assert state.ask(key("cpf", "CPF: 52998224725")) is None
    assert key_for("cpf", "52998") is None and key_for("report", "529.982.247-25") is None
    assert key_for("contract", "4821") is not None
