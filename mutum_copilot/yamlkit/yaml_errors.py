"""PyYAML's error texts in pt-BR, for the supervisor who edits a pack by hand.

PyYAML words its errors in English ("mapping values are not allowed here").
Each known wording becomes a Portuguese one that says what to fix; an unknown
one becomes a plain "estrutura inválida", never the English text. The line
comes from the error's mark, as before.
"""

from __future__ import annotations

import re

#: PyYAML's token names, as they appear quoted in its messages.
_TOKENS = {
    "<block mapping start>": "o início de um mapeamento",
    "<block sequence start>": "o início de uma lista",
    "<block end>": "o fim do bloco",
    "<stream end>": "o fim do arquivo",
    "<document start>": "o início do documento",
    "<document end>": "o fim do documento",
    "<scalar>": "um valor",
    "<flow mapping start>": "um {",
    "<flow sequence start>": "um [",
    "<anchor>": "uma âncora",
    "<alias>": "um alias",
    "<tag>": "uma tag",
    "?": "uma chave",
}

_PROBLEMS: tuple[tuple[str, str], ...] = (
    (
        r"mapping values are not allowed here",
        '":" fora de lugar (um texto com ": " precisa de aspas)',
    ),
    (r"mapping keys are not allowed here", "chave fora de lugar (confira o recuo)"),
    (
        r"sequence entries are not allowed here",
        'item de lista ("-") fora de lugar (confira o recuo)',
    ),
    (r"could not find expected ':'", 'falta ":" depois da chave'),
    (
        r"found character (?P<t>.+) that cannot start any token",
        "o caractere {t} não pode começar um valor (use aspas; o recuo é com espaços, não TAB)",
    ),
    (
        r"expected <block end>, but found (?P<t>.+)",
        "recuo inconsistente (achou {t} onde o bloco devia terminar)",
    ),
    (r"expected (?P<e>.+?), but (?:found|got) (?P<t>.+)", "esperava {e}, achou {t}"),
    (
        r"found unexpected end of stream",
        "o arquivo termina no meio de um valor (aspas, colchetes ou chaves sem fechar?)",
    ),
    (r"found undefined alias (?P<t>.+)", "alias {t} não definido (nenhuma âncora &{t_bare})"),
    (r"found unknown escape character (?P<t>.+)", "escape {t} desconhecido no texto entre aspas"),
    (r"found duplicate anchor (?P<t>.+?);.*", "âncora {t} repetida"),
    (r"found unexpected document separator", "separador de documento (---) fora de lugar"),
    (r"found undefined tag handle (?P<t>.+)", "tag {t} não definida"),
    (
        r"could not determine a constructor for the tag (?P<t>.+)",
        "tag {t} não aceita (só textos, números, datas, listas e mapeamentos)",
    ),
)


def _token(text: str) -> str:
    bare = text.strip("'\"")
    return _TOKENS.get(bare, f'"{bare}"')


def translate_problem(problem: str) -> str:
    """One PyYAML problem text in pt-BR ("estrutura inválida" when unknown)."""
    for pattern, template in _PROBLEMS:
        found = re.fullmatch(pattern, problem.strip())
        if found is None:
            continue
        words = {name: _token(value) for name, value in found.groupdict().items()}
        if "e" in words:
            words["e"] = " ou ".join(_token(part) for part in found["e"].split(" or "))
        words["t_bare"] = (found.groupdict().get("t") or "").strip("'\"")
        return template.format(**words)
    return "estrutura inválida"
