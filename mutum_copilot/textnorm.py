"""Text normalisation for search: the same folding for the FAQ texts and for what agents type.

Agents type fast, without accents and in any case ("mudanca", "SEGUNDA VIA",
"2ª via"), so every comparison happens on *folded* words: Unicode NFKD with
the combining marks dropped, then casefolded. Tokens keep the span of the
original word, so the UI can highlight "Mudança" when the agent typed
"mudanca". Pure Python, no third-party imports.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Letters and digits; "_" is a word character for ``\w`` but never a word here.
_WORD = re.compile(r"[^\W_]+")
# Words joined by a hyphen or an apostrophe ("wi-fi", "e-mail", "d'água").
_COMPOUND = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)+")
# "2ª", "1º", "2a", "2o" are ordinals: "2ª via" is "2 via" in the synonyms.
_ORDINAL = re.compile(r"(\d+)(?:a|o|as|os)")
# Longest word worth comparing; longer runs are pasted junk (hashes, URLs).
MAX_WORD = 40

# Function words of pt-BR that carry no topic, plus the greetings and fillers
# agents paste from chats. "nao" and "sem" stay: "sem conexão" is a topic.
_STOP_TEXT = """
    a à ao aos as às o um uma uns umas de da das do dos dum duma em na nas no nos num numa
    por pelo pela pelos pelas para pra pro pros com e ou mas que qual quais quando quanto quanta
    quantos quantas como onde porque porquê pq se é eu ele ela eles elas nos nós voce você vc vcs
    meu minha meus minhas seu sua seus suas lhe lhes me te isso isto esse essa esses essas este
    esta estes estas aquele aquela aquilo ja já mais muito muita tem ter ser foi sao são está
    estou estar estao estão tá ta to tô the of and to is it la lá aqui ai aí entao então tambem
    também ainda so só agora favor por oi ola olá obrigado obrigada bom boa tudo bem ok sim
    gostaria queria quero preciso posso pode consigo devo fazer faço faz algum alguma seja
    quem alguem ninguem algo cada qualquer dele dela deles delas nosso nossa nossos nossas
    mim comigo conosco teu tua
"""


class Token(NamedTuple):
    """A folded word and where its original spelling sits in the text."""

    norm: str
    start: int
    end: int


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Accent- and case-insensitive form: "Mudança" -> "mudanca", "ÁREA" -> "area"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Words of a chat that name no topic: people, time, fillers, chat verbs. They stay
# searchable (an alias may hold one) but weigh little in a query, and an entry that
# shares only these with a query does not answer it ("posso desbloquear de novo" is
# not about a *new* point or address).
_GENERIC_TEXT = """
    cliente clientes pessoa senhor senhora moco moca atendente empresa mutum voces
    novo nova novos novas novamente denovo outra outro vez vezes
    dia hoje ontem amanha cedo tarde noite madrugada semana desde faz horas
    problema problemas coisa questao duvida informacao caso ajuda ajudar favor lugar
    mes meses ano anos hora minuto minutos depois antes serve servir
    falou disse diz relata relatou informou pediu perguntou reclamou reclama avisou
    quer queria gostaria precisa precisando saber ver vir vem ir vai vou ficou fica
    deu dar esta estava estou consegue conseguiu tentou tentei acontece aconteceu
    deve devem deveria mandou mandei enviou enviei
    celular computador notebook tablet smartphone
    muito pouco nada todo toda todos todas sempre nunca direito certo
"""

# Everyday verbs of a chat message ("moro em fazenda", "chegou a fatura", "mando pra
# quem"): the common forms of these regular -ar verbs, and of a few irregular ones,
# are generic too (see _conjugated).
_CHAT_VERBS = """
    chegar morar mandar enviar falar ligar usar deixar passar pegar ficar achar
    mostrar perguntar avisar reclamar relatar tentar precisar gostar
"""
_IRREGULAR = """
    ve vejo viu vi vendo visto tenho tem temos tinha teve tive faco faz fazem fez fiz
    feito digo diz disse dizendo dito pode posso pude podia vem venho veio vim vou vai
    vamos vao foi fui ia pedi pediu peco pede pedindo consegui conseguiu consigo quis
    quer queria sei sabe soube aparece apareceu aparecendo
"""

# Words that frame a question ("quanto custa", "como funciona", "tem") without naming
# its subject: "quanto tempo demora a instalação" is about the installation. They
# count for the answer only when a query has nothing else.
_FRAME_TEXT = """
    quanto custa custo custos valor valores preco precos taxa tempo demora demorar prazo
    como funciona funcionamento existe possui oferece oferecem fornece fornecem trabalha
    trabalham procedimento proceder podemos informar aceita aceitam aceitar
    ativo ativa ativado
"""

# Folded, like every word they are compared with.
STOP_WORDS = frozenset(fold(w) for w in _STOP_TEXT.split())
_AR_ENDINGS = ("o", "a", "as", "amos", "am", "ou", "ei", "ava", "avam", "ar", "ando", "ado", "e")


def _conjugated(verbs: str) -> set[str]:
    """Common forms of regular -ar verbs ("chegar": chego, chega, chegou, cheguei...)."""
    forms: set[str] = set(_IRREGULAR.split())
    for verb in verbs.split():
        root = verb[:-2]
        for ending in _AR_ENDINGS:
            soft = ending[:1] in "ei"  # "chegu-ei", "fiqu-ei": the spelling keeps the sound
            forms.add((_soft_ending(root) if soft else root) + ending)
    return forms


def _soft_ending(root: str) -> str:
    if root.endswith("g"):
        return root + "u"
    if root.endswith("c"):
        return root[:-1] + "qu"
    return root


GENERIC_WORDS = frozenset(fold(w) for w in _GENERIC_TEXT.split()) | _conjugated(_CHAT_VERBS)
FRAME_WORDS = frozenset(fold(w) for w in _FRAME_TEXT.split())
# Function words that are also trade terms: "os" is an article and an OS (ordem de
# serviço). They are indexed like any word, but weigh little in a query.
WEAK_WORDS = frozenset({"os"})
# Word pairs that mean something else together: "de novo" is "again", not "new".
STOP_PAIRS = frozenset({("de", "novo"), ("outra", "vez")})


def fold_word(word: str) -> str:
    """Fold one word and read ordinals as their number ("2ª" -> "2")."""
    folded = fold(word)
    if folded[:1].isdigit():
        match = _ORDINAL.fullmatch(folded)
        if match:
            return match.group(1)
    return folded


def _fast_table() -> dict[int, str]:
    """Characters of Latin text that fold to one ASCII letter, digit or a space.

    Text made only of these folds character by character, so spans in the
    folded text are spans in the original and one regex pass finds the words.
    """
    table: dict[int, str] = {}
    ranges = (range(0x80, 0x250), range(0x2000, 0x2070), range(0x20A0, 0x20C1))
    for code in (c for r in ranges for c in r):
        char = chr(code)
        folded = fold(char)
        if _WORD.fullmatch(char):
            if len(folded) == 1 and folded.isascii() and folded.isalnum():
                table[code] = folded
        elif not unicodedata.category(char).startswith("C"):
            table[code] = " "
    return table


_FAST = _fast_table()
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[Token]:
    """Every word of ``text``, folded, with its original span; nothing dropped."""
    folded = text.translate(_FAST)
    if folded.isascii():
        return [_fast_token(m) for m in _ASCII_WORD.finditer(folded.lower())]
    out: list[Token] = []
    for match in _WORD.finditer(text):
        norm = fold_word(match.group())
        if not norm.isalnum():
            # A ligature or symbol that folds into several words ("ﬁ" is fine, "½" is not).
            parts = _WORD.findall(norm)
            if not parts:
                continue
            norm = "".join(parts)
        out.append(Token(norm[:MAX_WORD], match.start(), match.end()))
    return out


def _fast_token(match: re.Match[str]) -> Token:
    norm = match.group()
    if norm[0].isdigit():
        ordinal = _ORDINAL.fullmatch(norm)
        if ordinal:
            norm = ordinal.group(1)
    return Token(norm[:MAX_WORD], match.start(), match.end())


def is_content(norm: str) -> bool:
    """Whether a folded word can drive ranking: not a stop word, not a lone letter."""
    if norm in STOP_WORDS:
        return False
    return len(norm) > 1 or norm.isdigit()


def content_words(text: str) -> list[Token]:
    """The words that can drive ranking, in order."""
    return [t for t in words(text) if is_content(t.norm)]


def content_norms(text: str) -> list[str]:
    """The folded content words of ``text`` without their spans: indexing needs only these."""
    folded = text.translate(_FAST)
    if not folded.isascii():
        return [t.norm for t in content_words(text)]
    out = []
    for word in _ASCII_WORD.findall(folded.lower()):
        if word[0].isdigit():
            word = _ordinal(word)
        elif word in STOP_WORDS or len(word) == 1:
            continue
        out.append(word if len(word) <= MAX_WORD else word[:MAX_WORD])
    return out


def compounds(text: str) -> list[Token]:
    """Hyphenated words written solid ("wi-fi" -> "wifi"), so "wifi" and "email" find them."""
    if "-" not in text and "'" not in text and "’" not in text:
        return []
    out: list[Token] = []
    for match in _COMPOUND.finditer(text):
        norm = "".join(fold_word(w) for w in _WORD.findall(match.group()))
        if norm.isalnum():
            out.append(Token(norm[:MAX_WORD], match.start(), match.end()))
    return out


def phrase(text: str) -> tuple[str, ...]:
    """A synonym written by a person, as the content words the index sees."""
    return tuple(t.norm for t in content_words(text))


def fold_aligned(text: str) -> str | None:
    """``text`` folded character by character (same length, same offsets), or None.

    None when some character does not fold to exactly one (emoji, CJK, "ß").
    """
    folded = text.translate(_FAST)
    return folded.lower() if folded.isascii() else None


def find_terms(
    text: str,
    terms: set[str],
    phrases: tuple[tuple[str, ...], ...] = (),
    extra: list[tuple[int, int]] | None = None,
    folded: str | None = None,
) -> list[tuple[int, int]]:
    """Spans of ``text`` whose folded word is in ``terms``, or that spell one of ``phrases``.

    ``extra`` spans are added as they are (the caller's matched hyphenated
    words; when None, :func:`compounds` are searched here). ``folded`` is
    :func:`fold_aligned` of ``text`` if the caller has it cached. This runs for
    every result on every keystroke, so Latin text avoids tokenising: one
    ``findall`` and a ``str.find`` per term that is actually present.
    """
    if extra is None:
        extra = [(t.start, t.end) for t in compounds(text) if t.norm in terms]
    folded = folded or fold_aligned(text)
    if folded is None:
        return _outermost(_find_terms_slowly(text, terms, phrases) + extra)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if term in folded:  # a substring test in C; most terms are absent
            spans += _occurrences(folded, term)
    for parts in phrases:
        if all(p in folded for p in parts):
            spans += _phrase_spans_folded(folded, parts)
    return _outermost(spans + extra)


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans without those inside another ("Wi" and "Fi" inside "Wi-Fi")."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if out and end <= out[-1][1]:
            continue
        out.append((start, end))
    return out


def _occurrences(folded: str, term: str) -> list[tuple[int, int]]:
    found = []
    start = folded.find(term)
    while start >= 0:
        end = start + len(term)
        if (start == 0 or not folded[start - 1].isalnum()) and (
            end == len(folded) or not folded[end].isalnum()
        ):
            found.append((start, end))
        start = folded.find(term, end)
    return found


_NEXT_WORD = re.compile(r"[^a-z0-9]*([a-z0-9]+)")


def _phrase_spans_folded(folded: str, parts: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the content words ``parts`` follow each other in ``folded`` (stop words between)."""
    spans = []
    for start, end in _occurrences(folded, parts[0]) if not parts[0].isdigit() else []:
        found = [(start, end)]
        pos = end
        for part in parts[1:]:
            while True:
                match = _NEXT_WORD.match(folded, pos)
                if match is None:
                    break
                pos = match.end()
                word = _ordinal(match.group(1))
                if is_content(word):
                    break
            if match is None or _ordinal(match.group(1)) != part:
                break
            found.append(match.span(1))
        else:
            spans += found
    if parts[0].isdigit():  # "2ª via": the number is written with its ordinal sign
        spans += _phrase_spans(content_words(folded), (parts,))
    return spans


def _ordinal(word: str) -> str:
    if word[:1].isdigit():
        match = _ORDINAL.fullmatch(word)
        if match:
            return match.group(1)
    return word


def _phrase_spans(
    tokens: list[Token], phrases: tuple[tuple[str, ...], ...]
) -> list[tuple[int, int]]:
    norms = [t.norm for t in tokens]
    spans = []
    for parts in phrases:
        size = len(parts)
        for i in range(len(norms) - size + 1):
            if tuple(norms[i : i + size]) == parts:
                spans += [(t.start, t.end) for t in tokens[i : i + size]]
    return spans


def _find_terms_slowly(
    text: str, terms: set[str], phrases: tuple[tuple[str, ...], ...]
) -> list[tuple[int, int]]:
    tokens = content_words(text)
    spans = [(t.start, t.end) for t in tokens if t.norm in terms]
    return spans + _phrase_spans(tokens, phrases)


# --- a light stemmer -----------------------------------------------------------

# Plural endings, then one inflection or derivation suffix (longest first): enough for
# "pagou" to meet "paguei" and "pagamento", and "bloqueada" to meet "bloqueio",
# without a dictionary.
_PLURALS = (("oes", "ao"), ("aes", "ao"), ("ais", "al"), ("eis", "el"))
_SUFFIX_TEXT = """
    amento imento acao icao idade idao anca encia ancia mente
    ando endo indo ado ada ido ida ante
    ou ei eu iu ar er ir ia io ao a e o
"""
_SUFFIXES = tuple(sorted(_SUFFIX_TEXT.split(), key=len, reverse=True))
MIN_STEM = 3


@lru_cache(maxsize=65536)
def stem(norm: str) -> str:
    """The stem of a folded word: ``pagou``, ``paguei``, ``pagamento`` -> ``pag``.

    Deliberately light (a plural, then one suffix, leaving at least three letters):
    it joins the forms of one word that agents and customers type, and leaves short
    words, numbers and trade terms ("onu", "pix", "8010") as they are.
    """
    if len(norm) <= MIN_STEM or not norm.isalpha():
        return norm
    word = _singular(norm)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    if word.endswith(("que", "gue")) and len(word) > MIN_STEM + 1:
        word = word[:-1]  # "bloque(ado)" -> "bloqu", as in "bloqu(eio)"
    if word.endswith("gu") and len(word) > MIN_STEM:
        word = word[:-1]  # "pagu(ei)" -> "pag", as in "pag(ou)"
    return word


def _singular(word: str) -> str:
    for plural, singular in _PLURALS:
        if word.endswith(plural) and len(word) > len(plural) + 2:
            return word[: -len(plural)] + singular
    if word.endswith("es") and len(word) > 5 and word[-3] in "rzsl":
        return word[:-2]  # "roteadores", "luzes"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        return word[:-1]
    return word
