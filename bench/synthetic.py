"""Deterministic synthetic FAQ packs, to measure search (and the TUI) at sizes no provider has.

Entries look like the real pack: a question, a few aliases and tags, a say text
and a guidance text, in Portuguese-like words with accents, drawn with a Zipf
law so that some words are everywhere and most are rare, as in real text.
The same ``(n, seed)`` always gives the same entries.

In Python::

    from bench.synthetic import generate
    entries = generate(10_000)

As a pack folder (faq/*.yaml plus copies of the real provider.yaml, pack.yaml
and synonyms.yaml), e.g. to open the TUI on 10,000 entries::

    .venv/bin/python -m bench.synthetic 10000 /tmp/pack-10k
    .venv/bin/mutum-copilot --knowledge /tmp/pack-10k check
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import shutil
from pathlib import Path

import yaml

from mutum_copilot.knowledge.models import FaqEntry

REPO = Path(__file__).resolve().parent.parent
REAL_PACK = REPO / "knowledge" / "mutum-fibra"
VERIFIED_ON = dt.date(2026, 11, 24)
ENTRIES_PER_FILE = 1000

# The most frequent words: the trade's own vocabulary, accents included.
_CORE_TEXT = """
internet conexão roteador fibra sinal cliente fatura boleto pagamento bloqueio desbloqueio
senha wi-fi rede técnico visita instalação endereço mudança cancelamento contrato plano
velocidade lentidão cabo aparelho luz vermelha piscando modem onu central assinante
atendimento protocolo chamado suporte financeiro vencimento comprovante pix cartão
débito crédito multa fidelidade taxa valor cobrança desconto promoção upgrade downgrade
horário plantão sábado domingo feriado noite cidade bairro rural fazenda comunidade
antena rádio poste caixa emenda rompimento manutenção queda oscilação latência jogo
streaming televisão câmera segurança repetidor mesh cobertura sinalização porta ip fixo
dns servidor navegador celular computador notebook cadastro titular documento cpf
whatsapp telefone ligação mensagem email aplicativo sistema acesso login usuário
"""
CORE = tuple(_CORE_TEXT.split())
_SYLLABLE_TEXT = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge go la le li lo lu ma me mi mo "
    "mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo "
    "ção são lha lhe nho nha qui que gui tra tre tro pla ple bra bri cra cre fra gra pro pré "
    "tá tê ví có mú ã õ ên ân"
)
SYLLABLES = tuple(_SYLLABLE_TEXT.split())
_FUNCTION_TEXT = "de do da dos das o a os as em no na para com que e por ao um uma"
FUNCTION_WORDS = tuple(_FUNCTION_TEXT.split())
OPENERS = (
    "Como",
    "Qual",
    "O que fazer quando",
    "Por que",
    "Quando",
    "Onde",
    "Podemos",
    "Quanto custa",
)
SECTIONS = (
    "Suporte técnico",
    "Financeiro",
    "Comercial",
    "Sistemas",
    "Instalação",
    "Empresa",
    "Rede",
    "Atendimento",
)


def vocabulary_size(n: int) -> int:
    """Heaps' law: distinct words grow slower than the text."""
    return min(60_000, 1_500 + int(40 * n**0.6))


def pseudo_words(count: int, rng: random.Random) -> list[str]:
    """Pronounceable, distinct, accented now and then: "trelhação", "mupré"."""
    out: dict[str, None] = dict.fromkeys(CORE)
    while len(out) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        out.setdefault(word)
    return list(out)


class _Writer:
    """Draws words with a Zipf law and strings them into Portuguese-like text."""

    def __init__(self, n: int, rng: random.Random) -> None:
        self.rng = rng
        self.words = pseudo_words(vocabulary_size(n), rng)
        self.cum = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(self.words))))

    def content(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)

    def phrase(self, k: int, distinct: bool = False) -> str:
        drawn = self.content(k)
        parts: list[str] = []
        for word in dict.fromkeys(drawn) if distinct else drawn:
            if parts and self.rng.random() < 0.35:
                parts.append(self.rng.choice(FUNCTION_WORDS))
            parts.append(word)
        return " ".join(parts)

    def sentence(self) -> str:
        text = self.phrase(self.rng.randint(5, 13))
        return text[0].upper() + text[1:] + "."


def generate(n: int, seed: int = 1) -> list[FaqEntry]:
    """``n`` synthetic entries, identical for the same ``n`` and ``seed``."""
    rng = random.Random(seed)
    writer = _Writer(n, rng)
    entries = []
    for i in range(n):
        topic = writer.phrase(rng.randint(2, 5), distinct=True)
        question = f"{rng.choice(OPENERS)} {topic}?"
        topic_words = [w for w in topic.split() if w not in FUNCTION_WORDS]
        aliases = []
        for _ in range(rng.randint(1, 4)):
            own = writer.content(rng.randint(0, 2))
            picked = rng.sample(topic_words, min(len(topic_words), rng.randint(1, 2)))
            aliases.append(" ".join(dict.fromkeys(picked + own)))
        entries.append(
            FaqEntry(
                id=f"sint-{i:06d}",
                question=question,
                verified_on=VERIFIED_ON,
                say=" ".join(writer.sentence() for _ in range(rng.randint(1, 3))),
                guidance=" ".join(writer.sentence() for _ in range(rng.randint(1, 2))),
                aliases=tuple(dict.fromkeys(aliases)),
                tags=tuple(dict.fromkeys(writer.content(rng.randint(1, 3)))),
                section=SECTIONS[i % len(SECTIONS)],
            )
        )
    return entries


def write_pack(entries: list[FaqEntry], out: Path, source: Path = REAL_PACK) -> Path:
    """Write ``entries`` as a loadable pack folder next to the real pack's other files."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("pack.yaml", "provider.yaml", "synonyms.yaml"):
        shutil.copyfile(source / name, out / name)
    faq = out / "faq"
    if faq.exists():
        shutil.rmtree(faq)
    faq.mkdir()
    by_section: dict[str, list[FaqEntry]] = {}
    for entry in entries:
        by_section.setdefault(entry.section, []).append(entry)
    number = 0
    for section, members in by_section.items():
        for start in range(0, len(members), ENTRIES_PER_FILE):
            number += 1
            chunk = [_as_yaml(e) for e in members[start : start + ENTRIES_PER_FILE]]
            text = yaml.dump(
                {"section": section, "entries": chunk},
                Dumper=_Dumper,
                allow_unicode=True,
                sort_keys=False,
                width=100,
            )
            (faq / f"parte-{number:04d}.yaml").write_text(text, encoding="utf-8")
    return out


class _Dumper(yaml.SafeDumper):
    """Plain YAML as a person writes it: no ``&id001`` anchors for repeated values."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _as_yaml(entry: FaqEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "question": entry.question,
        "say": entry.say,
        "guidance": entry.guidance,
        "aliases": list(entry.aliases),
        "tags": list(entry.tags),
        "verified_on": entry.verified_on,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic knowledge pack.")
    parser.add_argument("n", type=int, help="number of FAQ entries (e.g. 1000, 10000, 100000)")
    parser.add_argument("out", type=Path, help="pack folder to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    write_pack(generate(args.n, args.seed), args.out)
    print(f"{args.out}: {args.n} synthetic entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
