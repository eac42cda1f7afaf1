"""What makes the start fast must not change what is loaded: YAML fast path, caches, lazy CLI."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from mutum_copilot import cli, holiday_table
from mutum_copilot.errors import PackError
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
def fresh_holiday_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(holiday_table.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(holiday_table, "_memory", None)
    monkeypatch.setattr(holiday_table, "_checked", set())
    return tmp_path / "cache"


def test_holiday_table_is_the_librarys_and_is_read_back_without_it(
    fresh_holiday_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import holidays

    expected = dict(
        holidays.country_holidays(
            "BR", subdiv="MT", years=2026, language="pt_BR", categories=("public",)
        ).items()
    )
    assert holiday_table.public_holidays("BR", "MT", 2026) == expected
    holiday_table.check_region("BR", "MT")
    path = holiday_table.cache_file()
    assert path is not None and path.is_file() and path.parent.parent == fresh_holiday_cache
    monkeypatch.setattr(holiday_table, "_memory", None)  # a new process
    monkeypatch.setattr(holiday_table, "_checked", set())

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the library was asked again")

    monkeypatch.setattr(holidays, "country_holidays", refuse)
    assert holiday_table.public_holidays("BR", "MT", 2026) == expected
    holiday_table.check_region("BR", "MT")


def test_holiday_table_refuses_unknown_regions_and_survives_a_damaged_file(
    fresh_holiday_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(NotImplementedError):
        holiday_table.check_region("XX", None)
    path = holiday_table.cache_file()
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(holiday_table, "_memory", None)
    assert len(holiday_table.public_holidays("BR", "MT", 2027)) >= 10


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
