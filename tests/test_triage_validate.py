"""Broken flows are reported at load time like the rest of the pack: file, line, key, message.

Each case writes one small flow into a copy of ``tests/packs/minimal`` (with a
tiny valid opening and escalation fragment) and checks the problem reported.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from mutum_copilot.cli import main
from mutum_copilot.errors import PackError, Problem
from mutum_copilot.packs.loader import load_pack

MINIMAL = Path(__file__).parent / "packs" / "minimal"

OPENING = """\
title: Abertura
start: contrato
nodes:
  - id: contrato
    type: value
    value: {name: contract, kind: text, label: Contrato}
    next: area
  - id: area
    type: ask
    question: Área?
    choices:
      - {label: Cidade, set: {area: urbana}, next: $return}
      - {label: Rural, set: {area: rural}, next: $return}
"""

ESCALATE = """\
title: Encaminhar
start: telefones
nodes:
  - id: telefones
    type: value
    value: {name: phones, kind: phones, label: Telefones}
    next: turno
  - id: turno
    type: shift
    on_shift: $return
    off_shift: $return
"""

GOOD = """\
title: Bom
start: pergunta
nodes:
  - id: pergunta
    type: ask
    question: Resolveu?
    choices:
      - {label: Sim, next: fim}
      - {label: Não, next: escalar}
  - id: escalar
    type: use
    fragment: escalar
    next: fim_os
  - id: fim
    type: end
    outcome: resolved
  - id: fim_os
    type: end
    outcome: os_n1
    os_subject: Teste
"""


def make_pack(tmp_path: Path, flows: dict[str, str]) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(MINIMAL, root)
    folder = root / "flows"
    folder.mkdir()
    files = {"_abertura.yaml": OPENING, "_escalar.yaml": ESCALATE, **flows}
    for name, text in files.items():
        text = textwrap.dedent(text)
        if not name.startswith("_") and "verified_on:" not in text:
            text += "verified_on: 2026-11-24\n"  # after the nodes: the cases' lines stay put
        (folder / name).write_text(text, encoding="utf-8")
    return root


def problems_of(tmp_path: Path, flows: dict[str, str]) -> list[Problem]:
    with pytest.raises(PackError) as caught:
        load_pack(make_pack(tmp_path, flows))
    return list(caught.value.problems)


def find(problems: list[Problem], file: str, line: int, key: str, words: str) -> Problem:
    for problem in problems:
        if (
            problem.path.endswith(file)
            and problem.line == line
            and problem.key == key
            and words in problem.message
        ):
            return problem
    raise AssertionError("not found; problems were:\n" + "\n".join(str(p) for p in problems))


def test_a_good_flow_loads_with_the_fragments_inlined(tmp_path: Path) -> None:
    pack = load_pack(make_pack(tmp_path, {"bom.yaml": GOOD}))
    flow = pack.flows["bom"]
    assert flow.entry == "abertura/contrato"
    assert flow.nodes["abertura/area"].choices[0].next == "pergunta"
    assert flow.nodes["pergunta"].choices[1].next == "escalar/telefones"
    assert flow.nodes["escalar/turno"].on_shift == "fim_os"
    assert flow.nodes["escalar/turno"].origin.path.endswith("_escalar.yaml")


CASES: dict[str, tuple[str, str, int, str, str]] = {
    "unknown reference": (
        GOOD.replace("next: escalar}", "next: escalr}"),
        "caso.yaml",
        9,
        "pergunta.choices[1].next",
        'nó desconhecido "escalr" (você quis dizer "escalar"?)',
    ),
    "unknown start": (
        GOOD.replace("start: pergunta", "start: pergunt"),
        "caso.yaml",
        2,
        "start",
        'você quis dizer "pergunta"',
    ),
    "unreachable": (
        GOOD + "  - id: solta\n    type: info\n    next: fim\n",
        "caso.yaml",
        21,
        "solta",
        "nunca alcançado",
    ),
    "no way to an end": (
        GOOD.replace("      - {label: Sim, next: fim}\n", "      - {label: Sim, next: laco}\n")
        + "  - id: laco\n    type: ask\n    question: De novo?\n"
        "    choices:\n      - {label: Sim, next: laco}\n",
        "caso.yaml",
        21,
        "laco",
        "não há caminho daqui até um fim",
    ),
    "ciclo sem pergunta": (
        GOOD.replace("      - {label: Sim, next: fim}\n", "      - {label: Sim, next: a}\n")
        + "  - id: a\n    type: info\n    next: b\n  - id: b\n    type: info\n    next: a\n",
        "caso.yaml",
        21,
        "a",
        "ciclo sem pergunta",
    ),
    "too many choices": (
        GOOD.replace("      - {label: Sim, next: fim}\n", "      - {label: Sim, next: fim}\n" * 9),
        "caso.yaml",
        7,
        "pergunta.choices",
        "10 opções",
    ),
    "branch on a value never asked": (
        GOOD.replace("next: escalar}", "next: desvio}")
        + "  - id: desvio\n    type: branch\n    on: motivo\n"
        "    branches: {x: fim}\n    next: escalar\n",
        "caso.yaml",
        23,
        "desvio.on",
        'ramifica por "motivo", que não é definido em todo caminho',
    ),
    "branch key never set": (
        GOOD.replace("next: escalar}", "next: desvio}")
        + "  - id: desvio\n    type: branch\n    on: area\n"
        "    branches: {urbana: fim, rurl: escalar}\n",
        "caso.yaml",
        24,
        "desvio.branches.rurl",
        'nunca recebe "rurl" (você quis dizer "rural"?)',
    ),
    "OS without phones": (
        GOOD.replace("next: escalar}", "next: fim_os}").replace(
            "  - id: escalar\n    type: use\n    fragment: escalar\n    next: fim_os\n", ""
        ),
        "caso.yaml",
        15,
        "fim_os.outcome",
        "não são pedidos em todo caminho",
    ),
    "wrong verdict name": (
        GOOD.replace("next: escalar}", "next: rx}")
        + "  - id: rx\n    type: value\n    value: {name: rx, kind: dbm, label: RX}\n"
        "    check: signal.rx\n    branches: {insde: fim, outside: escalar}\n",
        "caso.yaml",
        25,
        "rx.branches.insde",
        'você quis dizer "inside"',
    ),
    "verdict without a way on": (
        GOOD.replace("next: escalar}", "next: rx}") + "  - id: rx\n    type: value\n"
        "    value: {name: rx, kind: dbm, label: RX, optional: true}\n"
        "    check: signal.rx\n    branches: {inside: fim, outside: escalar}\n",
        "caso.yaml",
        25,
        "rx.branches",
        "sem caminho para missing",
    ),
    "check on the wrong kind": (
        GOOD.replace("next: escalar}", "next: data}")
        + "  - id: data\n    type: value\n    value: {name: d, kind: date, label: Data}\n"
        "    check: signal.rx\n    next: escalar\n",
        "caso.yaml",
        24,
        "data.check",
        "tipo dbm ou number, não date",
    ),
    "unknown node type": (
        GOOD.replace("type: end\n    outcome: resolved", "type: edn\n    outcome: resolved"),
        "caso.yaml",
        15,
        "fim",
        'você quis dizer "end"',
    ),
    "unknown key": (
        GOOD.replace("question: Resolveu?", "questoin: Resolveu?"),
        "caso.yaml",
        6,
        "pergunta.questoin",
        'você quis dizer "question"',
    ),
    "unknown fact": (
        GOOD.replace("question: Resolveu?", "question: Custa {fees.visit_cty}?"),
        "caso.yaml",
        6,
        "pergunta.question",
        'você quis dizer "fees.visit_city"',
    ),
    "unknown call value": (
        GOOD.replace("question: Resolveu?", "question: Contrato {call.contrat}?"),
        "caso.yaml",
        6,
        "pergunta.question",
        'você quis dizer "contract"',
    ),
    "unknown n1 value": (
        GOOD.replace("question: Resolveu?", "question: Volta {n1.bak}?"),
        "caso.yaml",
        6,
        "pergunta.question",
        'você quis dizer "back"',
    ),
    "return outside a fragment": (
        GOOD.replace("next: fim}", "next: $return}"),
        "caso.yaml",
        8,
        "pergunta.choices[0].next",
        "só sai de um fragmento",
    ),
    "unknown fragment": (
        GOOD.replace("fragment: escalar", "fragment: escala"),
        "caso.yaml",
        12,
        "escalar.fragment",
        'você quis dizer "escalar"',
    ),
    "OS end without subject": (
        GOOD.replace("    os_subject: Teste\n", ""),
        "caso.yaml",
        19,
        "fim_os.outcome",
        "precisa de os_subject",
    ),
    "urgency on a resolved end": (
        GOOD.replace("outcome: resolved", "outcome: resolved\n    urgency: alta"),
        "caso.yaml",
        17,
        "fim.urgency",
        "urgency é só para fins que abrem OS",
    ),
    "context value of the wrong kind": (
        GOOD.replace("next: escalar}", "next: tel}") + "  - id: tel\n    type: value\n"
        "    value: {name: phones, kind: text, label: T}\n    next: escalar\n",
        "caso.yaml",
        23,
        "tel.value.kind",
        "phones é um valor da chamada do tipo phones",
    ),
    "area set to an unknown value": (
        GOOD.replace("{label: Sim, next: fim}", "{label: Sim, set: {area: cidade}, next: fim}"),
        "caso.yaml",
        8,
        "pergunta.choices[0].set.area",
        "area é um de: urbana, rural",
    ),
    "unknown then_flow": (
        GOOD.replace("outcome: resolved", "outcome: resolved\n    then_flow: outro"),
        "caso.yaml",
        17,
        "fim.then_flow",
        'fluxo desconhecido "outro"',
    ),
    "duplicate node id": (
        GOOD + "  - id: fim\n    type: end\n    outcome: informed\n",
        "caso.yaml",
        21,
        "fim",
        "id de nó repetido (o primeiro na linha 14)",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_flow_is_reported_with_file_line_and_key(tmp_path: Path, case: str) -> None:
    text, file, line, key, words = CASES[case]
    find(problems_of(tmp_path, {"caso.yaml": text}), file, line, key, words)


def test_a_problem_in_a_fragment_points_into_the_fragment(tmp_path: Path) -> None:
    root = make_pack(tmp_path, {"bom.yaml": GOOD})
    (root / "flows" / "_escalar.yaml").write_text(
        ESCALATE.replace("off_shift: $return", "off_shift: fora")
    )
    with pytest.raises(PackError) as caught:
        load_pack(root)
    find(list(caught.value.problems), "_escalar.yaml", 11, "turno.off_shift", 'desconhecido "fora"')


def test_a_flow_without_the_opening_file_is_refused(tmp_path: Path) -> None:
    root = make_pack(tmp_path, {"bom.yaml": GOOD})
    (root / "flows" / "_abertura.yaml").unlink()
    with pytest.raises(PackError) as caught:
        load_pack(root)
    find(list(caught.value.problems), "bom.yaml", 2, "opening", "_abertura.yaml não existe")


def test_opening_false_needs_no_opening(tmp_path: Path) -> None:
    root = make_pack(tmp_path, {"bom.yaml": "opening: false\n" + GOOD})
    (root / "flows" / "_abertura.yaml").unlink()
    assert load_pack(root).flows["bom"].entry == "pergunta"


def test_a_bad_file_name_is_refused(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, {"Sem Conexao.yaml": GOOD})
    assert any("palavras minúsculas" in p.message for p in problems)


def test_check_command_reports_flow_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_pack(tmp_path, {"caso.yaml": GOOD.replace("next: escalar}", "next: escalr}")})
    assert main(["check", str(root)]) == 2
    err = capsys.readouterr().err
    assert "caso.yaml:9: pergunta.choices[1].next: nó desconhecido" in err


def test_bundled_pack_checks_clean(pack_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(pack_dir)]) == 0
    assert "12 fluxos" in capsys.readouterr().out
