"""Every way a pack can be broken gives ``path:line: key: message``, never a traceback.

Each folder under ``tests/packs/invalid/`` is a small invalid pack: the files in
it replace those of ``tests/packs/minimal/`` (a valid pack), breaking one thing.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from mutum_copilot.cli import main
from mutum_copilot.errors import PackError
from mutum_copilot.packs.loader import load_pack

PACKS = Path(__file__).parent / "packs"

# case folder -> (file, line, key, words the message must contain)
CASES: dict[str, tuple[str, int, str, str]] = {
    "unknown-key": ("provider.yaml", 38, "fees.visit_city.amout", 'você quis dizer "amount"'),
    "missing-key": ("provider.yaml", 24, "contacts.phone", "falta a chave obrigatória"),
    "wrong-type": ("provider.yaml", 40, "rules.block_after_days", "esperava um número inteiro"),
    "bad-time-zone": ("provider.yaml", 4, "provider.time_zone", 'você quis dizer "America/Cuiaba"'),
    "fixed-offset-zone": ("provider.yaml", 8, "call_center.time_zone", "deslocamento fixo"),
    "bad-interval": ("provider.yaml", 55, "schedules.n1.week.mon", "termina antes de começar"),
    "duplicate-key": (
        "provider.yaml",
        34,
        "network.dns_primary",
        "chave repetida (a primeira na linha 31)",
    ),
    "duplicate-id": ("faq/basico.yaml", 7, "id", 'id repetido "visita"'),
    "unknown-reference": ("faq/basico.yaml", 5, "visita.say", 'você quis dizer "fees.visit_city"'),
    "unknown-see-also": ("faq/basico.yaml", 6, "visita.see_also", 'você quis dizer "visita"'),
    "missing-entry-fields": ("faq/basico.yaml", 3, "entries[0].question", "falta a chave"),
    "not-yaml": ("faq/basico.yaml", 6, "", "começou na linha 4"),
    "empty-file": ("pack.yaml", 1, "", "vazio"),
    "binary": ("faq/basico.yaml", 1, "", "não é texto UTF-8"),
    "yaml-bomb": ("faq/basico.yaml", 2, "", "aliases que se expandem sem fim"),
    "several-documents": ("pack.yaml", 3, "", "vários documentos YAML"),
    "bad-synonyms": ("synonyms.yaml", 3, "groups[1]", "ao menos duas palavras"),
}


def build_case(name: str, tmp_path: Path) -> Path:
    pack = tmp_path / name
    shutil.copytree(PACKS / "minimal", pack)
    shutil.copytree(PACKS / "invalid" / name, pack, dirs_exist_ok=True)
    return pack


def test_minimal_pack_is_valid() -> None:
    pack = load_pack(PACKS / "minimal")
    assert [e.id for e in pack.faq] == ["visita", "dns"]
    assert pack.faq[0].say == "A visita custa R$ 40,00."


def test_every_case_folder_is_in_the_table() -> None:
    folders = {p.name for p in (PACKS / "invalid").iterdir() if p.is_dir()}
    assert folders == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_problem_names_file_line_and_key(name: str, tmp_path: Path) -> None:
    file, line, key, words = CASES[name]
    pack_dir = build_case(name, tmp_path)
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    expected_path = str(pack_dir / file)
    matching = [
        p
        for p in caught.value.problems
        if p.path == expected_path and p.line == line and p.key == key and words in p.message
    ]
    assert matching, "\n".join(str(p) for p in caught.value.problems)
    assert str(matching[0]).startswith(f"{expected_path}:{line}: ")


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_command_exits_2_with_every_problem(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack_dir = build_case(name, tmp_path)
    assert main(["check", str(pack_dir)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{pack_dir / CASES[name][0]}:" in err


def test_problems_are_collected_not_stopped_at_first(tmp_path: Path) -> None:
    pack_dir = build_case("unknown-see-also", tmp_path)
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    keys = {p.key for p in caught.value.problems}
    assert {"visita.see_also", "visita.vault_keys"} <= keys


def test_yaml_bomb_is_refused_quickly(tmp_path: Path) -> None:
    pack_dir = build_case("yaml-bomb", tmp_path)
    started = time.perf_counter()
    with pytest.raises(PackError):
        load_pack(pack_dir)
    # Not a timing assertion on speed, only that it does not run away (minutes).
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (lambda tmp: tmp / "nowhere", "não existe"),
        (lambda tmp: (tmp / "file.yaml").write_text("a: 1") and tmp / "file.yaml", "é um arquivo"),
    ],
)
def test_pack_path_problems(setup, words: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = setup(tmp_path)
    assert main(["check", str(target)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_missing_files_are_named(tmp_path: Path) -> None:
    pack_dir = tmp_path / "empty"
    pack_dir.mkdir()
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    text = str(caught.value)
    assert f"{pack_dir / 'pack.yaml'}: arquivo não encontrado" in text
    assert f"{pack_dir / 'provider.yaml'}: arquivo não encontrado" in text
    assert "faq" not in text  # a pack without FAQ (flows only) is not a mistake


def test_bundled_pack_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert ": ok: Mutum Fibra" in capsys.readouterr().out


def test_a_broken_faq_file_does_not_drag_other_files_into_the_report(tmp_path: Path) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(PACKS.parent.parent / "knowledge" / "mutum-fibra", pack_dir)
    broken = pack_dir / "faq" / "suporte.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "\ngarbage: [\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    assert {p.path for p in caught.value.problems} == {str(broken)}


@pytest.mark.parametrize("broken_name", ["_abertura.yaml", "mesh-repetidores.yaml"])
def test_a_broken_flow_file_is_reported_alone(tmp_path: Path, broken_name: str) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(PACKS.parent.parent / "knowledge" / "mutum-fibra", pack_dir)
    broken = pack_dir / "flows" / broken_name
    broken.write_text(broken.read_text(encoding="utf-8") + "\ngarbage: [\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(pack_dir)
    assert [p.path for p in caught.value.problems] == [str(broken)]
