"""``mutum-copilot pack new DIR``: the files of a minimal pack, commented for supervisors.

Every required key is written with an empty value and a ``PREENCHA`` comment,
so ``check`` right after lists exactly what is left to fill; every optional
section is written as a comment, ready to uncomment. The comments are in
Portuguese (supervisors read them), the keys in English as the format has
them (docs/pack-format.md). A test fills the empty keys with the examples of
that document, and nothing else, and loads the result.
"""

from __future__ import annotations

import re
from pathlib import Path

from mutum_copilot.errors import InputError

_SLUG = re.compile(r"[^a-z0-9]+")

PACK_YAML = """\
# Pacote de conhecimento de um provedor para o mutum-copilot.
# O formato de cada arquivo e de cada chave está em docs/pack-format.md.
# Preencha as chaves marcadas PREENCHA e confira com:
#   mutum-copilot check {folder}
id: {pack_id}  # identificador do pacote: palavras minúsculas ligadas por "-"
name:  # PREENCHA: o nome do pacote, ex.: Rio Negro Net

# Opcionais:
# version: 2026.12.01          # versão do pacote (sem ela, vale um resumo dos arquivos)
# description: Atendimento noturno dos clientes da Rio Negro Net.
# review_interval_days: 90     # dias até uma pergunta ou um fluxo precisar de nova revisão
"""

PROVIDER_YAML = """\
# Fatos do provedor, escritos uma única vez. Os textos do FAQ e dos fluxos
# citam os fatos pelo nome entre chaves, ex.: {fees.visit_city}; mude o valor
# aqui e todos os textos mudam juntos. Credenciais nunca ficam aqui.
#
# Obrigatório: o que todo provedor tem (nome, fusos, contato, horários).
# Fusos são nomes IANA, nunca "GMT-4": America/Cuiaba (Mato Grosso),
# America/Manaus (Amazonas), America/Sao_Paulo (Brasília), America/Belem...

provider:
  name:  # PREENCHA: o nome do provedor, ex.: Rio Negro Net
  time_zone:  # PREENCHA: o fuso do provedor, ex.: America/Manaus
  time_zone_label:  # PREENCHA: como os textos chamam esse horário, ex.: horário de Manaus (GMT-4)
  # region_label: Manaus e Iranduba (AM)

call_center:
  name:  # PREENCHA: o nome da central que atende, ex.: UPCALL
  time_zone:  # PREENCHA: o fuso dos atendentes, ex.: America/Sao_Paulo
  time_zone_label:  # PREENCHA: ex.: horário de Brasília (GMT-3)
  # channels: [chat, ligação]

contacts:
  phone:  # PREENCHA: o telefone do provedor, ex.: (92) 3000-0000
  # whatsapp: 0800 000 0000
  # whatsapp_link: https://wa.me/55...
  # site: www.provedor.com.br
  # head_office: {label: Matriz, street: "Rua Um, 100", district: Centro, city: Manaus}

schedules:
  # Horários por dia da semana (mon, tue, wed, thu, fri, sat, sun), cada um uma
  # lista de intervalos "HH:MM-HH:MM"; um dia que não aparece está fechado.
  # Uma noite é dividida na meia-noite: "19:30-24:00" e, no dia seguinte, "00:00-09:30".
  n1:
    label:  # PREENCHA: ex.: equipe N1 do provedor
    time_zone:  # PREENCHA: o fuso em que os horários do N1 estão escritos
    week:  # PREENCHA: ex.: {mon: ["08:00-12:00", "14:00-18:00"], tue: [...], ...}
    # closed_on_holidays: true   # feriados fecham o N1 (veja holidays abaixo)
  call_center:
    label:  # PREENCHA: ex.: cobertura da UPCALL
    time_zone:  # PREENCHA: o fuso em que a cobertura está escrita
    week:  # PREENCHA: quando a central atende este provedor, ex.: {sun: ["00:00-24:00"]}
    # closed_on_holidays: false

# --- Opcionais: descomente o que o documento do provedor disser ---------------

# Feriados: país e estado são obrigatórios quando a seção existe (nenhum estado é suposto).
# holidays:
#   country: BR
#   subdivision: AM
#   extra:                       # feriados municipais e fechamentos pontuais
#     - date: 2026-10-24
#       name: Aniversário de Manaus

# Áreas que a abertura pergunta: o valor (value) é o que os fluxos usam,
# o rótulo (label) é o que o atendente e a nota da OS mostram.
# areas:
#   - value: cidade
#     label: cidade (fibra óptica)
#   - value: ribeirinha
#     label: comunidade ribeirinha (rádio)

# coverage:
#   summary: Fibra em Manaus; rádio nas comunidades.
#   cities:
#     - name: Manaus
#       technology: fibra óptica

# Sistemas que o atendente usa; o login fica no cofre, pela vault_key.
# systems:
#   erp:
#     name: MK-Auth
#     url: https://mk.provedor.com.br/
#     purpose: ERP do provedor
#     vault_key: mk_auth

# network:
#   dns_primary: 192.0.2.10
#   dns_secondary: 192.0.2.11
#   ipv6: true

# Faixas ideais de sinal que uma etapa pode conferir (check: signal.rx).
# signal:
#   rx: {from: -14, to: -24, unit: dBm, meaning: sinal recebido na ONU}
#   tx: {from: 1, to: 4, unit: dBm}

# fees:
#   visit_city:
#     label: visita técnica improdutiva
#     amount: 60.00

# Regras do provedor, cada uma opcional. Uma etapa só confere uma regra que exista aqui.
# rules:
#   block_after_days: 15
#   trust_unlock_days: 30
#   sla_last_resort_working_hours: 24

# payment_methods:
#   - name: Pix
#     detail: QR Code no app

# products:
#   tv:
#     name: TV do provedor
"""

SYNONYMS_YAML = """\
# Palavras que os atendentes usam para a mesma coisa; a busca trata cada grupo
# como uma palavra só. Exemplo:
#   groups:
#     - [net, internet]
#     - [boleto, fatura, 2 via]
groups: []
"""

FAQ_YAML = """\
# Perguntas do FAQ desta seção. Os textos citam fatos pelo nome: {contacts.phone}.
# Cada pergunta tem a data em que foi conferida com o documento do provedor
# (verified_on); passado o intervalo de revisão, o check avisa. Exemplo:
#   - id: segunda-via
#     question: Como tirar a segunda via do boleto?
#     verified_on: 2026-11-24
#     say: Você pode baixar a fatura no app do provedor.
#     guidance: Confira no ERP se há faturas vencidas.
#     aliases: [2 via, boleto]
section: Geral
entries: []
"""

FLOWS_README = """\
Fluxos de triagem: um arquivo .yaml por fluxo (flows/sem-conexao.yaml), e
trechos compartilhados com nome começando por _ (flows/_abertura.yaml é a
abertura que todo fluxo roda primeiro, a não ser que diga opening: false).

O formato, com exemplos: docs/flow-format.md. Um fluxo pequeno:

title: Segunda via
verified_on: 2026-11-24
opening: false
start: pagamento
nodes:
  - id: pagamento
    type: info
    say: Você pode baixar a fatura no app do provedor.
    next: fim
  - id: fim
    type: end
    outcome: resolved

Depois de cada mudança: mutum-copilot check <pasta do pacote>
"""

SECRETS_EXAMPLE = """\
# EXEMPLO do cofre local do atendente. NÃO coloque senhas reais neste arquivo.
# Cada chave é a vault_key de um sistema em provider.yaml, por exemplo:
# mk_auth:
#   login: PREENCHA_O_LOGIN
#   password: PREENCHA_A_SENHA
"""


def pack_id_for(folder: Path) -> str:
    """A pack id from a folder name: ``Rio Negro`` -> ``rio-negro``."""
    return _SLUG.sub("-", folder.resolve().name.lower()).strip("-") or "novo-pacote"


def template_files(folder: Path) -> dict[str, str]:
    """Relative path -> text of every file ``pack new`` writes into ``folder``."""
    return {
        "pack.yaml": PACK_YAML.format(folder=folder, pack_id=pack_id_for(folder)),
        "provider.yaml": PROVIDER_YAML,
        "synonyms.yaml": SYNONYMS_YAML,
        "faq/geral.yaml": FAQ_YAML,
        "flows/LEIA-ME.txt": FLOWS_README,
        "secrets.example.yaml": SECRETS_EXAMPLE,
    }


def write_template(folder: Path) -> list[Path]:
    """Write a new pack into ``folder`` (new or empty); InputError (pt-BR) otherwise."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError(f"{folder} já existe e não está vazia; escolha uma pasta nova")
    written = []
    for relative, text in template_files(folder).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
