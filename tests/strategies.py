"""Hypothesis strategies shared by the property tests: YAML, bytes, and the values agents type.

Random documents rarely get past the first check of a loader, so besides
documents built from scratch there is :func:`mutated`: a real, valid document
with one to three random edits (a value replaced, a key dropped or added),
which reaches the deep validation where the subtle bugs live.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from mutum_copilot.triage.formats import VALID_DDD, cpf_check_digits
from mutum_copilot.yamlkit.yamlio import YList, YMap, read_yaml_file

#: Keys the pack, the flows, the config and the vault really use, so that random
#: documents sometimes look like the real thing.
KNOWN_KEYS = (
    "id", "name", "version", "provider", "time_zone", "time_zone_label", "call_center",
    "entries", "section", "question", "say", "guidance", "aliases", "tags", "see_also",
    "vault_keys", "verified_on", "groups", "nodes", "start", "title", "type", "next",
    "choices", "label", "set", "value", "kind", "check", "branches", "outcome", "urgency",
    "use", "opening", "schedules", "week", "mon", "signal", "rx", "from", "to", "unit",
    "rules", "fees", "amount", "systems", "vault_key", "login", "password", "note",
    "agent_name", "knowledge", "theme", "keymap", "retention_days", "history_path",
)  # fmt: skip

#: Pieces of YAML syntax, glued at random into texts that stress the parser.
YAML_TOKENS = (
    "- ", ": ", "\n", "  ", "&a ", "*a", "*b", "{", "}", "[", "]", ",", "'", '"', "#",
    "!!str ", "!!python/object:os.system ", "!!binary ", "<<: ", "---\n", "...\n",
    "%YAML 1.1\n", "? ", "|\n", ">-\n", "\t", "\\", "~", "null", "true", "no", "13:30",
    "2026-02-30", "1e400", ".nan", "0x1F", "{call.x}", "{fees.visit_city}", "id", "nodes",
)  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats()
    | st.text(max_size=30)
    | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
    | st.sampled_from(KNOWN_KEYS)
)
keys = st.sampled_from(KNOWN_KEYS) | st.text(max_size=12)
#: Any YAML-representable value: nested mappings, lists and scalars.
yaml_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=20,
)


def dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


#: Whole YAML documents as text.
yaml_documents = yaml_values.map(dump)

#: Texts made of YAML syntax and random characters.
yaml_soup = st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=4), max_size=40).map("".join)

#: What a broken editor, a wrong file or a disk error can leave in a file.
raw_files = (
    st.binary(max_size=400)
    | yaml_soup.map(lambda text: text.encode("utf-8"))
    | yaml_documents.map(lambda text: text.encode("utf-8"))
    | st.text(max_size=200).map(lambda text: text.encode("utf-16"))
)


def plain(value: Any) -> Any:
    """A YMap/YList tree as plain dicts and lists, which ``yaml.safe_dump`` accepts."""
    if isinstance(value, YMap):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, YList):
        return [plain(v) for v in value]
    return value


def read_plain(path: Path) -> Any:
    """A real file of the project, read with the project's own YAML rules."""
    result = read_yaml_file(path)
    assert not result.problems, result.problems
    return plain(result.data)


def _slots(value: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key-or-index) in a tree, the places an edit can touch."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from _slots(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _slots(item)


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> str:
    """``document`` with one to three random edits, dumped as YAML text."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        slots = list(_slots(doc))
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(("replace", "replace", "drop", "add")))
        if action == "replace":
            container[key] = draw(yaml_values)
        elif action == "drop":
            del container[key]
        elif isinstance(container, dict):
            container[draw(keys)] = draw(yaml_values)
        else:
            container.insert(key, draw(yaml_values))
    return dump(doc)


# --- values agents type -----------------------------------------------------------------
nine_digits = st.lists(st.integers(0, 9), min_size=9, max_size=9).filter(lambda d: len(set(d)) > 1)


@st.composite
def valid_cpfs(draw: st.DrawFn) -> str:
    """The 11 digits of a valid CPF (check digits computed independently of the app)."""
    digits = draw(nine_digits)
    for weight_start in (10, 11):
        total = sum(d * w for d, w in zip(digits, range(weight_start, 1, -1), strict=False))
        digits.append(0 if total % 11 < 2 else 11 - total % 11)
    text = "".join(map(str, digits))
    assert cpf_check_digits(text[:9]) == text[9:]  # our reference agrees with the app
    return text


@st.composite
def cpf_shapes(draw: st.DrawFn, digits: str) -> str:
    """``digits`` as an agent may type them: bare, dotted, spaced, padded."""
    a, b, c, d = digits[:3], digits[3:6], digits[6:9], digits[9:]
    shape = draw(
        st.sampled_from(
            (
                f"{a}{b}{c}{d}",
                f"{a}.{b}.{c}-{d}",
                f"{a} {b} {c} {d}",
                f"{a}.{b}.{c}{d}",
                f"{a}{b}{c}-{d}",
            )
        )
    )
    return draw(st.sampled_from(("", " ", "\t"))) + shape + draw(st.sampled_from(("", " ", "\n")))


hex_digits = st.text(alphabet="0123456789abcdefABCDEF", min_size=1, max_size=1)


@st.composite
def mac_shapes(draw: st.DrawFn) -> tuple[str, str]:
    """(what is typed, the expected ``XX:XX``): the last 4 or a whole MAC, any separator."""
    count = draw(st.sampled_from((4, 12)))
    digits = "".join(draw(hex_digits) for _ in range(count))
    separator = draw(st.sampled_from(("", ":", "-", " ", ".")))
    pairs = [digits[i : i + 2] for i in range(0, count, 2)]
    typed = separator.join(pairs) if draw(st.booleans()) else digits
    last = digits[-4:].upper()
    return f" {typed} " if draw(st.booleans()) else typed, f"{last[:2]}:{last[2:]}"


@st.composite
def phones(draw: st.DrawFn) -> tuple[str, str]:
    """(what is typed, the expected ``(DD) NNNNN-NNNN``) for a valid Brazilian phone."""
    ddd = str(draw(st.sampled_from(sorted(VALID_DDD))))
    mobile = draw(st.booleans())
    first = "9" if mobile else draw(st.sampled_from("2345"))
    number = first + "".join(str(draw(st.integers(0, 9))) for _ in range(8 if mobile else 7))
    expected = f"({ddd}) {number[:-4]}-{number[-4:]}"
    prefix = draw(st.sampled_from(("", "+55 ", "55", "0", "+55 (")))
    ddd_part = f"{ddd}) " if prefix.endswith("(") else draw(st.sampled_from((ddd, f"({ddd}) ")))
    head, tail = number[:-4], number[-4:]
    body = draw(st.sampled_from((number, f"{head}-{tail}", f"{head} {tail}")))
    return prefix + ddd_part + body, expected


@st.composite
def date_shapes(draw: st.DrawFn, day: dt.date) -> str:
    """``day`` as agents write it: dd/mm/aaaa, d/m/aa, aaaa-mm-dd, dd.mm.aaaa, dd-mm-aaaa."""
    year = f"{day.year}" if day.year >= 2100 or draw(st.booleans()) else f"{day.year % 100:02d}"
    separator = draw(st.sampled_from("/.-"))
    dd = f"{day.day:02d}" if draw(st.booleans()) else str(day.day)
    mm = f"{day.month:02d}" if draw(st.booleans()) else str(day.month)
    shapes = (f"{dd}{separator}{mm}{separator}{year}", day.isoformat())
    return draw(st.sampled_from(shapes))


#: Text in every corner of Unicode (surrogates excluded: they cannot be typed or stored).
any_text = st.text(max_size=200)
control_text = st.text(alphabet=st.characters(categories=("Cc", "Cf", "Zs", "Zl", "Zp")))
long_text = st.text(min_size=1, max_size=40).map(lambda s: (s * (10_000 // len(s) + 1))[:10_000])
hostile_text = any_text | control_text | long_text | st.just("") | yaml_soup
