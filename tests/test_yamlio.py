"""The YAML reader: strict scalars, line numbers, and no input that crashes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mutum_copilot.yamlkit.yamlio import YList, YMap, parse_yaml_text, read_yaml_file


def test_lines_of_keys_and_items() -> None:
    result = parse_yaml_text("a: 1\nb:\n  - x\n  - y\n", "f.yaml")
    assert not result.problems
    data = result.data
    assert isinstance(data, YMap) and data.line_of("b") == 2
    assert isinstance(data["b"], YList) and data["b"].line_of(1) == 4


def test_yaml_11_surprises_stay_text() -> None:
    data = parse_yaml_text("a: no\nb: on\nc: 13:30\nd: yes\ne: true\nf: 2026-11-24\n", "f").data
    assert data == {
        "a": "no",
        "b": "on",
        "c": "13:30",
        "d": "yes",
        "e": True,
        "f": dt.date(2026, 11, 24),
    }


def test_recursive_alias_is_refused() -> None:
    result = parse_yaml_text("a: &x [1, *x]\n", "f.yaml")
    assert result.data is None
    assert "refere-se a si mesmo" in result.problems[0].message


def test_merge_keys_are_refused_with_a_message() -> None:
    result = parse_yaml_text("base: &b {x: 1}\nother:\n  <<: *b\n", "f.yaml")
    assert any("mesclagem" in p.message and p.line == 3 for p in result.problems)


def test_deep_nesting_is_refused() -> None:
    result = parse_yaml_text("[" * 200 + "]" * 200, "f.yaml")
    assert result.data is None and result.problems


def test_impossible_date_names_its_key() -> None:
    result = parse_yaml_text("entry:\n  verified_on: 2026-02-30\n", "f.yaml")
    (problem,) = result.problems
    assert (problem.line, problem.key) == (2, "entry.verified_on")


def test_file_errors(tmp_path: Path) -> None:
    assert read_yaml_file(tmp_path / "none.yaml").problems[0].message == "arquivo não encontrado"
    assert "pasta" in read_yaml_file(tmp_path).problems[0].message
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 3_000_000)
    assert "limit" in read_yaml_file(big).problems[0].message
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: 1\nb: ação\n".encode("latin-1"))
    assert read_yaml_file(latin).problems[0].line == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_data_or_problems(text: str) -> None:
    result = parse_yaml_text(text, "f.yaml")
    assert result.data is not None or result.problems
    for problem in result.problems:
        assert str(problem).startswith("f.yaml")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_data_or_problems(raw: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.yaml"
        path.write_bytes(raw)
        result = read_yaml_file(path)
    assert result.data is not None or result.problems
