"""``mutum-copilot ask``: JSON shape, readable view, clean errors, and no Textual on the way."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mutum_copilot.cli import main
from mutum_copilot.packs.model import Pack

REPO = Path(__file__).resolve().parent.parent
RESULT_KEYS = {
    "id",
    "question",
    "answer",
    "score",
    "weak",
    "say",
    "if_asked",
    "guidance",
    "matched",
    "pack",
}


def ask_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["ask", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one JSON object, one line
    return json.loads(out)


def test_json_shape(capsys: pytest.CaptureFixture[str], pack: Pack) -> None:
    report = ask_json(capsys, "net caiu")
    assert report["query"] == "net caiu"
    assert report["answered"] is True
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
    assert "R$ 40,00" in result["if_asked"] and "{" not in result["if_asked"]
    assert "R$" not in result["say"], "the say text never volunteers the visit fee"


def test_json_says_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    report = ask_json(capsys, "tem tv a cabo")
    assert report["answered"] is False
    assert report["results"] and all(r["weak"] for r in report["results"])
    answered = ask_json(capsys, "qual o dns padrao")
    assert answered["answered"] is True and answered["results"][0]["weak"] is False


def test_readable_view_says_nada_no_documento_above_weak_matches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "quanto custa o plano de 300 mega"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Nada no documento sobre isso.")
    assert "O que fazer:" in out and "encaminhe" in out
    assert "fraca" in out and out.index("O que fazer:") < out.index("1. ")
    assert main(["ask", "qual o dns padrao", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "Nada no documento" not in out and "fraca" not in out


def test_readable_view_shows_the_if_asked_line_apart(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "visita improdutiva", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    say = out[out.index("Diga ao cliente:") : out.index("Só se o cliente perguntar:")]
    assert "R$" not in say
    assert "R$ 40,00" in out[out.index("Só se o cliente perguntar:") :]


def test_pack_text_reaches_the_terminal_without_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(REPO / "tests" / "packs" / "minimal", pack_dir)
    faq = pack_dir / "faq" / "basico.yaml"
    text = faq.read_text(encoding="utf-8")
    poisoned = text.replace(
        "say: A visita custa {fees.visit_city}.",
        'say: "A visita custa {fees.visit_city}.\\e]52;c;QUFB\\a\\u202e"',
    )
    assert poisoned != text
    faq.write_text(poisoned, encoding="utf-8")
    for argv in (["ask", "visita"], ["ask", "visita", "--json"]):
        code = main(["--knowledge", str(pack_dir), *argv])
        out, err = capsys.readouterr()
        if code == 2:  # a pack check may refuse the file: then it says where, and shows nothing
            assert out == "" and "basico.yaml:" in err
            continue
        assert code == 0
        # JSON escapes ESC and BEL itself ("\u001b"): look at the decoded text, not the line
        shown = json.loads(out)["results"][0]["say"] if "--json" in argv else out
        assert "A visita custa R$ 40,00." in shown
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown


def test_words_may_be_separate_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert ask_json(capsys, "segunda", "via", "--limit", "2")["query"] == "segunda via"


def test_limit(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(ask_json(capsys, "cliente", "--limit", "3")["results"]) == 3


def test_no_results(capsys: pytest.CaptureFixture[str]) -> None:
    report = ask_json(capsys, "xyzzyqwv")
    assert report["results"] == [] and report["answered"] is False
    assert main(["ask", "xyzzyqwv"]) == 0
    out = capsys.readouterr().out
    assert "Nada no documento sobre isso" in out and "Nada encontrado" in out


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
