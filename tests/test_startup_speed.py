"""What makes the start fast must not change what is loaded: YAML fast path, caches, lazy CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from mutum_copilot import cli, paths
from mutum_copilot.errors import PackError
from mutum_copilot.holiday_table import HolidayTable
from mutum_copilot.packs import cache as pack_cache
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.yamlkit import yamlio

REPO = Path(__file__).resolve().parent.parent
PACK_DIR = REPO / "knowledge" / "mutum-fibra"

TRICKY_YAML = [
    "a: 1\nb: [1, 2, {c: d}]\n",
    "a: &x {k: v}\nb: *x\n",
    "a: 1\na: 2\n",
    "<<: {a: 1}\n",
    "a: [1, 2\n",
    "---\na: 1\n---\nb: 2\n",
    "# only a comment\n",
    "",
    "a: 13:30\nb: no\nc: 2026-02-30\nd: 2026-11-24\n",
    "a: \x07bell\n",
    "a: 'unterminated\n",
    "- a\n- b:\n    c: [x, y]\n",
    "a: &r [*r]\n",
    "a:\n\tb: 1\n",
    "key: \u2028value\n",
    "? [complex]\n: key\n",
]


def _shape(value: object) -> object:
    """Data plus every remembered line, to compare two parses exactly."""
    if isinstance(value, yamlio.YMap):
        return ("map", value.line, dict(value.key_lines), {k: _shape(v) for k, v in value.items()})
    if isinstance(value, yamlio.YList):
        return ("list", value.line, list(value.item_lines), [_shape(v) for v in value])
    return repr(value)


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = yamlio.parse_yaml_text(text, "f.yaml", allow_empty=True)
    with monkeypatch.context() as patch:
        patch.setattr(yamlio, "USE_LIBYAML", False)
        slow = yamlio.parse_yaml_text(text, "f.yaml", allow_empty=True)
    return (_shape(fast.data), fast.problems), (_shape(slow.data), slow.problems)


@pytest.mark.parametrize("text", TRICKY_YAML)
def test_libyaml_fast_path_reads_like_pyyaml(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(text, monkeypatch)
    assert fast == slow


def test_libyaml_fast_path_reads_the_whole_pack_like_pyyaml(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted(PACK_DIR.rglob("*.yaml"))
    assert len(files) > 10
    for path in files:
        fast, slow = _both(path.read_text(encoding="utf-8"), monkeypatch)
        assert fast == slow, path


@pytest.fixture
def cache_folder(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "mutum-copilot"


def test_holiday_table_is_the_librarys_and_is_read_back_without_it(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import holidays

    expected = dict(
        holidays.country_holidays(
            "BR", subdiv="MT", years=2026, language="pt_BR", categories=("public",)
        ).items()
    )
    table = HolidayTable.in_folder(cache_folder)
    assert table.public_holidays("BR", "MT", 2026) == expected
    table.check_region("BR", "MT")
    path = table.cache_file
    assert path is not None and path.is_file() and path.parent == cache_folder
    assert path.name.startswith("holidays-") and path.name.endswith("-pt_BR.json")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the library was asked again")

    monkeypatch.setattr(holidays, "country_holidays", refuse)
    again = HolidayTable.in_folder(cache_folder)  # what the next process builds
    assert again.public_holidays("BR", "MT", 2026) == expected
    again.check_region("BR", "MT")
    with pytest.raises(AssertionError, match="asked again"):  # a year never asked: the library
        again.public_holidays("BR", "MT", 2031)


def test_holiday_table_remembers_without_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import holidays

    table = HolidayTable()
    assert table.cache_file is None
    natal = table.public_holidays("BR", "MT", 2026)[date(2026, 12, 25)]
    table.check_region("BR", "MT")
    monkeypatch.setattr(holidays, "country_holidays", None)  # asked again: a TypeError
    assert table.public_holidays("BR", "MT", 2026)[date(2026, 12, 25)] == natal == "Natal"
    table.check_region("BR", "MT")


def test_holiday_table_refuses_unknown_regions_and_survives_a_damaged_file(
    cache_folder: Path,
) -> None:
    table = HolidayTable.in_folder(cache_folder)
    with pytest.raises(NotImplementedError):
        table.check_region("XX", None)
    with pytest.raises(NotImplementedError):
        table.check_region("BR", "XX")
    assert table.cache_file is not None
    cache_folder.mkdir(parents=True, exist_ok=True)
    table.cache_file.write_text("{not json", encoding="utf-8")
    damaged = HolidayTable.in_folder(cache_folder)
    assert damaged.public_holidays("BR", "MT", 2027)[date(2027, 11, 20)].startswith("Dia Nacional")
    assert "BR/MT/2027" in json.loads(table.cache_file.read_text(encoding="utf-8"))["years"]
    table.cache_file.write_text(
        json.dumps({"years": {"BR/MT/2028": {"not a date": "x"}}, "regions": []}),
        encoding="utf-8",
    )
    entry = HolidayTable.in_folder(cache_folder).public_holidays("BR", "MT", 2028)
    assert entry[date(2028, 12, 25)] == "Natal"  # a damaged year is asked again


def test_a_holiday_cache_folder_that_cannot_be_written_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    table = HolidayTable.in_folder(blocker / "cache")
    assert table.public_holidays("BR", "MT", 2026)[date(2026, 12, 25)] == "Natal"
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_the_holiday_cache_switch_is_read_by_the_caller_not_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.holiday_cache_dir({}) == tmp_path / "xdg" / "mutum-copilot"
    assert paths.holiday_cache_dir({paths.NO_HOLIDAY_CACHE_ENV: "1"}) is None
    assert HolidayTable.in_folder(None).cache_file is None


SHIFT_TWICE = (
    "import sys\n"
    "from mutum_copilot.cli import main\n"
    "rc = main(['shift', '--at', '2026-12-25T10:00-03:00', '--json'])\n"
    "print('holidays' in sys.modules, file=sys.stderr)\n"
    "raise SystemExit(rc)\n"
)


@pytest.mark.parametrize("cache", [True, False])
def test_shift_keeps_its_holidays_in_the_users_cache_unless_told_not_to(
    tmp_path: Path, cache: bool
) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop(paths.NO_HOLIDAY_CACHE_ENV, None)
    if not cache:
        env[paths.NO_HOLIDAY_CACHE_ENV] = "1"
    imported = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", SHIFT_TWICE], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["holiday"] == "Natal"
        imported.append(done.stderr.strip())
    files = list((tmp_path / "cache").rglob("holidays-*.json"))
    if cache:  # asked once, then read back without importing the library
        assert imported == ["True", "False"]
        assert [f.parent.name for f in files] == ["mutum-copilot"]
    else:
        assert imported == ["True", "True"]
        assert files == []


def test_pack_cache_gives_the_same_pack_and_sees_every_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mutum_copilot.packs import loader

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(pack_cache.NO_CACHE_ENV, raising=False)
    pack_dir = shutil.copytree(PACK_DIR, tmp_path / "pack")
    first, index = pack_cache.load_indexed_pack(pack_dir)
    assert first == load_pack(pack_dir)
    assert [h.id for h in index.search("net caiu")][:3]

    def refuse(root: object) -> None:
        raise AssertionError("the pack was read again")

    with monkeypatch.context() as patch:
        patch.setattr(loader, "load_pack", refuse)
        again, again_index = pack_cache.load_indexed_pack(pack_dir)
    assert again == first
    assert [h.id for h in again_index.search("net caiu")] == [
        h.id for h in index.search("net caiu")
    ]

    faq = sorted((pack_dir / "faq").glob("*.yaml"))[0]
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace("question:", "question: Editado", 1), encoding="utf-8")
    stamp = time.time() + 5
    os.utime(faq, (stamp, stamp))
    edited, _ = pack_cache.load_indexed_pack(pack_dir)
    assert edited != first
    assert any(e.question.startswith("Editado") for e in edited.faq)


def test_a_broken_pack_is_never_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pack_dir = shutil.copytree(PACK_DIR, tmp_path / "pack")
    (pack_dir / "pack.yaml").write_text("id: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PackError):
            pack_cache.load_indexed_pack(pack_dir)
    assert not list((tmp_path / "cache").rglob("*.pickle"))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ""),
        (["--knowledge", "ask"], ""),
        (["--know", "shift", "ask", "x"], "ask"),
        (["--config=c.yaml", "shift", "--json"], "shift"),
        (["ask", "--help"], "ask"),
        (["--help"], None),
        (["-h", "ask"], None),
        (["bogus"], None),
        (["--", "check"], "check"),
        (["--version"], ""),
    ],
)
def test_only_the_chosen_command_is_imported(argv: list[str], expected: str | None) -> None:
    assert cli.chosen_command(argv) == expected


def test_version_goes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    import mutum_copilot

    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"mutum-copilot {mutum_copilot.__version__}\n"


QUICK_COMMAND = (
    "import json, sys\n"
    "from mutum_copilot.cli import main\n"
    "rc = main(json.loads(sys.argv[1]))\n"
    "print(json.dumps(sorted(m for m in ('yaml', 'mutum_copilot.packs.loader') "
    "if m in sys.modules)), file=sys.stderr)\n"
    "raise SystemExit(rc)\n"
)


@pytest.mark.parametrize(
    "command", [["ask", "net caiu"], ["shift", "--at", "2026-12-25T10:00-03:00"]]
)
def test_quick_commands_read_the_pack_cache_and_see_an_edit(
    tmp_path: Path, command: list[str]
) -> None:
    """``ask``/``shift`` take an unchanged pack from the cache (no YAML), an edited one afresh."""
    pack_dir = shutil.copytree(PACK_DIR, tmp_path / "pack")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop(pack_cache.NO_CACHE_ENV, None)
    argv = ["--knowledge", str(pack_dir), *command, "--json"]

    def run() -> tuple[dict[str, object], list[str]]:
        done = subprocess.run(
            [sys.executable, "-c", QUICK_COMMAND, json.dumps(argv)],
            capture_output=True,
            text=True,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout), json.loads(done.stderr.strip().splitlines()[-1])

    first, read_yaml = run()
    assert read_yaml == ["mutum_copilot.packs.loader", "yaml"]
    again, read_again = run()
    assert (again, read_again) == (first, [])
    if command[0] == "ask":  # an edit to the pack reaches the next answer
        for path in sorted((pack_dir / "faq").glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("question: ", "question: Editado "), encoding="utf-8")
            stamp = time.time() + 5
            os.utime(path, (stamp, stamp))
        edited, read_edit = run()
        assert read_edit == ["mutum_copilot.packs.loader", "yaml"]
        questions = [str(r["question"]) for r in edited["results"]]
        assert questions and all(q.startswith("Editado ") for q in questions)
