"""``mutum-copilot ask``: JSON shape, readable view, clean errors, and no Textual on the way."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mutum_copilot.cli import main
from mutum_copilot.packs.model import Pack

REPO = Path(__file__).resolve().parent.parent
RESULT_KEYS = {"id", "question", "answer", "score", "say", "guidance", "matched", "pack"}


def ask_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["ask", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one JSON object, one line
    return json.loads(out)


def test_json_shape(capsys: pytest.CaptureFixture[str], pack: Pack) -> None:
    report = ask_json(capsys, "net caiu")
    assert report["query"] == "net caiu"
    results = report["results"]
    assert results and all(set(r) == RESULT_KEYS for r in results)
    assert results[0]["id"] == "sem-internet"
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    entry = pack.faq_entry(results[0]["id"])
    assert entry is not None
    assert results[0]["answer"] == entry.answer
    assert (results[0]["say"], results[0]["guidance"]) == (entry.say, entry.guidance)
    assert results[0]["matched"]


def test_facts_are_filled_in(capsys: pytest.CaptureFixture[str]) -> None:
    result = ask_json(capsys, "visita improdutiva", "--limit", "1")["results"][0]
    assert result["id"] == "visita-improdutiva"
    assert "R$ 40,00" in result["answer"] and "{" not in result["answer"]


def test_words_may_be_separate_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert ask_json(capsys, "segunda", "via", "--limit", "2")["query"] == "segunda via"


def test_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(ask_json(capsys, "cliente", "--limit", "3")["results"]) == 3


def test_no_results(capsys: pytest.CaptureFixture[str]) -> None:
    assert ask_json(capsys, "xyzzyqwv")["results"] == []
    assert main(["ask", "xyzzyqwv"]) == 0
    assert "Nada encontrado" in capsys.readouterr().out


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "101", ""])
def test_bad_limit(capsys: pytest.CaptureFixture[str], limit: str) -> None:
    assert main(["ask", "boleto", "--limit", limit]) == 2
    captured = capsys.readouterr()
    assert "--limit" in captured.err and captured.out == ""


def test_broken_pack(capsys: pytest.CaptureFixture[str]) -> None:
    broken = REPO / "tests" / "packs" / "invalid" / "not-yaml"
    assert main(["--knowledge", str(broken), "ask", "boleto", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "not-yaml" in captured.err


def test_readable_view(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "visita improdutiva", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "Qual o custo da visita" in out
    assert "Diga ao cliente:" in out and "Orientação ao atendente:" in out
    assert out.index("Diga ao cliente:") < out.index("Orientação ao atendente:")


def test_real_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mutum_copilot", "ask", "2 via", "--json", "--limit", "2"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["results"][0]["id"] == "enviar-fatura"


def test_ask_never_loads_textual() -> None:
    code = (
        "import io, sys, contextlib\n"
        "import mutum_copilot.commands.ask\n"
        "alone = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "from mutum_copilot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['ask', 'net caiu', '--json']) == 0\n"
        "    assert main(['ask', 'net caiu']) == 0\n"
        "after = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "print(','.join(alone), '|', ','.join(after))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    alone, after = (part.strip() for part in result.stdout.split("|"))
    assert alone == "", f"importing the ask command loaded: {alone}"
    assert after == "", f"running ask loaded Textual: {after}"
