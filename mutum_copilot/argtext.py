"""argparse's own texts in pt-BR: usage, errors, section titles, ``-h``.

argparse looks every text up through the module-level ``_`` / ``ngettext``
(gettext) when it formats help or an error, so replacing those two names with
a lookup in this table is enough; gettext's catalogs would depend on the
agent's ``LANG``, which a call-center seat does not set reliably. A text not in
the table stays as argparse wrote it (a test walks every ``--help`` and error
and fails on English words).
"""

from __future__ import annotations

import argparse

TEXTS: dict[str, str] = {
    "usage: ": "uso: ",
    "positional arguments": "argumentos posicionais",
    "options": "opções",
    "optional arguments": "opções",
    "show this help message and exit": "mostra esta ajuda e sai",
    "subcommands": "subcomandos",
    "%(prog)s: error: %(message)s\n": "%(prog)s: erro: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "faltam os argumentos obrigatórios: %s",
    "unrecognized arguments: %s": "argumentos não reconhecidos: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "opção inválida: %(value)r (escolha entre %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "valor inválido: %(value)r (esperado: %(type)s)",
    "expected one argument": "espera um valor",
    "expected at most one argument": "espera no máximo um valor",
    "expected at least one argument": "espera ao menos um valor",
    "ambiguous option: %(option)s could match %(matches)s": (
        "opção ambígua: %(option)s pode ser %(matches)s"
    ),
    "not allowed with argument %s": "não pode ser usado com o argumento %s",
    "ignored explicit argument %r": "argumento explícito ignorado: %r",
    "one of the arguments %s is required": "um dos argumentos %s é obrigatório",
    "unexpected option string: %s": "opção inesperada: %s",
    "can't open '%(filename)s': %(error)s": "não foi possível abrir '%(filename)s': %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "comando desconhecido %(parser_name)r (opções: %(choices)s)"
    ),
}
_PLURALS: dict[str, tuple[str, str]] = {
    "expected %s argument": ("espera %s valor", "espera %s valores"),
}


def translate(text: str) -> str:
    """``text`` in pt-BR when argparse's table has it, else unchanged."""
    return TEXTS.get(text, text)


def translate_plural(singular: str, plural: str, count: int) -> str:
    """argparse's ``ngettext``, from the same table."""
    one, many = _PLURALS.get(singular, (singular, plural))
    return one if count == 1 else many


def install() -> None:
    """Make argparse speak pt-BR (idempotent; argparse reads both names at call time)."""
    setattr(argparse, "_", translate)  # noqa: B010 - argparse's gettext hook, not a typed API
    setattr(argparse, "ngettext", translate_plural)  # noqa: B010
