"""What the agent types to find a customer: checked by its digits, kept whole only for IXC."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutum_copilot.errors import InputError
from mutum_copilot.integrations.documents import mask_document, parse_lookup_key


@pytest.mark.parametrize(
    ("typed", "kind", "value", "masked"),
    [
        ("529.982.247-25", "cpf", "529.982.247-25", "***.982.247-**"),
        (" 52998224725 ", "cpf", "529.982.247-25", "***.982.247-**"),
        ("11.222.333/0001-81", "cnpj", "11.222.333/0001-81", "**.222.333/0001-**"),
        ("11222333000181", "cnpj", "11.222.333/0001-81", "**.222.333/0001-**"),
        ("4821", "contract", "4821", "contrato 4821"),
        ("Contrato: 004821", "contract", "4821", "contrato 4821"),
    ],
)
def test_keys(typed: str, kind: str, value: str, masked: str) -> None:
    key = parse_lookup_key(typed)
    assert (key.kind, key.value, key.masked) == (kind, value, masked)
    assert value not in repr(key) or kind == "contract"
    assert str(key) == masked


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "informe o CPF"),
        ("maria", "use só números"),
        ("529.982.247-26", "CPF inválido"),
        ("111.111.111-11", "CPF inválido"),
        ("11.222.333/0001-82", "CNPJ inválido"),
        ("123456789012", "12 números"),
        ("0000", "números"),
    ],
)
def test_refusals_never_echo_the_digits(typed: str, words: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_lookup_key(typed)
    assert words in str(refused.value)
    digits = "".join(c for c in typed if c.isdigit())
    assert len(digits) < 5 or digits not in str(refused.value)


def test_documents_from_ixc_are_masked_whatever_their_punctuation() -> None:
    assert mask_document("529.982.247-25") == "***.982.247-**"
    assert mask_document("52998224725") == "***.982.247-**"
    assert mask_document("11.222.333/0001-81") == "**.222.333/0001-**"
    assert mask_document("12345") == "••••••••" and mask_document("") == ""


@given(st.text(max_size=40))
def test_any_text_is_a_key_or_a_refusal(typed: str) -> None:
    try:
        key = parse_lookup_key(typed)
    except InputError:
        return
    assert key.kind in ("cpf", "cnpj", "contract") and key.masked


def test_other_scripts_digits_are_sent_as_ascii() -> None:
    key = parse_lookup_key("٥٢٩٩٨٢٢٤٧٢٥")
    assert key.value == "529.982.247-25" and key.masked == "***.982.247-**"


@pytest.mark.parametrize(
    "typed",
    [
        "CPF: 529.982.247-25",
        "cpf nº 529 982 247 25",
        "C.P.F. 529.982.247-25",
        "\uff15\uff12\uff19\uff0e\uff19\uff18\uff12\uff0e\uff12\uff14\uff17\uff0d\uff12\uff15",
        "529\u00a0982\u00a0247\u201125",
        "529.982.247\u201325",
        " 529982247-25 ",
    ],
)
def test_every_shape_the_trust_work_masks_is_a_cpf(typed: str) -> None:
    key = parse_lookup_key(typed)
    assert (key.kind, key.value, key.masked) == ("cpf", "529.982.247-25", "***.982.247-**")


def test_a_labelled_cnpj_and_contract() -> None:
    assert parse_lookup_key("CNPJ: 11.222.333/0001-81").value == "11.222.333/0001-81"
    assert parse_lookup_key("Contrato nº 4821").value == "4821"
