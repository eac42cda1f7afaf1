"""A pack format anyone can write: documented from the models, started by ``pack new``.

- docs/pack-format.md lists every key of every file; its tables are generated
  from the models, so a model field without a row, or a row for a key that does
  not exist, fails here (regenerate with ``python -m mutum_copilot.packs.schema``);
- a pack started with ``pack new`` validates once its required keys, and only
  those, are filled (with the doc's own examples);
- provider-specific rules, areas and holidays are optional sections, and a pack
  that lacks one is told so clearly by ``check``.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from mutum_copilot.cli import main
from mutum_copilot.errors import PackError, Problem
from mutum_copilot.knowledge import models
from mutum_copilot.packs import schema
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.template import pack_id_for, write_template
from mutum_copilot.shift import n1_calendar
from mutum_copilot.triage.context import context_fields

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "pack-format.md"
PACKS = Path(__file__).parent / "packs"
AMAZONAS = PACKS / "amazonas"
MINIMAL = PACKS / "minimal"


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


# --- the document cannot drift from the models -------------------------------------------
def test_the_key_tables_are_those_of_the_models() -> None:
    """Fails when a model gains a key the doc lacks, or the doc names one that is gone."""
    assert schema.render(doc_text()) == doc_text(), (
        "docs/pack-format.md is out of date: run "
        "`python -m mutum_copilot.packs.schema docs/pack-format.md` and describe the new rows"
    )


def test_every_table_of_the_models_is_in_the_doc_and_every_row_is_described() -> None:
    written = schema.documented(doc_text())
    assert set(written) == set(schema.tables())
    sections = ("mapping", "list of mappings", "list of nodes")
    for table, rows in written.items():
        for key, row in rows.items():
            assert row.description, f"{table}: {key} has no description"
            if not row.type.startswith(sections):
                assert row.example, f"{table}: {key} has no example"


def test_a_new_model_field_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above really looks at the models: a field added to Facts shows up."""

    @dataclasses.dataclass(frozen=True)
    class Grown(models.Facts):
        integrations: str = ""

    monkeypatch.setattr(models, "Facts", Grown)
    assert "integrations" in {r.key for r in schema.tables()["provider.yaml"]}
    assert schema.render(doc_text()) != doc_text()


def test_a_documented_key_that_does_not_exist_is_dropped() -> None:
    text = doc_text().replace(
        "| `provider.region_label` |",
        "| `provider.regiao` | text | no | | | Gone. |\n| `provider.region_label` |",
        1,
    )
    assert "provider.regiao" not in schema.render(text) and schema.render(text) != text


def test_required_and_defaults_follow_the_models() -> None:
    rows = {r.key: r for r in schema.tables()["provider.yaml"]}
    assert rows["provider.name"].required and rows["contacts.phone"].required
    assert not rows["rules"].required and not rows["rules.trust_unlock_days"].required
    assert not rows["holidays"].required and rows["holidays.subdivision"].required
    assert rows["areas[].label"].required and rows["areas"].default == "[]"
    assert {r.key: r for r in schema.tables()["pack.yaml"]}["review_interval_days"].default == "90"


# --- pack new ------------------------------------------------------------------------------
def empty_leaves(data: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the keys written without a value."""
    if not isinstance(data, dict):
        return []
    found = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if value is None:
            found.append(path)
        found += empty_leaves(value, f"{path}.")
    return found


def fill(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data[part]
    data[last] = value


def required_keys(table: str) -> dict[str, schema.KeyRow]:
    """The doc's required keys of ``table`` outside optional sections."""
    rows = schema.documented(doc_text())[table]
    optional = [k for k, r in rows.items() if not r.required]
    return {
        k: r
        for k, r in rows.items()
        if r.required and not any(k.startswith(f"{o}.") or k.startswith(f"{o}[]") for o in optional)
    }


def test_pack_new_asks_exactly_for_the_required_keys(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "Rio Negro"
    assert main(["pack", "new", str(folder)]) == 0
    assert "PREENCHA" in (folder / "provider.yaml").read_text(encoding="utf-8")
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    for name in ("pack.yaml", "provider.yaml"):
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        required = required_keys(name)
        leaves = empty_leaves(data)
        assert leaves and set(leaves) <= set(required)  # nothing optional is asked for
        written = {k for k in required if _has(data, k)}
        assert written == set(required)  # every required key is in the template
        for key in leaves:
            assert f"{folder / name}:" in err and f": {key}: " in err


def _has(data: Any, path: str) -> bool:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def test_pack_new_validates_after_filling_only_the_documented_required_keys(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "novo"
    write_template(folder)
    for name in ("pack.yaml", "provider.yaml"):
        path = folder / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        required = required_keys(name)
        for key in empty_leaves(data):
            example = required[key].example
            assert example, f"{name}: {key} needs an example in the doc"
            fill(data, key, yaml.safe_load(example))
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    pack = load_pack(folder)
    assert pack.id == "novo" and pack.meta.name == "Rio Negro Net"
    assert pack.facts.provider.time_zone.key == "America/Manaus"
    assert pack.facts.holidays is None and pack.facts.areas == () and not pack.flows
    assert main(["check", str(folder)]) == 0


def test_pack_new_never_overwrites(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cheia").mkdir()
    (tmp_path / "cheia" / "nota.txt").write_text("x", encoding="utf-8")
    assert main(["pack", "new", str(tmp_path / "cheia")]) == 2
    assert "já existe e não está vazia" in capsys.readouterr().err
    assert (tmp_path / "cheia" / "nota.txt").read_text(encoding="utf-8") == "x"


def test_pack_ids_come_from_the_folder_name() -> None:
    assert pack_id_for(Path("/x/Rio Negro_Net 2")) == "rio-negro-net-2"
    assert pack_id_for(Path("/x/___")) == "novo-pacote"


# --- optional sections ---------------------------------------------------------------------
def copy_of(tmp_path: Path, source: Path = AMAZONAS) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(source, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(folder: Path) -> list[Problem]:
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    return list(caught.value.problems)


def test_a_pack_without_the_trust_unlock_rule_is_valid() -> None:
    assert load_pack(AMAZONAS).facts.rules.trust_unlock_days is None


def test_a_step_that_checks_a_rule_the_pack_lacks_is_refused_clearly(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    flow = folder / "flows" / "financeiro.yaml"
    edit(flow, "        next: bloqueio\n", "        next: ultimo\n")
    edit(
        flow,
        "  - id: bloqueio\n",
        "  - id: ultimo\n    type: value\n"
        "    value: {name: ultimo_desbloqueio, kind: date, label: Último desbloqueio}\n"
        "    check: rules.trust_unlock_days\n    next: bloqueio\n  - id: bloqueio\n",
    )
    (problem,) = problems(folder)
    assert problem.path == str(flow) and problem.key == "ultimo.check"
    assert "este pacote não declara rules.trust_unlock_days" in problem.message
    assert main(["check", str(folder)]) == 2


def test_a_text_naming_a_fact_the_pack_lacks_is_refused_clearly(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    faq = folder / "faq" / "financeiro.yaml"
    edit(faq, "{rules.block_after_days} dias", "{rules.trust_unlock_days} dias")
    (problem,) = problems(folder)
    assert problem.key == "prazo-de-bloqueio.say"
    assert "{rules.trust_unlock_days}: este pacote não declara esse fato" in problem.message


def test_the_n1_deadline_needs_its_rule(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "provider.yaml", "  sla_last_resort_working_hours: 12\n", "")
    (problem,) = problems(folder)
    assert problem.path.endswith("_encaminhar-n1.yaml") and problem.key == "fora_do_turno.note"
    assert "rules.sla_last_resort_working_hours, que este pacote não declara" in problem.message


def test_holidays_need_country_and_state(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "provider.yaml", "  subdivision: AM\n", "")
    (problem,) = problems(folder)
    assert problem.key == "holidays.subdivision" and "falta a chave obrigatória" in problem.message


def test_an_unknown_state_is_found_at_load(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "provider.yaml", "  subdivision: AM\n", "  subdivision: XX\n")
    (problem,) = problems(folder)
    assert problem.key == "holidays" and "XX" in problem.message
    lines = (folder / "provider.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1] == "  subdivision: XX"


def test_without_holidays_no_public_holiday_applies(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    text = (folder / "provider.yaml").read_text(encoding="utf-8")
    (folder / "provider.yaml").write_text(text[: text.index("\nholidays:")], encoding="utf-8")
    calendar = n1_calendar(load_pack(folder).facts)
    assert dict(calendar.holidays_in(2026)) == {}


def test_areas_and_their_labels_come_from_the_pack(tmp_path: Path) -> None:
    def areas(folder: Path) -> list[tuple[str, str]]:
        fields = {f.name: f for f in context_fields(load_pack(folder).facts)}
        return list(fields["area"].options) if "area" in fields else []

    assert areas(PACKS / "fixture") == [
        ("urbana", "urbana (fibra óptica)"),
        ("rural", "rural (rádio)"),
    ]
    assert areas(AMAZONAS)[1] == ("ribeirinha", "comunidade ribeirinha (rádio)")
    plain = copy_of(tmp_path, MINIMAL)
    edit(plain / "provider.yaml", "areas:\n", "")
    text = (plain / "provider.yaml").read_text(encoding="utf-8")
    (plain / "provider.yaml").write_text(
        "\n".join(line for line in text.splitlines() if "{value:" not in line) + "\n",
        encoding="utf-8",
    )
    assert areas(plain) == []
    assert [f.name for f in context_fields(load_pack(plain).facts)] == [
        "customer_name", "cpf", "contract", "pppoe", "protocol", "report", "phones",
    ]  # fmt: skip


def test_a_flow_setting_an_area_the_pack_lacks_is_refused(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "flows" / "_abertura.yaml", "set: {area: ribeirinha}", "set: {area: rural}")
    found = problems(folder)
    assert any(
        p.key == "area.choices[1].set.area" and "cidade, ribeirinha" in p.message for p in found
    )


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [
        (
            "  - value: ribeirinha\n",
            "  - value: cidade\n",
            "areas[1].value",
            'área "cidade" repetida',
        ),
        ("  - value: ribeirinha\n", "  - value: Rio Abaixo\n", "areas[1]", "letras minúsculas"),
    ],
)
def test_broken_areas(tmp_path: Path, old: str, new: str, key: str, words: str) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "provider.yaml", old, new)
    assert any(p.key == key and words in p.message for p in problems(folder))


def test_a_pack_id_is_lowercase_words(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "pack.yaml", "id: rio-negro-net", "id: Rio Negro")
    (problem,) = problems(folder)
    assert problem.path.endswith("pack.yaml") and "palavras minúsculas" in problem.message


def test_a_flow_needs_verified_on(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "flows" / "financeiro.yaml", "verified_on: 2026-06-01\n", "")
    (problem,) = problems(folder)
    assert problem.key == "verified_on" and "falta a chave obrigatória" in problem.message


def test_the_review_interval_has_a_sane_range(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "pack.yaml", "review_interval_days: 60", "review_interval_days: 0")
    (problem,) = problems(folder)
    assert "review_interval_days deve ser um número de dias de 1 a 3660" in problem.message


def test_the_example_flow_of_the_template_is_valid(tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    readme = write_template(tmp_path / "novo")
    text = next(p for p in readme if p.name == "LEIA-ME.txt").read_text(encoding="utf-8")
    example = text.split("Um fluxo pequeno:\n\n")[1].split("\nDepois")[0]
    (folder / "flows" / "segunda-via.yaml").write_text(example, encoding="utf-8")
    assert "segunda-via" in load_pack(folder).flows
