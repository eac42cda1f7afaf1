"""``pack diff``: what an edit changes, as data (for the TUI later) and in a supervisor's words."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from mutum_copilot.cli import main
from mutum_copilot.errors import PackError
from mutum_copilot.packs.diff import (
    FactChange,
    FieldChange,
    FlowChange,
    ItemChange,
    PackDiff,
    diff_packs,
)
from mutum_copilot.packs.diff_text import render_diff, summary_line
from mutum_copilot.packs.loader import load_pack

AMAZONAS = Path(__file__).parent / "packs" / "amazonas"

NEW_ENTRY = """\
  - id: wifi
    question: Como trocar a senha do Wi-Fi?
    verified_on: 2026-12-01
    say: Pelo app Rio Negro Net.
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def edited(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the pack before an edit, and one after it."""
    old, new = tmp_path / "antes", tmp_path / "depois"
    shutil.copytree(AMAZONAS, old)
    shutil.copytree(AMAZONAS, new)
    edit(new / "pack.yaml", "version: 2026.11.30", "version: 2026.12.01")
    edit(new / "provider.yaml", "amount: 60.00", "amount: 65.00")  # a fee
    edit(new / "provider.yaml", "  block_after_days: 15\n", "")  # a rule removed
    edit(new / "provider.yaml", "  - name: boleto\n", "  - name: boleto\n  - name: cartão\n")
    faq = new / "faq" / "atendimento.yaml"
    text = faq.read_text(encoding="utf-8")
    start = text.index("  - id: contato")
    end = text.index("  - id: visita-improdutiva")
    faq.write_text(text[:start] + text[end:] + NEW_ENTRY, encoding="utf-8")  # one out, one in
    edit(new / "faq" / "financeiro.yaml", "{rules.block_after_days} dias", "15 dias")
    flow = new / "flows" / "sem-conexao.yaml"
    edit(flow, "    title: Reinício\n", "    title: Reiniciar o roteador\n")
    edit(flow, "      outside: escalar\n", "      outside: aviso\n")
    edit(
        flow,
        "  - id: radio\n",
        "  - id: aviso\n    type: info\n    say: O sinal está fora da faixa.\n    next: escalar\n"
        "  - id: radio\n",
    )
    edit(
        new / "flows" / "financeiro.yaml",
        "O bloqueio ocorre com {rules.block_after_days} dias",
        "O bloqueio ocorre com 15 dias",
    )
    edit(new / "flows" / "_encaminhar-n1.yaml", "Já encaminhei", "Acabei de encaminhar")
    edit(
        new / "synonyms.yaml",
        "  - [visita, técnico]\n",
        "  - [visita, técnico]\n  - [wifi, rede]\n",
    )
    return old, new


@pytest.fixture
def diff(edited: tuple[Path, Path]) -> PackDiff:
    return diff_packs(load_pack(edited[0]), load_pack(edited[1]))


def test_facts_with_old_and_new_value(diff: PackDiff) -> None:
    by_name = {f.name: f for f in diff.facts}
    assert by_name["fees.visit_city.amount"] == FactChange(
        "changed",
        "fees.visit_city.amount",
        "visita técnica improdutiva na cidade",
        "R$ 60,00",
        "R$ 65,00",
    )
    assert by_name["rules.block_after_days"] == FactChange(
        "removed", "rules.block_after_days", "", "15", None
    )
    assert by_name["payment_methods"].new == "Pix (QR Code no app Rio Negro Net), boleto e cartão"
    # the fee's group line is not repeated: only its most precise name
    assert "fees.visit_city" not in by_name


def test_entries_added_removed_and_changed(diff: PackDiff) -> None:
    kinds = {(e.kind, e.id) for e in diff.faq}
    assert ("added", "wifi") in kinds and ("removed", "contato") in kinds
    changed = {e.id: e for e in diff.faq if e.kind == "changed"}
    visit = changed["visita-improdutiva"]  # its text says the fee: it changes with it
    (say,) = visit.fields
    assert say.label == "o que dizer" and "R$ 60,00" in say.old and "R$ 65,00" in say.new
    assert "prazo-de-bloqueio" not in changed  # "{rules.block_after_days} dias" was "15 dias"


def test_flow_steps_added_removed_and_changed(diff: PackDiff) -> None:
    flows = {(f.id, f.fragment): f for f in diff.flows}
    steps = {s.id: s for s in flows[("sem-conexao", False)].steps}
    assert steps["aviso"].kind == "added" and steps["aviso"].title == "O sinal está fora da faixa."
    renamed = steps["reinicio"]
    assert renamed.kind == "changed" and renamed.title == "Reiniciar o roteador"
    assert [(f.label, f.old, f.new) for f in renamed.fields] == [
        ("título", "Reinício", "Reiniciar o roteador")
    ]
    branches = steps["sinal_rx"].fields[0]
    assert branches.label == "caminhos" and "outside: aviso" in branches.new
    # "{rules.block_after_days} dias" became "15 dias": the same words, no change; the
    # payment methods it names changed, so that step did
    assert [s.id for s in flows[("financeiro", False)].steps] == ["segunda_via"]
    fragment = flows[("encaminhar-n1", True)]
    assert [s.id for s in fragment.steps] == ["no_turno"]  # once, not once per flow


def test_synonyms_and_versions(diff: PackDiff) -> None:
    assert diff.synonyms_added == (("wifi", "rede"),) and not diff.synonyms_removed
    assert (diff.old_version, diff.new_version) == ("2026.11.30", "2026.12.01")


def test_the_same_pack_changes_nothing() -> None:
    same = diff_packs(load_pack(AMAZONAS), load_pack(AMAZONAS))
    assert same.empty and summary_line(same) == "Nenhuma mudança no que o atendente vê."


def test_the_supervisors_words(diff: PackDiff) -> None:
    text = render_diff(diff)
    assert text.startswith("Pacote rio-negro-net: versão 2026.11.30 → 2026.12.01\n")
    assert "~ fees.visit_city.amount (visita técnica improdutiva na cidade): " in text
    assert "era “R$ 60,00”, agora “R$ 65,00”" in text
    assert "- rules.block_after_days: removido (era “15”)" in text
    assert "+ nova: “Como trocar a senha do Wi-Fi?” (wifi)" in text
    assert "- removida: “Qual o telefone da Rio Negro Net?” (contato)" in text
    assert "~ fluxo alterado: “Sem conexão” (sem-conexao)" in text
    assert "+ etapa nova: “O sinal está fora da faixa.” (aviso)" in text
    assert "~ trecho comum alterado: “Encaminhar ao N1” (encaminhar-n1)" in text
    assert "era:   “Já encaminhei" in text and "agora: “Acabei de encaminhar" in text
    short = render_diff(diff, texts=False)
    assert "mudou: título" in short and "era:" not in short


def test_pack_diff_command(edited: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "diff", str(edited[0]), str(edited[1]), "--short"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1] == (
        "Mudam: 3 fatos, 4 perguntas do FAQ, 3 fluxos ou trechos (5 etapas), 1 grupo de sinônimos."
    )


def test_pack_diff_refuses_a_broken_pack(
    edited: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    (edited[1] / "pack.yaml").write_text("id: [\n", encoding="utf-8")
    assert main(["pack", "diff", str(edited[0]), str(edited[1])]) == 2
    err = capsys.readouterr().err
    assert f"{edited[1] / 'pack.yaml'}:" in err and "não é um pacote válido" in err


def test_control_characters_from_a_pack_never_reach_the_terminal(
    edited: tuple[Path, Path],
) -> None:
    edit(
        edited[1] / "faq" / "atendimento.yaml",
        "say: A equipe técnica atende",
        'say: "Atende \\x1b[2J\\x07"\n    guidance: A equipe técnica atende',
    )
    # The loader refuses the edit (so no diff of it ever reaches a screen) ...
    with pytest.raises(PackError, match="U\\+0007, U\\+001B"):
        load_pack(edited[1])
    # ... and the renderer cleans what it is handed all the same.
    old, new = load_pack(edited[0]), load_pack(edited[0])
    entry = new.faq[0]
    new = dataclasses.replace(
        new, faq=(dataclasses.replace(entry, say="Atende \x1b[2J\x07"), *new.faq[1:])
    )
    text = render_diff(diff_packs(old, new))
    assert "Atende [2J" in text
    assert "\x1b" not in text and "\x07" not in text


FLOW = """\
title: {title}
verified_on: 2026-12-01
opening: false
start: fim
nodes:
  - id: fim
    type: end
    outcome: transfer_financial
"""


@pytest.fixture
def reshaped(tmp_path: Path) -> PackDiff:
    """Another edit: every kind of field, step and flow change, each once."""
    old, new = tmp_path / "antes", tmp_path / "depois"
    shutil.copytree(AMAZONAS, old)
    shutil.copytree(AMAZONAS, new)
    edit(new / "pack.yaml", "review_interval_days: 60", "review_interval_days: 45")
    edit(
        new / "provider.yaml",
        "label: visita técnica improdutiva na cidade",
        "label: visita na cidade",
    )
    edit(
        new / "provider.yaml",
        "  visit_river:\n",
        "  installation:\n    label: instalação\n    amount: 100.00\n  visit_river:\n",
    )
    faq = new / "faq" / "atendimento.yaml"
    edit(faq, "verified_on: 2026-09-01", "verified_on: 2026-12-01")
    edit(faq, "aliases: [telefone, whatsapp]", "aliases: [telefone, zap]")
    flows = new / "flows"
    edit(flows / "_encaminhar-n1.yaml", "title: Encaminhar ao N1", "title: Passar ao N1")
    edit(flows / "_abertura.yaml", "set: {area: ribeirinha}", "set: {area: ribeirinha, rx: '0'}")
    edit(flows / "_abertura.yaml", "label: Contrato}", "label: Contrato, optional: true}")
    edit(flows / "financeiro.yaml", "opening: false\n", "")
    flow = flows / "sem-conexao.yaml"
    edit(flow, "keywords: [sem internet, caiu]", "keywords: [sem internet, caiu, offline]")
    edit(flow, "      inside: reinicio\n", "      inside: fim_resolvido\n")
    text = flow.read_text(encoding="utf-8")
    flow.write_text(  # the step "reinicio" removed
        text[: text.index("  - id: reinicio")] + text[text.index("  - id: radio") :],
        encoding="utf-8",
    )
    edit(
        flow,
        "    type: info\n    title: Rádio\n    say: Vou encaminhar para a equipe de rádio "
        "verificar a sua antena.\n    next: escalar\n",
        "    type: end\n    title: Rádio\n    outcome: resolved\n",
    )
    (old / "flows" / "cancelamento.yaml").write_text(
        FLOW.format(title="Cancelamento"), encoding="utf-8"
    )
    (new / "flows" / "mudanca.yaml").write_text(
        FLOW.format(title="Mudança de endereço"), encoding="utf-8"
    )
    return diff_packs(load_pack(old), load_pack(new))


def field(name: str, label: str, old: str, new: str) -> tuple[FieldChange, ...]:
    return (FieldChange(name, label, old, new),)


def test_every_kind_of_change_is_worded_exactly(reshaped: PackDiff) -> None:
    assert reshaped.meta == field("review_interval_days", "intervalo de revisão (dias)", "60", "45")
    assert reshaped.facts == (
        FactChange("added", "fees.installation", "instalação", None, "R$ 100,00"),
        FactChange(
            "changed",
            "fees.visit_city.label",
            "",
            "visita técnica improdutiva na cidade",
            "visita na cidade",
        ),
    )
    assert reshaped.faq == (
        ItemChange(
            "changed",
            "contato",
            "Qual o telefone da Rio Negro Net?",
            field("aliases", "outras formas de perguntar", "telefone, whatsapp", "telefone, zap"),
        ),
        ItemChange(
            "changed",
            "visita-improdutiva",
            "Quanto custa a visita técnica improdutiva?",
            field("verified_on", "verificado em", "01/09/2026", "01/12/2026"),
        ),
    )
    area = "1. Cidade (fibra óptica) (define area = cidade) → tecnologia; 2. Comunidade "
    assert reshaped.flows == (
        FlowChange(
            "changed",
            "sem-conexao",
            "Sem conexão",
            False,
            field(
                "keywords", "palavras-chave", "sem internet, caiu", "sem internet, caiu, offline"
            ),
            (
                ItemChange(
                    "changed",
                    "sinal_rx",
                    "Sinal RX",
                    field(
                        "branches",
                        "caminhos",
                        "inside: reinicio, outside: escalar/telefones",
                        "inside: fim_resolvido, outside: escalar/telefones",
                    ),
                ),
                ItemChange(
                    "changed", "radio", "Rádio", field("type", "tipo de etapa", "info", "end")
                ),
                ItemChange("removed", "reinicio", "Reinício"),
            ),
        ),
        FlowChange(
            "changed",
            "financeiro",
            "Financeiro",
            False,
            field("opening", "usa a abertura comum", "não", "sim"),
        ),
        FlowChange("added", "mudanca", "Mudança de endereço", False),
        FlowChange("removed", "cancelamento", "Cancelamento", False),
        FlowChange(
            "changed",
            "encaminhar-n1",
            "Passar ao N1",
            True,
            field("title", "título", "Encaminhar ao N1", "Passar ao N1"),
        ),
        FlowChange(
            "changed",
            "abertura",
            "Identificação do cliente",
            True,
            steps=(
                ItemChange(
                    "changed",
                    "contrato",
                    "Contrato",
                    field(
                        "value",
                        "valor pedido",
                        "Contrato (contract, text)",
                        "Contrato (contract, text, opcional)",
                    ),
                ),
                ItemChange(
                    "changed",
                    "area",
                    "Área",
                    field(
                        "choices",
                        "opções",
                        area + "ribeirinha (rádio) (define area = ribeirinha) → tecnologia",
                        area + "ribeirinha (rádio) (define area = ribeirinha, rx = 0) → tecnologia",
                    ),
                ),
            ),
        ),
    )
    assert reshaped.step_count == 5 and not reshaped.empty
