"""What the agent types to find a customer: a CPF, a CNPJ or a contract number.

IXC keeps ``cliente.cnpj_cpf`` formatted (``000.000.000-00``,
``00.000.000/0000-00``), so a document is checked by its digits and sent in
that shape. The full document lives only inside a :class:`LookupKey`, for the
one request that needs it: its ``repr``/``str`` and every message here show it
masked, and nothing else in the package keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from mutum_copilot.errors import InputError
from mutum_copilot.triage.formats import ascii_digits, cpf_check_digits, mask_cpf

KeyKind = Literal["cpf", "cnpj", "contract"]
#: What people put between a document's digits, ASCII or full-width, and the dash look-alikes
#: (the shapes the trust work masks, see ``triage.formats.mask_documents``).
_PUNCTUATION = re.compile(r"[\s.\-/\u2024\u3000\uff0e\ufe52\u2010-\u2014\u2212\ufe63\uff0d\uff0f]")
#: A label the agent may paste with the key: "CPF:", "CNPJ nº", "contrato #".
_LABEL = re.compile(
    r"^\s*(?:c\.?p\.?f\.?|c\.?n\.?p\.?j\.?|contrato)\s*(?:n[º°o.]*\s*)?[:=#\-]?\s*",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"[0-9]+")
#: IXC ids are database integers; a longer run of digits is no contract number.
MAX_CONTRACT_DIGITS = 10


@dataclass(frozen=True)
class LookupKey:
    """A validated search key; ``value`` is the full text IXC is asked for (never shown)."""

    kind: KeyKind
    value: str = field(repr=False)
    masked: str

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"LookupKey({self.kind!r}, {self.masked!r})"


def cnpj_check_digits(first_twelve: str) -> str:
    """The two check digits of a CNPJ, from its first twelve digits (mod 11)."""
    digits = [int(c) for c in first_twelve]
    for weights in ((5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)):
        rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        digits.append(0 if rest < 2 else 11 - rest)
    return f"{digits[-2]}{digits[-1]}"


def format_cpf(digits: str) -> str:
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"


def format_cnpj(digits: str) -> str:
    return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:]}"


def mask_cnpj(digits: str) -> str:
    """``**.345.678/0001-**``: the company's branch shows, the rest does not."""
    return f"**.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-**"


def mask_document(text: str) -> str:
    """A CPF or CNPJ as IXC returns it (any punctuation), masked; other text fully masked."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11:
        return mask_cpf(digits)
    if len(digits) == 14:
        return mask_cnpj(digits)
    return "•" * 8 if digits else ""


def parse_lookup_key(raw: str) -> LookupKey:
    """A CPF (11 digits), a CNPJ (14) or a contract number; InputError (pt-BR) otherwise."""
    bare = _LABEL.sub("", raw.strip(), count=1)
    text = "".join(ascii_digits(c) or c for c in _PUNCTUATION.sub("", bare))
    if not text:
        raise InputError("informe o CPF, o CNPJ ou o número do contrato")
    if not _DIGITS.fullmatch(text):
        raise InputError("use só números: CPF (11), CNPJ (14) ou o número do contrato")
    if len(text) == 11:
        if len(set(text)) == 1 or cpf_check_digits(text[:9]) != text[9:]:
            raise InputError("CPF inválido: os dígitos verificadores não conferem")
        return LookupKey("cpf", format_cpf(text), mask_cpf(text))
    if len(text) == 14:
        if len(set(text)) == 1 or cnpj_check_digits(text[:12]) != text[12:]:
            raise InputError("CNPJ inválido: os dígitos verificadores não conferem")
        return LookupKey("cnpj", format_cnpj(text), mask_cnpj(text))
    number = text.lstrip("0")
    if not number or len(number) > MAX_CONTRACT_DIGITS:
        raise InputError(
            f"{len(text)} números não formam CPF (11), CNPJ (14) nem número de contrato"
        )
    return LookupKey("contract", number, f"contrato {number}")
