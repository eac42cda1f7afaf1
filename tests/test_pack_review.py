"""Knowledge that says when it is stale: ``stale_knowledge`` and the warning of ``check``.

The second provider's pack reviews every 60 days; its FAQ entry
``visita-improdutiva`` was verified on 01/09/2026 and its flow ``financeiro``
on 01/06/2026, everything else on 30/11/2026.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mutum_copilot.cli import main
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.packs.review import describe_stale, due_on, pack_today, stale_knowledge

AMAZONAS = Path(__file__).parent / "packs" / "amazonas"


@pytest.fixture(scope="module")
def rio() -> Pack:
    return load_pack(AMAZONAS)


def test_an_entry_is_overdue_the_day_after_its_interval(rio: Pack) -> None:
    assert due_on(dt.date(2026, 9, 1), 60) == dt.date(2026, 10, 31)
    on_due_day = stale_knowledge(rio, dt.date(2026, 10, 31))
    assert [i.id for i in on_due_day] == ["financeiro"]
    next_day = stale_knowledge(rio, dt.date(2026, 11, 1))
    assert [(i.kind, i.id, i.overdue_days) for i in next_day] == [
        ("flow", "financeiro", 93),
        ("faq", "visita-improdutiva", 1),
    ]


def test_each_item_says_where_it_is_written(rio: Pack) -> None:
    items = {i.id: i for i in stale_knowledge(rio, dt.date(2026, 12, 1))}
    for item in items.values():
        lines = Path(item.path).read_text(encoding="utf-8").splitlines()
        assert lines[item.line - 1].strip() == f"verified_on: {item.verified_on.isoformat()}"
    faq = items["visita-improdutiva"]
    assert (faq.title, faq.verified_on, faq.due_on) == (
        "Quanto custa a visita técnica improdutiva?",
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 31),
    )


def test_nothing_is_stale_within_the_interval(rio: Pack) -> None:
    assert stale_knowledge(rio, dt.date(2026, 7, 31)) == []


def test_the_interval_is_the_packs(tmp_path: Path) -> None:
    folder = tmp_path / "rio"
    shutil.copytree(AMAZONAS, folder)
    meta = folder / "pack.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("review_interval_days: 60\n", ""),
        encoding="utf-8",
    )  # the default: 90 days
    assert [i.id for i in stale_knowledge(load_pack(folder), dt.date(2026, 11, 1))] == [
        "financeiro"
    ]


def test_today_is_the_providers_date(rio: Pack) -> None:
    late = dt.datetime(2026, 11, 1, 3, 30, tzinfo=dt.UTC)  # 31/10 23:30 in Manaus
    assert pack_today(rio, late) == dt.date(2026, 10, 31)
    midnight_brt = dt.datetime(2026, 11, 1, 0, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
    assert pack_today(rio, midnight_brt) == dt.date(2026, 10, 31)


def test_check_lists_overdue_knowledge_as_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(AMAZONAS), "--today", "2026-12-01"]) == 0  # still valid
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith(f"{AMAZONAS}: ok: Rio Negro Net")
    assert "aviso: 2 itens com revisão vencida em 01/12/2026 (revisar a cada 60 dias" in lines[1]
    assert lines[2].strip() == (
        f"{AMAZONAS / 'flows' / 'financeiro.yaml'}:5: fluxo financeiro (Financeiro): "
        "verificado em 01/06/2026, revisão venceu em 31/07/2026 (há 123 dias)"
    )
    assert "FAQ visita-improdutiva" in lines[3] and "(há 31 dias)" in lines[3]


def test_check_says_nothing_when_all_is_fresh(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(AMAZONAS), "--today", "2026-07-01"]) == 0
    assert "aviso" not in capsys.readouterr().out


def test_check_refuses_a_bad_today(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(AMAZONAS), "--today", "01/12/2026"]) == 2
    assert "AAAA-MM-DD" in capsys.readouterr().err


def test_a_flow_without_a_date_is_skipped_not_the_end_of_the_list(rio: Pack) -> None:
    # Files must say verified_on; a flow built in code may not (Flow.verified_on is optional).
    flows = dict(rio.flows)
    flows["financeiro"] = replace(flows["financeiro"], verified_on=None)
    flows["sem-conexao"] = replace(flows["sem-conexao"], verified_on=dt.date(2026, 1, 5))
    pack = replace(rio, flows={"financeiro": flows["financeiro"], **flows})
    assert next(iter(pack.flows)) == "financeiro"
    assert [i.id for i in stale_knowledge(pack, dt.date(2026, 7, 1))] == ["sem-conexao"]


@pytest.mark.parametrize(
    ("today", "ago"), [("2026-11-01", "há 1 dia"), ("2026-11-02", "há 2 dias")]
)
def test_one_day_overdue_is_said_in_the_singular(rio: Pack, today: str, ago: str) -> None:
    (item,) = (i for i in stale_knowledge(rio, dt.date.fromisoformat(today)) if i.kind == "faq")
    assert describe_stale(item) == (
        "FAQ visita-improdutiva (Quanto custa a visita técnica improdutiva?): verificado em "
        f"01/09/2026, revisão venceu em 31/10/2026 ({ago})"
    )
