"""Which pack a call uses (packs/choice.py) and reloading every pack (packs/reload.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from mutum_copilot.clock import FrozenClock
from mutum_copilot.packs.catalog import Catalog, load_catalog
from mutum_copilot.packs.choice import (
    can_pick,
    entry_for_call,
    needs_pick,
    pick_keys,
    provider_states,
)
from mutum_copilot.packs.reload import reload_catalog

PACKS = Path(__file__).resolve().parent / "packs"
FIXTURE, AMAZONAS = PACKS / "fixture", PACKS / "amazonas"
NIGHT = dt.datetime(2026, 11, 24, 23, 10, tzinfo=ZoneInfo("America/Sao_Paulo"))


def catalog(*dirs: Path, default: str | None = None) -> Catalog:
    return load_catalog(list(dirs), FrozenClock(NIGHT), default_id=default)


def test_one_pack_never_picks_and_several_pick_unless_preset() -> None:
    assert not needs_pick(catalog(FIXTURE)) and not can_pick(catalog(FIXTURE))
    assert needs_pick(catalog(FIXTURE, AMAZONAS))
    preset = catalog(FIXTURE, AMAZONAS, default="rio-negro-net")
    assert not needs_pick(preset) and can_pick(preset)
    keys = [(key, entry.id) for key, entry in pick_keys(preset)]
    assert keys == [("1", "fixture-fibra"), ("2", "rio-negro-net")]


def test_a_recorded_call_resumes_with_its_own_pack_only() -> None:
    both = catalog(FIXTURE, AMAZONAS)
    found = entry_for_call(both, "rio-negro-net")
    assert found is not None and found.id == "rio-negro-net"
    old_row = entry_for_call(both, "")
    assert old_row is not None and old_row.id == "fixture-fibra"  # the default pack
    assert entry_for_call(catalog(FIXTURE), "rio-negro-net") is None


def test_each_provider_has_its_own_n1_state_and_zone() -> None:
    states = {s.pack_id: s for s in provider_states(catalog(FIXTURE, AMAZONAS), NIGHT)}
    assert "07:30" in states["fixture-fibra"].status.label
    assert "08:00" in states["rio-negro-net"].status.label
    assert states["rio-negro-net"].zone == "GMT-4"
    assert f"{states['rio-negro-net'].local:%H:%M}" == "22:10"


def test_reload_diffs_each_pack_and_refuses_a_broken_one(tmp_path: Path) -> None:
    fibra, river = tmp_path / "fixture", tmp_path / "amazonas"
    shutil.copytree(FIXTURE, fibra)
    shutil.copytree(AMAZONAS, river)
    both = catalog(fibra, river)
    provider = river / "provider.yaml"
    provider.write_text(provider.read_text(encoding="utf-8").replace("60.00", "75.00"))
    first, second = reload_catalog(both)
    assert first.new is not None and not first.changed
    assert second.changed and second.diff is not None and len(second.diff.facts) == 1
    provider.write_text(provider.read_text(encoding="utf-8").replace("75.00", "muito"))
    _, broken = reload_catalog(both)
    assert broken.new is None and broken.refused is not None
    assert broken.old.id == "rio-negro-net"
