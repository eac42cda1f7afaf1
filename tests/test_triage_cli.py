"""``mutum-copilot flows``: the list of flows and one flow as a tree for review."""

from __future__ import annotations

import pytest

from mutum_copilot.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["flows", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_flows_lists_every_flow(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    for flow_id in (
        "sem-conexao",
        "senha-wifi",
        "lentidao",
        "financeiro",
        "cancelamento",
        "cobertura",
    ):
        assert flow_id in out
    assert "OS N1" in out


def test_a_flow_as_a_tree(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sem-conexao")
    text = " ".join(out.split())
    assert code == 0
    assert "PERGUNTA Bloqueio por débito (bloqueio)" in text
    assert "confere com a faixa ideal -15 a -22 dBm" in text
    assert "FAZER: Localize o cliente no Flashman (https://acs.mutumfibra.com.br/)" in text
    assert "AUTOMÁTICO N1 no turno agora?: conforme o relógio do N1" in text
    assert "{n1.back}" in text  # live values stay as names
    assert "TRECHO COMUM Encaminhar ao N1" in text
    assert "↩ volta ao fluxo" in text
    assert "Abertura comum" in text and "VALOR Nome do cliente" not in text


def test_full_tree_shows_the_opening(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "sem-conexao", "--full")
    text = " ".join(out.split())
    assert "ABERTURA COMUM" in text and "VALOR Nome do cliente [text]" in text
    assert "segue para o fluxo" in text


@pytest.mark.parametrize(
    "flow_id",
    [
        "senha-wifi",
        "lentidao",
        "financeiro",
        "cancelamento",
        "mudanca-endereco",
        "mudanca-ponto",
        "ip-fixo",
        "mesh-repetidores",
        "iptv",
        "cameras",
        "cobertura",
    ],
)
def test_every_flow_renders(capsys: pytest.CaptureFixture[str], flow_id: str) -> None:
    code, out, _ = run(capsys, flow_id, "--full")
    assert code == 0 and "FIM" in out


def test_unknown_flow(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lentidão")
    assert code == 2 and 'você quis dizer "lentidao"' in err
