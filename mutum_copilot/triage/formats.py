"""Values with a format of their own: CPF, the last 4 of a MAC, Brazilian phones.

Each ``parse_*`` takes what the agent typed (in any of the shapes agents
really type) and returns the normalised text, or raises :class:`InputError`
with a short pt-BR message that the TUI shows under the field.

A CPF is personal data: it is validated here and only its masked form
(``***.456.789-**``) ever leaves this module. No message echoes the digits.
:func:`mask_documents` finds CPFs and CNPJs in any text, whatever their
shape (dots, dashes, slashes, spaces, full-width digits, a "CPF:" label
before them), so no field of a call can keep one in clear.
"""

from __future__ import annotations

import re

from mutum_copilot.errors import InputError

#: Area codes (DDD) in use in Brazil.
# fmt: off
VALID_DDD = frozenset({
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69,
    71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
})
# fmt: on
#: What people put between the digits of a document: spaces, dots, dashes, slashes, in
#: ASCII or full-width (a paste from a PDF or a phone keyboard), plus the dash look-alikes.
_SEPARATORS = (
    " \t\u00a0.\u2024\u3000\uff0e\ufe52-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d/\uff0f"
)
_SEPARATOR_CLASS = "[" + re.escape(_SEPARATORS) + "]"
#: A run of digits (any script's decimal digits) with up to 3 separators between groups.
_NUMERIC_RUN = re.compile(rf"\d+(?:{_SEPARATOR_CLASS}{{1,3}}\d+)*")
_DIGIT_GROUP = re.compile(r"\d+")
_CPF_LABEL = re.compile(r"^\s*(?:cpf|c\.p\.f\.?)\s*(?:n[º°o.]*\s*)?[:=\-]?\s*", re.IGNORECASE)
_CNPJ_WEIGHTS = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_MAC_SEPARATORS = re.compile(r"[\s:.\-]")
_HEX = re.compile(r"[0-9A-F]+")
_PHONE_SPLIT = re.compile(r"\s*(?:[,;/|\n]|\be\b|\bou\b)\s*")
MAX_PHONES = 5


def cpf_check_digits(first_nine: str) -> str:
    """The two check digits of a CPF, from its first nine digits (mod 11)."""
    digits = [int(c) for c in first_nine]
    for weight_start in (10, 11):
        total = sum(d * w for d, w in zip(digits, range(weight_start, 1, -1), strict=False))
        rest = total % 11
        digits.append(0 if rest < 2 else 11 - rest)
    return f"{digits[-2]}{digits[-1]}"


def cnpj_check_digits(first_twelve: str) -> str:
    """The two check digits of a CNPJ, from its first twelve digits (mod 11)."""
    digits = [int(c) for c in first_twelve]
    for weights in (_CNPJ_WEIGHTS[1:], _CNPJ_WEIGHTS):
        rest = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
        digits.append(0 if rest < 2 else 11 - rest)
    return f"{digits[-2]}{digits[-1]}"


def is_cpf(digits: str) -> bool:
    return len(digits) == 11 and len(set(digits)) > 1 and cpf_check_digits(digits[:9]) == digits[9:]


def is_cnpj(digits: str) -> bool:
    return (
        len(digits) == 14 and len(set(digits)) > 1 and cnpj_check_digits(digits[:12]) == digits[12:]
    )


def mask_cpf(digits: str) -> str:
    """``***.456.789-**``: enough to confirm with the customer, not enough to misuse."""
    return f"***.{digits[3:6]}.{digits[6:9]}-**"


def mask_cnpj(digits: str) -> str:
    """``**.345.678/****-**``: the middle of the company's root, nothing more."""
    return f"**.{digits[2:5]}.{digits[5:8]}/****-**"


def ascii_digits(text: str) -> str:
    """The decimal digits of ``text`` (full-width, Arabic-Indic...) as ASCII ``0``-``9``."""
    return "".join(str(int(c)) for c in text if c.isdecimal())


def _phone_shaped(groups: list[str]) -> bool:
    """``65 99988-7766``: a DDD then the number (a phone in free text, not a CPF)."""
    return len(groups[0]) == 2 and 2 <= len(groups) <= 3 and len(groups[-1]) == 4


def mask_documents(text: str, *, any_shape: bool = False) -> str:
    """``text`` with every CPF and CNPJ in it masked, however it was typed.

    A document is a window of consecutive digit groups (separated by spaces,
    dots, dashes or slashes, ASCII or full-width) with 11 digits and valid CPF
    check digits, or 14 and valid CNPJ ones. ``any_shape`` (the log): every
    11- or 14-digit window is masked, valid or not.
    """
    if not text or not any(c.isdecimal() for c in text):
        return text

    def mask_run(match: re.Match[str]) -> str:
        run = match.group(0)
        groups = [(m.start(), m.end(), ascii_digits(m.group())) for m in _DIGIT_GROUP.finditer(run)]
        pieces: list[str] = []
        done = 0
        start = 0
        while start < len(groups):
            found = None
            total = ""
            for end in range(start, len(groups)):
                total += groups[end][2]
                if len(total) > 14:
                    break
                digits = [g[2] for g in groups[start : end + 1]]
                if len(total) == 14 and (any_shape or is_cnpj(total)):
                    found = (end, mask_cnpj(total))
                elif (
                    len(total) == 11
                    and found is None
                    and not _phone_shaped(digits)
                    and (any_shape or is_cpf(total))
                ):
                    found = (end, mask_cpf(total))
            if found is None:
                start += 1
                continue
            end, masked = found
            pieces += [run[done : groups[start][0]], masked]
            done = groups[end][1]
            start = end + 1
        return "".join(pieces) + run[done:]

    return _NUMERIC_RUN.sub(mask_run, text)


#: The name the rest of the package has used for it.
mask_cpfs_in = mask_documents


def parse_cpf(raw: str) -> str:
    """A valid CPF typed with or without punctuation (or a "CPF:" label), returned masked."""
    bare = _CPF_LABEL.sub("", raw.strip())
    text = "".join(
        str(int(c)) if c.isdecimal() else c for c in bare if c not in _SEPARATORS and c != "\n"
    )
    if not text:
        raise InputError("informe o CPF (11 números)")
    if not text.isdigit():
        raise InputError("o CPF tem só números (pontos e traço são opcionais)")
    if len(text) != 11:
        raise InputError(f"o CPF tem 11 números; foram digitados {len(text)}")
    if len(set(text)) == 1:
        raise InputError("CPF inválido: todos os números iguais")
    if cpf_check_digits(text[:9]) != text[9:]:
        raise InputError(
            "CPF inválido: os dígitos verificadores não conferem; confira com o cliente"
        )
    return mask_cpf(text)


def parse_mac4(raw: str) -> str:
    """The last 4 hex digits of a MAC as ``XX:XX``, the shape the Flashman search wants.

    Accepts ``a1b2``, ``A1:B2``, ``a1-b2``, ``A1 B2`` and a whole MAC (the last
    four are kept), in any case.
    """
    text = _MAC_SEPARATORS.sub("", raw.strip()).upper()
    if not text:
        raise InputError("informe os 4 últimos caracteres do MAC, ex.: A1:B2")
    if not _HEX.fullmatch(text):
        raise InputError("o MAC só tem números e letras de A a F, ex.: A1:B2")
    if len(text) == 12:
        text = text[-4:]
    if len(text) != 4:
        raise InputError(
            f"digite os 4 últimos caracteres do MAC (ou o MAC inteiro); foram {len(text)}"
        )
    return f"{text[:2]}:{text[2:]}"


def parse_phone(raw: str) -> str:
    """One Brazilian phone with DDD, formatted ``(65) 99988-7766`` or ``(65) 3308-1020``."""
    digits = re.sub(r"\D", "", raw)
    if not digits:
        raise InputError("informe o telefone com DDD, ex.: (65) 99988-7766")
    if len(digits) in (12, 13) and digits.startswith("55"):
        digits = digits[2:]  # +55, the country code
    elif len(digits) in (11, 12) and digits.startswith("0"):
        digits = digits[1:]  # 0 before the DDD, as dialled from another city
    if len(digits) in (8, 9):
        raise InputError("inclua o DDD, ex.: (65) 99988-7766")
    if len(digits) > 13:
        raise InputError("número longo demais; separe dois telefones com vírgula")
    if len(digits) not in (10, 11):
        raise InputError("telefone com DDD tem 10 ou 11 números, ex.: (65) 3308-1020")
    ddd, number = int(digits[:2]), digits[2:]
    if ddd not in VALID_DDD:
        raise InputError(f"DDD {digits[:2]} não existe")
    if len(number) == 9 and number[0] != "9":
        raise InputError("celular com 9 números começa com 9")
    if len(number) == 8 and number[0] not in "2345":
        raise InputError("celular precisa do 9 na frente; fixo começa com 2 a 5")
    return f"({digits[:2]}) {number[:-4]}-{number[-4:]}"


def parse_phones(raw: str) -> str:
    """One or more phones separated by comma, semicolon, slash or "e"; repeats dropped."""
    parts = [p for p in _PHONE_SPLIT.split(raw.strip()) if p.strip()]
    if not parts:
        raise InputError("informe ao menos um telefone com DDD, ex.: (65) 99988-7766")
    if len(parts) > MAX_PHONES:
        raise InputError(f"no máximo {MAX_PHONES} telefones")
    found: list[str] = []
    for index, part in enumerate(parts, start=1):
        try:
            phone = parse_phone(part)
        except InputError as exc:
            if len(parts) == 1:
                raise
            raise InputError(f"{index}º telefone: {exc}") from None
        if phone not in found:
            found.append(phone)
    return ", ".join(found)
