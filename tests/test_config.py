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
    assert settings.knowledge == (str(tmp_path / "packs" / "x"),)
    assert dict(settings.keymap) == {"copy-say": "ctrl+y"}


def test_relative_history_path_is_read_from_the_config_folder(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "history_path: dados/h.sqlite3\n"))
    assert settings.history_path == str(tmp_path / "dados" / "h.sqlite3")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("agent_nam: Ana\n", 1, 'você quis dizer "agent_name"'),
        ("retention_days: muitos\n", 1, "esperava um número inteiro"),
        ("retention_days: 0\n", 1, "entre 1 e"),
        ("keymap: [a]\n", 1, "esperava um mapeamento"),
        ("a: [\n", 2, "YAML inválido"),
        ("- just\n- a list\n", 1, "esperava um mapeamento"),
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


def test_knowledge_takes_a_list_of_pack_folders(tmp_path: Path) -> None:
    path = write(tmp_path, "knowledge:\n  - /srv/a\n  - rel/b\n  - ~/c\nprovider: rio-negro-net\n")
    settings = load_settings(path)
    assert settings.knowledge == ("/srv/a", str(tmp_path / "rel" / "b"), str(Path.home() / "c"))
    assert settings.pack_dirs() == (Path("/srv/a"), tmp_path / "rel" / "b", Path.home() / "c")
    assert settings.provider == "rio-negro-net"
    assert settings.origin.line_of("provider") == 5 and settings.origin.path == str(path)


def test_one_folder_still_works_and_nothing_means_the_bundled_pack(tmp_path: Path) -> None:
    from mutum_copilot.paths import bundled_pack_dir

    assert load_settings(write(tmp_path, "knowledge: /srv/a\n")).pack_dirs() == (Path("/srv/a"),)
    assert Settings().pack_dirs() == (bundled_pack_dir(),)
    assert load_settings(write(tmp_path, 'knowledge: ""\n')).pack_dirs() == (bundled_pack_dir(),)


def test_the_command_line_folder_overrides_the_configs(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "knowledge: [/srv/a, /srv/b]\n"))
    assert settings.pack_dirs(Path("/x")) == (Path("/x"),)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("knowledge: 3\n", "esperava a pasta de um pacote, ou uma lista de pastas"),
        ("knowledge: [/a, 3]\n", "item 2: esperava o caminho de uma pasta"),
        ('knowledge: [/a, ""]\n', "item 2: caminho vazio"),
        ('knowledge: ["/a\\0b"]\n', "U+0000"),
        ("knowledge: {a: 1}\n", "ou uma lista de pastas"),
        ("provider: [a]\n", "esperava um texto"),
    ],
)
def test_broken_pack_lists_are_refused(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    (problem,) = caught.value.problems
    assert problem.path == str(path) and problem.line == 1 and words in problem.message
