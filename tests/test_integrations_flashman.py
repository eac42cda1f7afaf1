"""The Flashman client over real HTTP against the fake API v2."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes.flashman_server import NEVER_KEPT, FakeFlashman

from mutum_copilot.integrations.errors import (
    MalformedReplyError,
    NotFoundError,
    RefusedError,
    UnreachableError,
)
from mutum_copilot.integrations.flashman import FlashmanClient, api_base
from mutum_copilot.integrations.http import Endpoint


def client(fake: FakeFlashman, *, password: str = "", timeout: float = 2.0) -> FlashmanClient:
    return FlashmanClient(
        Endpoint("Flashman", api_base(fake.url), fake.user, password or fake.secret, timeout)
    )


def test_the_device_of_a_login_is_its_exact_match_read_fresh(flashman: FakeFlashman) -> None:
    flashman.add("A4:33:D7:10:C2:5F", "maria.souza2", rx=-30.0)
    flashman.add("A4:33:D7:10:C2:60", "maria.souza", rx=-19.5, tx=2.3)
    with client(flashman) as fm:
        found = fm.device_for_login("maria.souza")
    assert found is not None and found.id == "A4:33:D7:10:C2:60"
    assert (found.rx_dbm, found.tx_dbm, found.connection_type) == (-19.5, 2.3, "pppoe")
    assert found.last_contact == dt.datetime(2026, 11, 20, 23, 10, tzinfo=dt.UTC)
    assert found.wan_up_time == 5400
    search, registry = flashman.seen
    assert search.method == "PUT" and search.path == "/api/v2/device/search"
    assert search.body == {"filter_list": "maria.souza"} and search.query["limit"] == ["10"]
    assert registry.method == "GET" and registry.path.endswith("A4%3A33%3AD7%3A10%3AC2%3A60")
    assert NEVER_KEPT not in repr(found)


def test_a_simple_search_user_finds_by_exact_login(flashman: FakeFlashman) -> None:
    flashman.complex_search = False
    flashman.add("A4:33:D7:10:C2:60", "Maria.Souza")
    with client(flashman) as fm:
        assert fm.device_for_login("maria.souza") is not None
        assert fm.device_for_login("maria") is None


def test_no_device_is_none_and_a_missing_registry_not_found(flashman: FakeFlashman) -> None:
    with client(flashman) as fm:
        assert fm.device_for_login("ninguem") is None
        assert fm.device_for_login("a,b") is None  # Flashman would split it into two terms
        with pytest.raises(NotFoundError):
            fm.get("00:00:00:00:00:00")


def test_wrong_password_and_no_api_permission_are_refusals(flashman: FakeFlashman) -> None:
    with pytest.raises(RefusedError, match="401"), client(flashman, password="errada") as fm:
        fm.search("x")
    flashman.api_access = False
    with pytest.raises(RefusedError, match="grantAPIAccess"), client(flashman) as fm:
        fm.search("x")


def test_faults(flashman: FakeFlashman) -> None:
    flashman.faults.malformed = True
    with pytest.raises(MalformedReplyError), client(flashman) as fm:
        fm.search("x")
    flashman.faults.malformed = False
    flashman.faults.slow = 1.0
    with pytest.raises(UnreachableError), client(flashman, timeout=0.2) as fm:
        fm.search("x")
    assert len(flashman.requests_to("PUT", "/api/v2/device/search")) == 3  # 1 + one retry


def test_signals_that_cannot_be_are_dropped(flashman: FakeFlashman) -> None:
    flashman.add("A4:33:D7:10:C2:60", "ana", rx=None, tx=None, pon_rxpower="-99")
    with client(flashman) as fm:
        found = fm.device_for_login("ana")
    assert found is not None and found.rx_dbm is None and found.tx_dbm is None
