"""The agent's config file: optional, strict, and clear when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from mutum_copilot.config import EXAMPLE, Settings, load_settings
from mutum_copilot.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.yaml") == Settings()


def test_commented_example_means_defaults(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, EXAMPLE)) == Settings()


def test_values_and_relative_pack(tmp_path: Path) -> None:
    path = write(tmp_path, "agent_name: Ana\nknowledge: packs/x\nkeymap:\n  copy-say: ctrl+y\n")
    settings = load_settings(path)
    assert settings.agent_name == "Ana"
    assert settings.knowledge == str(tmp_path / "packs" / "x")
    assert dict(settings.keymap) == {"copy-say": "ctrl+y"}


def test_relative_history_path_is_read_from_the_config_folder(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "history_path: dados/h.sqlite3\n"))
    assert settings.history_path == str(tmp_path / "dados" / "h.sqlite3")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("agent_nam: Ana\n", 1, 'did you mean "agent_name"'),
        ("retention_days: muitos\n", 1, "expected a whole number"),
        ("retention_days: 0\n", 1, "at least 1"),
        ("keymap: [a]\n", 1, "expected a mapping"),
        ("a: [\n", 2, "not valid YAML"),
        ("- just\n- a list\n", 1, "expected a mapping"),
    ],
)
def test_broken_config_names_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    problem = caught.value.problems[0]
    assert problem.path == str(path) and problem.line == line and words in problem.message
