"""Hostile files: a FIFO, /dev/zero, a huge file, control characters, absurd numbers.

Each is planted where the copilot reads (a pack file, the config, the vault,
the holiday cache) and must be refused at once with a clear message, never
waited on (a FIFO with no writer blocks ``open`` for ever) nor read to the end
(``/dev/zero`` never ends). The CLI runs as a subprocess with a generous
timeout: a hang fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mutum_copilot.errors import ConfigError, PackError
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.yamlkit.yamlio import MAX_FILE_BYTES, read_yaml_file

FIXTURE = Path(__file__).resolve().parent / "packs" / "fixture"
COMMAND = Path(sys.executable).with_name("mutum-copilot")
HANG_GUARD = 60  # seconds: only a hang gets near it

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")


def plant(path: Path, kind: str) -> None:
    """Replace ``path`` with a hostile file of ``kind``."""
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "huge":
        with path.open("wb") as out:
            out.truncate(MAX_FILE_BYTES + 1)  # sparse: no real disk used
    else:
        raise ValueError(kind)


HOSTILE = ["fifo", "dev-zero", "huge"]
WORDS = {"fifo": "FIFO", "dev-zero": "dispositivo", "huge": "grande demais"}


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    return subprocess.run(
        [str(COMMAND), *args], capture_output=True, text=True, env=env, timeout=HANG_GUARD
    )


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "pack"))


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("where", ["provider.yaml", "faq/suporte.yaml", "flows/financeiro.yaml"])
def test_the_pack_loader_refuses_a_hostile_file_at_once(pack: Path, where: str, kind: str) -> None:
    plant(pack / where, kind)
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    assert any(
        p.path.endswith(where) and WORDS[kind] in p.message for p in caught.value.problems
    ), caught.value.problems


@pytest.mark.parametrize("kind", HOSTILE)
def test_check_reports_a_hostile_pack_file_and_exits_2(
    pack: Path, tmp_path: Path, kind: str
) -> None:
    plant(pack / "synonyms.yaml", kind)
    result = run("check", str(pack), home=tmp_path)
    assert result.returncode == 2
    assert f"{pack / 'synonyms.yaml'}: " in result.stderr and WORDS[kind] in result.stderr


def test_a_fifo_outside_the_scanned_folders_does_not_hang_the_pack(pack: Path) -> None:
    (pack / "extra").mkdir()
    os.mkfifo(pack / "extra" / "notes.yaml")  # read by nothing but the pack's digest
    assert load_pack(pack).version.startswith("sha-")


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_config_refuses_a_hostile_file(tmp_path: Path, kind: str) -> None:
    from mutum_copilot.config import load_settings

    config = tmp_path / "config.yaml"
    plant(config, kind)
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert WORDS[kind] in str(caught.value.problems[0])
    result = run("--config", str(config), "check", str(FIXTURE), home=tmp_path)
    assert result.returncode == 0  # check does not read the config; the TUI does:
    result = run("--config", str(config), home=tmp_path)
    assert result.returncode == 2 and WORDS[kind] in result.stderr


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_vault_refuses_a_hostile_file(tmp_path: Path, kind: str) -> None:
    from mutum_copilot.vault import VaultError, load_vault

    vault = tmp_path / "secrets.yaml"
    plant(vault, kind)
    with pytest.raises(VaultError) as caught:
        load_vault(vault)
    message = str(caught.value.problems[0])
    assert "não é um arquivo comum" in message or "grande demais" in message
    result = run("--knowledge", str(FIXTURE), "vault", "check", "--file", str(vault), home=tmp_path)
    assert result.returncode == 2


def test_a_fifo_as_the_holiday_cache_is_ignored(tmp_path: Path) -> None:
    from mutum_copilot.holiday_table import HolidayTable

    table = HolidayTable.in_folder(tmp_path / "cache")
    path = table.cache_file
    assert path is not None
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    assert len(table.public_holidays("BR", "MT", 2027)) >= 10


# --- control characters in a pack -----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('    say: "Olá\\e[2J, tudo bem?"\n', "U+001B"),  # an escape written as YAML escape
        ('    say: "toca\\a"\n', "U+0007"),  # BEL
        ('    say: "linha\\x85outra"\n', "U+0085"),  # C1 next-line
        ("    say: texto \u202e invertido\n", "U+202E"),  # a raw bidi override
        ("    say: separa\u2028linhas\n", "U+2028"),
    ],
)
def test_check_reports_control_characters_with_file_and_line(
    pack: Path, tmp_path: Path, text: str, code: str
) -> None:
    flow = pack / "flows" / "financeiro.yaml"
    lines = flow.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("    say:"))
    lines[index] = text
    while lines[index + 1].startswith("      "):  # the old say's continuation lines
        del lines[index + 1]
    flow.write_text("".join(lines), encoding="utf-8")
    result = run("check", str(pack), home=tmp_path)
    assert result.returncode == 2, result.stdout
    assert f"{flow}:{index + 1}:" in result.stderr and code in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_a_raw_escape_character_is_reported_too(pack: Path) -> None:
    provider = pack / "provider.yaml"
    provider.write_text(
        provider.read_text(encoding="utf-8").replace("name: Fibra Teste", "name: Fibra\x1b[31m"),
        encoding="utf-8",
    )
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    assert any("U+001B" in p.message and p.line > 0 for p in caught.value.problems)


def test_tabs_and_newlines_stay_legal() -> None:
    from mutum_copilot.yamlkit.yamlio import parse_yaml_text

    result = parse_yaml_text('a: "col1\\tcol2\\nlinha 2"\nb: |\n  um\n  dois\n', "x.yaml")
    assert result.problems == ()


# --- numbers out of any sane range --------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("amount: 40.00", "amount: 1e999", "fees.visit_city.amount: deve estar entre 0 e 100000"),
        ("amount: 40.00", "amount: -5.00", "deve estar entre 0 e 100000"),
        ("amount: 40.00", "amount: 40.005", "no máximo 2 casas decimais"),
        ("trust_unlock_days: 30", "trust_unlock_days: -3", "rules.trust_unlock_days"),
        ("trust_unlock_days: 30", "trust_unlock_days: 99999999", "entre 1 e 3650"),
        ("block_after_days: 10", "block_after_days: 0", "rules.block_after_days"),
    ],
)
def test_money_and_counts_have_sane_ranges(pack: Path, old: str, new: str, words: str) -> None:
    provider = pack / "provider.yaml"
    text = provider.read_text(encoding="utf-8")
    assert old in text
    provider.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    assert any(words in str(p) for p in caught.value.problems), caught.value.problems


def test_a_reading_of_a_fifo_names_it(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    (problem,) = read_yaml_file(fifo).problems
    assert problem.line == 0 and "FIFO" in problem.message


# --- control characters never reach the terminal from a command ----------------------------
def test_flows_and_ask_refuse_a_pack_with_an_escape_and_print_nothing_raw(
    pack: Path, tmp_path: Path
) -> None:
    faq = pack / "faq" / "suporte.yaml"
    text = faq.read_text(encoding="utf-8")
    old = "question: O cliente está sem internet. Qual o procedimento?"
    assert old in text
    faq.write_text(text.replace(old, 'question: "Sem internet?\\e[2J\\a"'), encoding="utf-8")
    for args in (["flows"], ["ask", "net caiu"], ["check", str(pack)]):
        result = run("--knowledge", str(pack), *args, home=tmp_path)
        assert result.returncode == 2, (args, result.stdout)
        assert "U+001B" in result.stderr
        assert "\x1b" not in result.stdout + result.stderr


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_ask_echoes_a_query_without_its_control_characters(
    tmp_path: Path, json_flag: list[str]
) -> None:
    result = run(
        "--knowledge", str(FIXTURE), "ask", *json_flag, "zzq\x1b[2J\x07\x9bzzq", home=tmp_path
    )
    assert result.returncode == 0
    assert not any(c in result.stdout for c in "\x1b\x07\x9b")
    assert "zzq[2Jzzq" in result.stdout


def test_history_export_never_prints_a_planted_control_character(tmp_path: Path) -> None:
    import datetime as dt
    import sqlite3

    from mutum_copilot.history import HistoryStore

    db = tmp_path / "history.sqlite3"
    store = HistoryStore(db)
    call_id = store.start_call(dt.datetime(2026, 11, 24, 22, tzinfo=dt.UTC))
    store.close()
    with sqlite3.connect(db) as raw:
        raw.execute(
            "UPDATE calls SET note_text = ?, agent = ?, flow_title = ? WHERE id = ?",
            ("OS\x1b]52;c;ZXZpbA==\x07 529.982.247-25", "Ana\x1b[2J", "x\u202e", call_id),
        )
    for fmt in ("csv", "json"):
        result = run(
            "--knowledge", str(FIXTURE), "history", "export", "--history", str(db),
            "--since", "01/11/2026", "--format", fmt, home=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert not any(c in result.stdout for c in "\x1b\x07\u202e"), result.stdout
        assert "529.982.247-25" not in result.stdout and "***.982.247-**" in result.stdout
