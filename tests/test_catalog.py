"""Several packs in one copilot: the catalog, the one resolver, and a second provider.

The second provider is the fictional Rio Negro Net (``tests/packs/amazonas``):
Manaus, America/Manaus, other N1 hours, fees and holidays, areas of its own,
and none of Mutum Fibra's own rules.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.clock import FrozenClock
from mutum_copilot.config import Settings, load_settings
from mutum_copilot.errors import ConfigError, PackError
from mutum_copilot.holiday_table import HolidayTable
from mutum_copilot.note import build_note
from mutum_copilot.packs.catalog import Catalog, UnknownPackError, load_catalog, load_configured
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.services import build_services
from mutum_copilot.shift import ShiftClock

PACKS = Path(__file__).parent / "packs"
AMAZONAS = PACKS / "amazonas"
FIXTURE = PACKS / "fixture"
BRT = ZoneInfo("America/Sao_Paulo")
MANAUS = ZoneInfo("America/Manaus")
#: Tuesday 24/11/2026 10:00 in Brasília: 09:00 in Manaus and in Mato Grosso.
TUESDAY_MORNING = dt.datetime(2026, 11, 24, 10, 0, tzinfo=BRT)
CLOCK = FrozenClock(TUESDAY_MORNING)


def two_packs(default_id: str | None = None) -> Catalog:
    return load_catalog([FIXTURE, AMAZONAS], CLOCK, default_id=default_id)


def test_the_second_provider_loads_with_its_own_facts() -> None:
    pack = load_pack(AMAZONAS)
    assert (pack.id, pack.version) == ("rio-negro-net", "2026.11.30")
    facts = pack.facts
    assert facts.provider.time_zone.key == "America/Manaus"
    assert facts.holidays is not None and facts.holidays.subdivision == "AM"
    assert [a.value for a in facts.areas] == ["cidade", "ribeirinha"]
    assert facts.rules.trust_unlock_days is None  # not every provider has Mutum's rules
    assert set(pack.flows) == {"sem-conexao", "financeiro"} and len(pack.faq) == 5


def test_catalog_keeps_the_configured_order_and_the_first_is_the_default() -> None:
    catalog = two_packs()
    assert catalog.ids == ("fixture-fibra", "rio-negro-net")
    assert catalog.default.id == "fixture-fibra" and not catalog.preset
    assert two_packs("rio-negro-net").default.id == "rio-negro-net"


def test_an_unknown_id_is_refused_with_the_nearest_one() -> None:
    catalog = two_packs()
    with pytest.raises(UnknownPackError, match='você quis dizer "rio-negro-net"'):
        catalog.get("rio-negro")
    with pytest.raises(UnknownPackError, match="Provedores: fixture-fibra, rio-negro-net"):
        two_packs("rionegro")


def test_two_packs_with_the_same_id_are_refused(tmp_path: Path) -> None:
    copy = tmp_path / "copia"
    shutil.copytree(AMAZONAS, copy)
    with pytest.raises(PackError) as caught:
        load_catalog([AMAZONAS, copy], CLOCK)
    (problem,) = caught.value.problems
    assert problem.path == str(copy / "pack.yaml") and problem.key == "id"
    assert '"rio-negro-net" já é de outro pacote' in problem.message
    assert str(AMAZONAS) in problem.message


def test_every_broken_pack_is_reported_at_once(tmp_path: Path) -> None:
    broken = tmp_path / "quebrado"
    shutil.copytree(AMAZONAS, broken)
    (broken / "pack.yaml").write_text("id: outro\nname: [\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_catalog([FIXTURE, broken, tmp_path / "nenhum"], CLOCK)
    paths = {p.path for p in caught.value.problems}
    assert str(broken / "pack.yaml") in paths and str(tmp_path / "nenhum") in paths


def test_search_without_a_call_covers_every_pack_and_labels_each_hit() -> None:
    hits = two_packs().search("visita improdutiva", limit=5)
    by_pack = {h.pack_id: h for h in reversed(hits)}  # each pack's best hit
    assert set(by_pack) == {"fixture-fibra", "rio-negro-net"}
    assert by_pack["rio-negro-net"].provider == "Rio Negro Net"
    assert "R$ 60,00" in by_pack["rio-negro-net"].entry.say
    assert "R$ 40,00" in by_pack["fixture-fibra"].entry.say
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_search_within_a_call_covers_only_its_pack() -> None:
    hits = two_packs().search("visita improdutiva", limit=5, pack_id="rio-negro-net")
    assert hits and {h.pack_id for h in hits} == {"rio-negro-net"}
    with pytest.raises(UnknownPackError):
        two_packs().search("visita", pack_id="nenhum")


def test_each_pack_has_its_own_shift_clock() -> None:
    catalog = two_packs()
    mutum = catalog.get("fixture-fibra").shift_clock
    rio = catalog.get("rio-negro-net").shift_clock
    assert isinstance(rio, ShiftClock)
    # 09:00 on a Tuesday in both zones, but Rio Negro's N1 has other hours.
    assert rio.n1_status().at.tzinfo == MANAUS
    assert rio.n1_status().label == "no turno até 12:00 (GMT-4)"
    assert mutum.n1_status().label == "no turno até 11:30 (GMT-4)"


def test_the_second_provider_closes_on_its_own_state_holidays() -> None:
    catalog = two_packs()
    saturday = dt.datetime(2026, 9, 5, 10, 0, tzinfo=BRT)  # a holiday in Amazonas only
    rio = catalog.get("rio-negro-net").shift_clock.n1_status(saturday)
    mutum = catalog.get("fixture-fibra").shift_clock.n1_status(saturday)
    assert rio.state == "holiday" and "Elevação do Amazonas" in (rio.holiday_name or "")
    assert mutum.on_shift
    extra = dt.datetime(2026, 10, 24, 10, 0, tzinfo=BRT)  # the pack's own extra closure
    assert catalog.get("rio-negro-net").shift_clock.n1_status(extra).holiday_name == (
        "Aniversário de Manaus"
    )


def test_a_call_of_the_second_provider_to_an_end_and_its_note() -> None:
    entry = two_packs().get("rio-negro-net")
    triage = entry.triage()
    assert [f.options for f in triage.context_fields if f.name == "area"] == [
        (("cidade", "cidade (fibra óptica)"), ("ribeirinha", "comunidade ribeirinha (rádio)"))
    ]
    session = triage.start("sem-conexao")
    for answer in ("Joana Lima", "7731", "20261124-0042"):
        session = triage.enter(session, answer)
    session = triage.choose(session, 1)  # cidade (fibra óptica)
    assert triage.preview(session, "-27").verdict == "outside"  # its range is -14 to -24
    assert triage.preview(session, "-22").verdict == "inside"
    session = triage.enter(session, "-27")
    session = triage.enter(session, "(92) 99111-2233")
    view = triage.view(session)  # N1 on shift at 09:00 in Manaus: straight on
    assert "Já encaminhei" in view.say
    session = triage.proceed(session)
    assert triage.position(session).ended
    note = build_note(entry.pack, session, TUESDAY_MORNING, n1=entry.shift_clock.n1)
    assert note.startswith("Atendimento UPCALL - Rio Negro Net\n")
    assert "      24/11/2026 09:00 horário de Manaus (GMT-4)" in note
    assert "Área: cidade (fibra óptica)" in note
    assert "Assunto da OS: Sem conexão - cidade (fibra óptica) (RX -27 dBm)" in note
    assert "Telefones atualizados: (92) 99111-2233" in note


def test_config_naming_both_packs_builds_the_services(tmp_path: Path) -> None:
    shutil.copytree(AMAZONAS, tmp_path / "pacotes" / "rio")
    config = tmp_path / "cfg" / "config.yaml"
    config.parent.mkdir()
    # a relative folder is read from the config's own folder
    config.write_text(
        f"knowledge:\n  - {FIXTURE}\n  - ../pacotes/rio\nprovider: rio-negro-net\n",
        encoding="utf-8",
    )
    settings = load_settings(config)
    services = build_services(
        settings, clock=CLOCK, with_history=False, vault_path=tmp_path / "secrets.yaml"
    )
    assert services.catalog.ids == ("fixture-fibra", "rio-negro-net")
    assert services.pack.id == "rio-negro-net"  # the seat's preset
    assert services.pack.root == tmp_path / "pacotes" / "rio"
    assert services.search is services.catalog.default.search
    assert services.shift_clock.n1.zone == MANAUS


def test_an_unknown_preset_is_a_config_problem_with_its_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"agent_name: Ana\nknowledge: [{FIXTURE}, {AMAZONAS}]\nprovider: rio-negro\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_configured(load_settings(config), None, CLOCK)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.key) == (str(config), 3, "provider")
    assert 'você quis dizer "rio-negro-net"' in problem.message


def test_knowledge_on_the_command_line_overrides_the_packs_and_the_preset() -> None:
    settings = Settings(knowledge=(str(FIXTURE),), provider="fixture-fibra")
    catalog = load_configured(settings, AMAZONAS, CLOCK)
    assert catalog.ids == ("rio-negro-net",) and catalog.default.id == "rio-negro-net"


def test_nothing_configured_means_the_bundled_pack() -> None:
    assert load_configured(Settings(), None, CLOCK).ids == ("mutum-fibra",)


def test_reloading_one_pack_keeps_the_others_and_the_default(tmp_path: Path) -> None:
    folder = tmp_path / "rio"
    shutil.copytree(AMAZONAS, folder)
    catalog = load_catalog([FIXTURE, folder], CLOCK, default_id="rio-negro-net")
    provider = folder / "provider.yaml"
    provider.write_text(
        provider.read_text(encoding="utf-8").replace("amount: 60.00", "amount: 65.00"),
        encoding="utf-8",
    )
    reloaded = catalog.with_pack(load_pack(folder))
    assert reloaded.ids == catalog.ids and reloaded.default.id == "rio-negro-net"
    assert reloaded.get("fixture-fibra") is catalog.get("fixture-fibra")
    hit = reloaded.search("visita improdutiva", 1, pack_id="rio-negro-net")[0]
    assert "R$ 65,00" in hit.entry.say


def test_services_reload_swaps_the_default_pack_parts(tmp_path: Path) -> None:
    folder = tmp_path / "rio"
    shutil.copytree(AMAZONAS, folder)
    services = build_services(
        Settings(), knowledge=folder, clock=CLOCK, with_history=False,
        vault_path=tmp_path / "secrets.yaml",
    )  # fmt: skip
    provider = folder / "provider.yaml"
    provider.write_text(
        provider.read_text(encoding="utf-8").replace("amount: 60.00", "amount: 65.00"),
        encoding="utf-8",
    )
    services.reload_pack(load_pack(folder))
    assert "R$ 65,00" in services.search.search("visita improdutiva", 1)[0].entry.say
    assert services.catalog.default.pack is services.pack


def cached_years(folder: Path) -> set[str]:
    """The holiday years a seat's cache file holds (``BR/AM/2026``...)."""
    (path,) = folder.glob("holidays-*.json")
    return set(json.loads(path.read_text(encoding="utf-8"))["years"])


def test_every_pack_and_a_reloaded_one_keep_the_seats_holiday_table(tmp_path: Path) -> None:
    folder = tmp_path / "rio"
    shutil.copytree(AMAZONAS, folder)
    table = HolidayTable.in_folder(tmp_path / "cache")
    catalog = load_catalog([FIXTURE, folder], CLOCK, holidays=table)
    assert catalog.get("rio-negro-net").shift_clock.n1_status().on_shift
    assert cached_years(tmp_path / "cache") == {"BR/AM/2026"}
    catalog.get("fixture-fibra").shift_clock.call_center_status(dt.datetime(2027, 1, 4, tzinfo=BRT))
    assert cached_years(tmp_path / "cache") == {"BR/AM/2026", "BR/MT/2027"}
    reloaded = catalog.with_pack(load_pack(folder))
    reloaded.get("rio-negro-net").shift_clock.n1_status(dt.datetime(2028, 1, 4, tzinfo=BRT))
    assert "BR/AM/2028" in cached_years(tmp_path / "cache")


def test_services_keep_holidays_in_the_users_cache_unless_told_not_to(
    tmp_path: Path, user_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def n1_now() -> None:
        services = build_services(
            Settings(), knowledge=AMAZONAS, clock=CLOCK, with_history=False,
            vault_path=tmp_path / "secrets.yaml",
        )  # fmt: skip
        assert services.shift_clock.n1_status().on_shift

    cache = user_home / ".cache" / "mutum-copilot"
    monkeypatch.setenv("MUTUM_COPILOT_NO_HOLIDAY_CACHE", "1")
    n1_now()
    assert not cache.exists()
    monkeypatch.delenv("MUTUM_COPILOT_NO_HOLIDAY_CACHE")
    n1_now()
    assert cached_years(cache) == {"BR/AM/2026"}
