"""Read hand-edited YAML safely, keeping the line of every key.

Supervisors edit these files by hand, so every value must be traceable to a
line for error messages, and no file may hang or crash the loader: YAML bombs
(aliases that expand without end), recursive aliases, binary garbage, huge
files, files that are not regular files (a FIFO hangs ``open``, ``/dev/zero``
never ends) and several documents in one file are all refused with a clear
message.

No text read here may drive a terminal: a control character (ESC, BEL, C1, a
bidi override...; see :mod:`mutum_copilot.safetext`), typed raw or written as
a double-quoted escape such as ``"\\e[2J"``, is a problem at its file and line.

The resolver is deliberately stricter than YAML 1.1: only ``true``/``false``
are booleans (``no``, ``on``, ``yes`` stay text) and ``13:30`` stays text
instead of becoming the sexagesimal integer 810.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from mutum_copilot.errors import Problem
from mutum_copilot.files import UnreadableFileError, read_regular
from mutum_copilot.safetext import control_characters
from mutum_copilot.yamlkit.yaml_errors import translate_problem

if TYPE_CHECKING:
    import yaml

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64


class _BadValue:
    """Stands for a scalar that could not be read; its problem is already recorded."""

    def __repr__(self) -> str:
        return "BAD_VALUE"


BAD_VALUE: Any = _BadValue()


class YMap(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YList(list[Any]):
    """A sequence that remembers its own line and the line of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


_RESOLVERS: list[tuple[str, str, str]] = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9_]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "0123456789"),
]
#: Parse with libyaml when PyYAML has it (tests turn it off to compare both paths).
USE_LIBYAML = True


@functools.cache
def _kit() -> tuple[ModuleType, type[Any], type[Any] | None]:
    """PyYAML, its strict loader and the libyaml loader (None without libyaml).

    Built on the first parse, not on import: the TUI's first screen, over a
    cached pack and with no config file, never needs PyYAML (~10 ms to import).
    """
    import yaml

    class _StrictLoader(yaml.SafeLoader):
        """SafeLoader with YAML-1.2-like implicit types (see module docstring)."""

    _StrictLoader.yaml_implicit_resolvers = {}
    for tag, pattern, first in _RESOLVERS:
        _StrictLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))
    _StrictLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])
    if not getattr(yaml, "__with_libyaml__", False):  # pragma: no cover
        return yaml, _StrictLoader, None

    class _FastLoader(yaml.CSafeLoader):
        """The same resolvers on libyaml's parser: ten times faster on a whole pack.

        Only a clean parse is taken from it; any YAML error, and any text the pure
        Python reader would refuse, is parsed again by the strict loader, so the
        messages (and which texts are refused) stay exactly those of PyYAML.
        """

    _FastLoader.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
    return yaml, _StrictLoader, _FastLoader


@dataclass(frozen=True)
class YamlResult:
    """The data of one file, or the problems that kept it from being read."""

    data: Any
    problems: tuple[Problem, ...]


class _TooBig(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Builder:
    """Turns a composed node tree into YMap/YList/scalars under a node budget."""

    def __init__(self, path: str, text: str = "", secret: bool = False) -> None:
        self.path = path
        self.text = text
        self.secret = secret
        self.yaml, strict, _ = _kit()
        self.constructor = strict("")
        self.nodes = 0
        self.problems: list[Problem] = []

    def build(
        self, node: yaml.Node, depth: int = 0, active: frozenset[int] = frozenset(), key: str = ""
    ) -> Any:
        self.nodes += 1
        line = node.start_mark.line + 1
        if self.nodes > MAX_NODES:
            raise _TooBig(
                f"o arquivo se expande em mais de {MAX_NODES:,} valores "
                "(aliases que se expandem sem fim?); recusado",
                line,
            )
        if depth > MAX_DEPTH:
            raise _TooBig(f"valores aninhados em mais de {MAX_DEPTH} níveis; recusado", line)
        if id(node) in active:
            raise _TooBig("um alias refere-se a si mesmo (YAML recursivo); recusado", line)
        if isinstance(node, self.yaml.MappingNode):
            return self._mapping(node, depth, active | {id(node)}, key)
        if isinstance(node, self.yaml.SequenceNode):
            result = YList(line)
            for index, item in enumerate(node.value):
                item_key = f"{key}[{index}]"
                result.append(self.build(item, depth + 1, active | {id(node)}, item_key))
                result.item_lines.append(item.start_mark.line + 1)
            return result
        return self._scalar(node, key)

    def _mapping(
        self, node: yaml.MappingNode, depth: int, active: frozenset[int], path: str
    ) -> YMap:
        result = YMap(node.start_mark.line + 1)
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge" or (
                isinstance(key_node, self.yaml.ScalarNode)
                and key_node.value == "<<"
                and not key_node.style
            ):
                self.problems.append(
                    Problem(
                        self.path,
                        key_line,
                        "chaves de mesclagem (<<) não são aceitas; escreva as chaves por extenso",
                    )
                )
                continue
            if not isinstance(key_node, self.yaml.ScalarNode):
                self.problems.append(
                    Problem(self.path, key_line, "uma chave deve ser texto simples")
                )
                continue
            key = str(key_node.value)
            where = f"{path}.{key}" if path else key
            if key in result:
                self.problems.append(
                    Problem(
                        self.path,
                        key_line,
                        f"chave repetida (a primeira na linha {result.key_lines[key]})",
                        where,
                    )
                )
                continue
            result[key] = self.build(value_node, depth + 1, active, where)
            result.key_lines[key] = key_line
        return result

    def _scalar(self, node: yaml.Node, key: str) -> Any:
        line = node.start_mark.line + 1
        try:
            value = self.constructor.construct_object(node, deep=True)
        except self.yaml.YAMLError as exc:
            self.problems.append(Problem(self.path, line, _describe(exc), key))
        except (
            ValueError
        ):  # e.g. an impossible date such as 2026-02-30 (Python says why in English)
            shown = "(valor oculto)" if self.secret else repr(node.value)
            message = f"valor inválido {shown}: essa data não existe no calendário"
            if node.tag != "tag:yaml.org,2002:timestamp":
                message = f"valor inválido {shown}"
            self.problems.append(Problem(self.path, line, message, key))
        else:
            if isinstance(value, str) and getattr(node, "style", None) == '"':
                self._escaped_controls(node, value, line, key)
            return value
        return BAD_VALUE

    def _escaped_controls(self, node: yaml.Node, value: str, line: int, key: str) -> None:
        """A control character written as an escape (``\\e``, ``\\x1b``) in a quoted text."""
        found = control_characters(value)
        if not found:
            return
        source = self.text[node.start_mark.index : node.end_mark.index]
        raw = {code for _, code in control_characters(source)}
        escaped = sorted({code for _, code in found} - raw)  # raw ones are reported by line
        if escaped:
            self.problems.append(Problem(self.path, line, _control_message(escaped), key))


def _control_message(codes: list[str]) -> str:
    which = ", ".join(codes)
    return (
        f"caractere de controle {which} no texto: pode comandar o terminal do atendente; remova-o"
    )


def raw_control_problems(text: str, path: str) -> list[Problem]:
    """Control characters typed raw that YAML itself accepts (C1 NEL, bidi overrides...).

    YAML's own reader already refuses raw C0 and most C1 codes (reported with
    their line by :func:`_parse_slow`); these others would reach the screen.
    """
    yaml, _, _ = _kit()
    refused_by_yaml = yaml.reader.Reader.NON_PRINTABLE
    by_line: dict[int, list[str]] = {}
    for index, code in control_characters(text):
        if refused_by_yaml.match(text, index):
            continue
        by_line.setdefault(text.count("\n", 0, index) + 1, []).append(code)
    return [
        Problem(path, line, _control_message(sorted(set(codes))))
        for line, codes in sorted(by_line.items())
    ]


def _describe(exc: yaml.YAMLError) -> str:
    text = translate_problem(getattr(exc, "problem", None) or str(exc))
    context_mark = getattr(exc, "context_mark", None)
    problem_mark = getattr(exc, "problem_mark", None)
    if (
        context_mark is not None
        and problem_mark is not None
        and context_mark.line != problem_mark.line
    ):
        text += f" (a estrutura começou na linha {context_mark.line + 1})"
    return f"YAML inválido: {text}"


def _error_line(exc: yaml.YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else 1


def parse_yaml_text(
    text: str, path: str, allow_empty: bool = False, secret: bool = False
) -> YamlResult:
    """Parse one YAML document from text; never raises for bad input.

    ``allow_empty``: a file with no data (only comments) reads as None, not a problem.
    ``secret``: no problem message echoes a value (the vault).
    """
    if "\x00" in text:
        return YamlResult(None, (Problem(path, 1, "dados binários, não um arquivo de texto YAML"),))
    builder = _Builder(path, text, secret)
    root = _fast_root(text)
    if root is None:
        result = _parse_slow(text, path, builder, allow_empty)
    else:
        result = _build(root, path, builder, allow_empty)
    raw = raw_control_problems(text, path)
    return YamlResult(result.data, (*raw, *result.problems)) if raw else result


def _fast_root(text: str) -> yaml.Node | None:
    """The node tree by libyaml, or None to leave the text (and its errors) to PyYAML."""
    yaml, _, fast = _kit()
    if fast is None or not USE_LIBYAML or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    try:
        loader = fast(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def _parse_slow(text: str, path: str, builder: _Builder, allow_empty: bool) -> YamlResult:
    yaml, strict, _ = _kit()
    try:
        loader = strict(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            message = "vários documentos YAML (---) num arquivo; mantenha um por arquivo"
            return YamlResult(None, (Problem(path, _error_line(exc), message),))
        return YamlResult(None, (Problem(path, _error_line(exc), _describe(exc)),))
    except yaml.reader.ReaderError as exc:  # a control character: say which, and where
        line = text.count("\n", 0, exc.position) + 1
        message = f"o caractere U+{exc.character:04X} não é permitido num arquivo de texto YAML"
        return YamlResult(None, (Problem(path, line, message),))
    except yaml.YAMLError as exc:
        return YamlResult(None, (Problem(path, _error_line(exc), _describe(exc)),))
    except RecursionError:
        return YamlResult(None, (Problem(path, 1, "valores aninhados fundo demais; recusado"),))
    return _build(root, path, builder, allow_empty)


def _build(root: yaml.Node | None, path: str, builder: _Builder, allow_empty: bool) -> YamlResult:
    if root is None:
        return YamlResult(None, () if allow_empty else (Problem(path, 1, "o arquivo está vazio"),))
    try:
        data = builder.build(root)
    except _TooBig as exc:
        return YamlResult(None, (Problem(path, exc.line, exc.message),))
    if data is None and not builder.problems and not allow_empty:
        return YamlResult(None, (Problem(path, 1, "o arquivo não tem dados (só null)"),))
    return YamlResult(data, tuple(builder.problems))


def read_yaml_file(
    path: Path, shown_as: str | None = None, allow_empty: bool = False, secret: bool = False
) -> YamlResult:
    """Read and parse a YAML file; every failure becomes a Problem naming the file.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read (see
    :func:`mutum_copilot.files.read_regular`): a FIFO, a device or a huge file
    is refused at once, never waited on.
    """
    name = shown_as or str(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except UnreadableFileError as exc:
        return YamlResult(None, (Problem(name, 0, str(exc)),))
    except FileNotFoundError:
        return YamlResult(None, (Problem(name, 0, "arquivo não encontrado"),))
    except IsADirectoryError:
        return YamlResult(None, (Problem(name, 0, "é uma pasta, não um arquivo"),))
    except OSError as exc:
        return YamlResult(None, (Problem(name, 0, f"não foi possível ler: {exc.strerror or exc}"),))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return YamlResult(
            None, (Problem(name, line, "não é texto UTF-8 (binário ou codificação errada)"),)
        )
    return parse_yaml_text(text, name, allow_empty, secret)
