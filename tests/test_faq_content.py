"""The FAQ content of the bundled pack: it loads, it is complete, it holds no credential.

These tests read the real pack under ``knowledge/mutum-fibra`` (see conftest),
so a content edit that breaks a rule fails here with the file and the entry.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from mutum_copilot.knowledge.facts import FactTable
from mutum_copilot.knowledge.models import FaqEntry
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"
QUERIES = Path(__file__).resolve().parent / "data" / "search_queries.yaml"

CREDENTIAL_WORDS = ("login", "user", "usuario", "senha", "password", "passwd", "token", "secret")
TEXT_FIELDS = ("question", "say", "guidance", "if_asked")


# --- credential detector -------------------------------------------------------


def is_credential_key(key: Any) -> bool:
    """A key named like a credential: ``senha``, or ending in ``_senha``, ``_password``..."""
    name = str(key).strip().lower()
    return any(name == word or name.endswith("_" + word) for word in CREDENTIAL_WORDS)


def has_value(value: Any) -> bool:
    """Anything but nothing: None, blank text and empty collections hold no secret."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict, tuple)):
        return bool(value)
    return value is not None


def credential_keys(data: Any, path: str = "") -> list[str]:
    """Dotted paths of every credential-shaped key holding a value, at any depth."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}" if path else str(key)
            if is_credential_key(key) and has_value(value):
                found.append(here)
            found.extend(credential_keys(value, here))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.extend(credential_keys(item, f"{path}[{index}]"))
    return found


KEY_VALUE_LINE = re.compile(
    r"""^\s*(?:-\s*)?["']?(?P<key>[A-Za-z_][\w-]*)["']?\s*[:=]\s*(?P<value>.*?)\s*$"""
)
EMPTY_VALUES = {"", '""', "''", "~", "null", "[]", "{}", "|", ">", "|-", ">-"}


def credential_lines(text: str) -> list[tuple[int, str]]:
    """Lines such as ``senha: xyz`` or ``API_TOKEN = abc`` in any text, YAML or not."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = KEY_VALUE_LINE.match(line)
        if not match or not is_credential_key(match["key"]):
            continue
        value = match["value"].split(" #", 1)[0].strip()
        if value.lower() not in EMPTY_VALUES:
            found.append((number, line.strip()))
    return found


def knowledge_files() -> list[Path]:
    return sorted(
        p for p in KNOWLEDGE.rglob("*") if p.is_file() and "example" not in p.name.lower()
    )


def test_credential_detector_flags_credentials() -> None:
    assert is_credential_key("senha")
    assert is_credential_key("anlix_password")
    assert is_credential_key("API_TOKEN")
    assert not is_credential_key("vault_key")
    assert not is_credential_key("user_count_max")
    assert not is_credential_key("usuarios")
    data = {"systems": {"anlix": {"url": "x", "login": "admin", "vault_key": "anlix"}}}
    assert credential_keys(data) == ["systems.anlix.login"]
    assert credential_keys({"a": [{"senha": ""}, {"token": None}]}) == []
    assert credential_lines("url: x\n  senha: 1234\n- login: admin\nsenha:\n") == [
        (2, "senha: 1234"),
        (3, "- login: admin"),
    ]
    assert credential_lines("say: a senha são os 4 primeiros números\n") == []


# --- the pack ------------------------------------------------------------------


def test_pack_loads() -> None:
    pack = load_pack(KNOWLEDGE / "mutum-fibra")
    assert len(pack.faq) >= 40


def test_entries_are_complete_and_unique(pack: Pack) -> None:
    ids = [entry.id for entry in pack.faq]
    assert len(ids) == len(set(ids)), "duplicate FAQ ids"
    for entry in pack.faq:
        assert entry.verified_on, entry.id
        assert entry.question.strip(), entry.id
        assert entry.say.strip() or entry.guidance.strip(), entry.id
        assert entry.aliases, f"{entry.id} has no aliases"
        assert entry.section, entry.id


def test_every_reference_was_filled(pack: Pack) -> None:
    """No ``{name}`` left in a text: a reference the loader did not replace is a typo."""
    leftover = re.compile(r"\{[a-z_][a-z0-9_.]*\}")
    for entry in pack.faq:
        for field in TEXT_FIELDS:
            text = getattr(entry, field)
            assert not leftover.search(text), f"{entry.id}.{field}: {leftover.search(text)}"


def _raw_texts() -> list[tuple[str, str, str]]:
    """(entry id, field, text as written) for every FAQ text, before facts are filled."""
    texts = []
    for path in sorted((KNOWLEDGE / "mutum-fibra" / "faq").glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data["entries"]:
            for field in TEXT_FIELDS:
                texts.append((entry["id"], field, str(entry.get(field) or "")))
    return texts


def test_facts_are_not_typed_into_texts(pack: Pack) -> None:
    """Money, times, phones, addresses and URLs come from provider.yaml by name."""
    table = FactTable(pack.facts)
    typed = [
        table.get(name)
        for name in (
            "contacts.phone",
            "contacts.whatsapp",
            "contacts.site",
            "contacts.head_office.street",
            "network.dns_primary",
            "network.dns_secondary",
            "systems.ixc.url",
            "systems.anlix.url",
            "systems.flashman.url",
            "systems.central_assinante.url",
        )
    ]
    forbidden = [
        re.compile(r"R\$"),
        re.compile(r"\b\d{1,2}[:h]\d{2}\b"),  # clock times
        re.compile(r"https?://|www\."),
    ]
    for entry_id, field, text in _raw_texts():
        for value in typed:
            assert value and value not in text, f"{entry_id}.{field} types {value!r}"
        for pattern in forbidden:
            assert not pattern.search(text), f"{entry_id}.{field} types {pattern.pattern}"


def test_no_credentials_under_knowledge() -> None:
    files = knowledge_files()
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not credential_lines(text), f"{path}: {credential_lines(text)}"
        if path.suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text)
            assert not credential_keys(data), f"{path}: {credential_keys(data)}"


def test_credential_entries_point_to_the_vault(pack: Pack) -> None:
    expected = {
        "anlix": {"anlix"},
        "flashman": {"flashman"},
        "localizar-cliente-flashman": {"flashman"},
        "acesso-onu-padrao": {"onu_default"},
        "acesso-aos-roteadores": {"anlix", "flashman"},
    }
    for entry_id, keys in expected.items():
        entry = _entry(pack, entry_id)
        assert keys <= set(entry.vault_keys), entry_id
        assert "cofre" in entry.guidance, entry_id


# --- facts rendered where they belong ----------------------------------------------


def _entry(pack: Pack, entry_id: str) -> FaqEntry:
    entry = pack.faq_entry(entry_id)
    assert entry is not None, f"missing FAQ entry {entry_id}"
    return entry


@pytest.mark.parametrize(
    ("entry_id", "expected"),
    [
        ("visita-improdutiva", ["pode ser cobrada", "deslocamento + mão de obra"]),
        ("dns-padrao", ["143.202.80.56", "143.202.80.57"]),
        ("prazo-de-bloqueio", ["10 dias"]),
        ("desbloqueio-de-confianca", ["30 dias", "menu financeiro"]),
        ("ip-fixo", ["R$ 100,00"]),
        ("mudanca-de-endereco", ["6 meses", "fidelidade vigente"]),
        ("prazo-de-atendimento", ["24 horas úteis"]),
        ("nivel-de-sinal", ["-15 a -22 dBm", "2 a 3 dBm"]),
        ("contatos", ["(65) 3308-1020", "0800 308 1020", "www.mutumfibra.com.br"]),
        ("endereco-matriz", ["Av. dos Canários, 487", "Centro", "Nova Mutum"]),
        ("horario-atendimento-provedor", ["07:30–11:30 e 13:30–17:30", "sábado, 07:30–11:30"]),
        ("horario-call-center", ["19:30–24:00", "13:30–15:30", "GMT-3"]),
        ("plantao-fim-de-semana", ["07:30–11:30"]),
        ("acesso-onu-padrao", ["8010"]),
        ("anlix", ["https://anlix.mutumfibra.com.br/"]),
        ("flashman", ["https://acs.mutumfibra.com.br/"]),
        ("ixc", ["https://ixc.mutumfibra.com.br/adm.php"]),
        ("central-do-assinante", ["central_assinante_web/login", "4 primeiros números do CPF"]),
        ("cidades-atendidas", ["Santa Rita do Trivelato", "Comunidade Pacoval"]),
        ("tecnologias", ["rádio", "fibra óptica"]),
        ("formas-de-pagamento", ["Pix", "Sicredi", "cartão de crédito"]),
    ],
)
def test_fact_is_rendered(pack: Pack, entry_id: str, expected: list[str]) -> None:
    answer = _entry(pack, entry_id).answer
    for text in expected:
        assert text in answer, f"{entry_id} should contain {text!r}"


def test_visit_fee_is_said_only_if_asked(pack: Pack) -> None:
    entry = _entry(pack, "visita-improdutiva")
    assert "R$ 40,00" not in entry.say and "R$ 40,00" in entry.if_asked
    assert "não informe o valor" in entry.guidance


# --- the search quality set -----------------------------------------------------------


def test_search_queries_point_to_real_entries(pack: Pack) -> None:
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    queries = data["queries"]
    assert len(queries) >= 60
    ids = {entry.id for entry in pack.faq}
    for item in queries:
        assert item["query"].strip()
        assert item["expect"] in ids, item
        for other in item.get("also", []):
            assert other in ids, item
    texts = [str(item["query"]) for item in queries]
    assert len(texts) == len(set(texts)), "duplicate queries"
    covered = {item["expect"] for item in queries}
    assert ids <= covered, f"entries no query reaches: {sorted(ids - covered)}"
