"""Every parser and entry point, fed anything: a clear answer, never a stray exception.

Files (pack, flows, config, vault) give a Pack/Settings/Vault or a ProblemsError
whose every problem reads ``path:line: message`` on one line; values typed by
an agent give a Reading or an InputError; the CLI exits 0 or 2 and prints no
traceback. Examples are kept moderate (``PROFILE``) so the file runs in well
under a minute on a small CI machine; failures found are kept as explicit
regression cases at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import (
    cpf_shapes,
    date_shapes,
    dump,
    hostile_text,
    mac_shapes,
    mutated,
    phones,
    raw_files,
    read_plain,
    valid_cpfs,
    yaml_documents,
)

from mutum_copilot.cli import main
from mutum_copilot.commands.history import parse_days, parse_since
from mutum_copilot.commands.shift import parse_at, take_snapshot
from mutum_copilot.config import ConfigError, Settings, load_settings
from mutum_copilot.errors import InputError, PackError, ProblemsError
from mutum_copilot.packs.loader import load_pack
from mutum_copilot.packs.model import Pack
from mutum_copilot.search import SearchIndex
from mutum_copilot.services import open_history
from mutum_copilot.triage.checks import (
    PeriodCheck,
    Reading,
    SignalCheck,
    read_value,
    resolve_check,
)
from mutum_copilot.triage.engine import Triage
from mutum_copilot.triage.formats import parse_cpf, parse_mac4, parse_phone, parse_phones
from mutum_copilot.triage.models import ValueKind
from mutum_copilot.triage.session import Session, SessionError
from mutum_copilot.vault import Vault, VaultError, load_vault

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "packs" / "minimal"
REAL = REPO / "knowledge" / "mutum-fibra"
TODAY = dt.date(2026, 11, 24)
NOW = dt.datetime(2026, 11, 24, 22, 0, tzinfo=dt.UTC)
#: Raise to hunt deeper locally, e.g. MUTUM_PROPERTY_EXAMPLES=1000; CI keeps the default.
EXAMPLES = int(os.environ.get("MUTUM_PROPERTY_EXAMPLES", "40"))
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(PROFILE, max_examples=max(EXAMPLES // 3, 1))  # each loads the whole real pack


# --- helpers ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def minimal_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("minimal") / "pack"
    shutil.copytree(MINIMAL, root)
    return root


@pytest.fixture(scope="module")
def real_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("real") / "pack"
    shutil.copytree(REAL, root)
    return root


@contextlib.contextmanager
def file_holding(path: Path, data: bytes) -> Iterator[Path]:
    """``path`` holds ``data`` for the block, then gets its old content (or goes) again."""
    old = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        yield path
    finally:
        if old is None:
            path.unlink()
        else:
            path.write_bytes(old)


PROBLEM_LINE = re.compile(r"(?P<path>[^\n]+?):(?P<line>[1-9][0-9]*): [^\n]+")


def assert_clear_problems(error: ProblemsError, root: Path) -> None:
    """Every problem is one line, ``path:line: message``, with the path inside ``root``."""
    assert error.problems
    for problem in error.problems:
        text = str(problem)
        match = PROBLEM_LINE.fullmatch(text)
        assert match, f"not path:line: message on one line: {text!r}"
        assert Path(match["path"]).is_relative_to(root), text


def load_or_report(root: Path) -> None:
    try:
        pack = load_pack(root)
    except PackError as exc:
        assert_clear_problems(exc, root)
    else:
        assert isinstance(pack, Pack)


def check_cli(root: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(root)])
    assert code in (0, 2)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    if code == 2:
        *problems, summary = err.getvalue().splitlines()
        assert summary.startswith(f"{root}: ")
        assert all(PROBLEM_LINE.fullmatch(line) for line in problems), problems


# --- the pack loader ----------------------------------------------------------------
PACK_FILES = ("pack.yaml", "provider.yaml", "synonyms.yaml", "faq/basico.yaml")


@pytest.mark.parametrize("target", PACK_FILES)
@PROFILE
@given(document=yaml_documents)
def test_pack_files_holding_any_yaml(minimal_copy: Path, target: str, document: str) -> None:
    with file_holding(minimal_copy / target, document.encode("utf-8")):
        load_or_report(minimal_copy)


@pytest.mark.parametrize("target", PACK_FILES)
@PROFILE
@given(data=st.data())
def test_pack_files_with_random_edits(minimal_copy: Path, target: str, data: st.DataObject) -> None:
    text = data.draw(mutated(read_plain(MINIMAL / target)))
    with file_holding(minimal_copy / target, text.encode("utf-8")):
        load_or_report(minimal_copy)


@pytest.mark.parametrize("target", [*PACK_FILES, "faq/extra.yaml"])
@PROFILE
@given(raw=raw_files)
def test_pack_files_holding_any_bytes(minimal_copy: Path, target: str, raw: bytes) -> None:
    with file_holding(minimal_copy / target, raw):
        load_or_report(minimal_copy)
        check_cli(minimal_copy)


@pytest.mark.parametrize("target", ["flows/zz-novo.yaml", "flows/_abertura.yaml"])
@FEW
@given(raw=raw_files | yaml_documents.map(str.encode))
def test_flow_files_holding_anything(real_copy: Path, target: str, raw: bytes) -> None:
    with file_holding(real_copy / target, raw):
        load_or_report(real_copy)


@pytest.mark.parametrize("target", ["flows/cameras.yaml", "flows/_encaminhar-n1.yaml"])
@FEW
@given(data=st.data())
def test_flows_with_random_edits(real_copy: Path, target: str, data: st.DataObject) -> None:
    text = data.draw(mutated(read_plain(REAL / target)))
    with file_holding(real_copy / target, text.encode("utf-8")):
        load_or_report(real_copy)


# --- search -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def index(pack: Pack) -> SearchIndex:
    return SearchIndex.build(pack.faq, pack.synonyms)


@PROFILE
@given(query=hostile_text, limit=st.integers(min_value=1, max_value=20))
def test_search_takes_any_text(index: SearchIndex, query: str, limit: int) -> None:
    hits = index.search(query, limit=limit)
    assert isinstance(hits, list) and len(hits) <= limit
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)


def test_search_edge_queries(index: SearchIndex) -> None:
    for query in ("", " ", "\x00", "\u200b", "😀" * 5000, "a" * 10_000, "\ud7ff\ue000"):
        assert isinstance(index.search(query), list)


# --- values typed by the agent ------------------------------------------------------
KINDS: tuple[str, ...] = get_args(ValueKind)


@pytest.fixture(scope="module")
def checks(pack: Pack) -> list[Any]:
    names = ("signal.rx", "rules.trust_unlock_days", "rules.free_address_change_months")
    found = [resolve_check(pack.facts, name) for name in names]
    assert [type(c) for c in found] == [SignalCheck, PeriodCheck, PeriodCheck]
    return [None, *found]


def read(kind: str, text: str, check: Any, today: dt.date = TODAY) -> Reading | InputError:
    try:
        return read_value(kind, text, check, today)
    except InputError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return exc


@PROFILE
@given(kind=st.sampled_from(KINDS), text=hostile_text, which=st.integers(0, 3), today=st.dates())
def test_any_value_gives_a_reading_or_a_clear_refusal(
    checks: list[Any], kind: str, text: str, which: int, today: dt.date
) -> None:
    result = read(kind, text, checks[which], today)
    if isinstance(result, InputError):
        if kind == "cpf":  # a refusal never echoes the digits typed
            for run in re.findall(r"\d{11}", re.sub(r"[\s.\-]", "", text)):
                assert run not in str(result)
        return
    assert isinstance(result, Reading)
    if kind in ("dbm", "number"):
        assert re.fullmatch(r"-?\d+(,\d+)?( dBm)?", result.text), result.text
    elif kind == "date":
        found = dt.datetime.strptime(result.text, "%d/%m/%Y").date()
        assert found <= today
    elif kind == "cpf":
        assert re.fullmatch(r"\*\*\*\.\d{3}\.\d{3}-\*\*", result.text)
    elif kind == "mac4":
        assert re.fullmatch(r"[0-9A-F]{2}:[0-9A-F]{2}", result.text)
    elif kind in ("phone", "phones"):
        assert re.fullmatch(r"\(\d\d\) \d{4,5}-\d{4}(, \(\d\d\) \d{4,5}-\d{4})*", result.text)


@PROFILE
@given(data=st.data(), digits=valid_cpfs())
def test_valid_cpfs_are_accepted_and_only_kept_masked(data: st.DataObject, digits: str) -> None:
    typed = data.draw(cpf_shapes(digits))
    reading = read_value("cpf", typed, None, TODAY)
    assert reading.text == f"***.{digits[3:6]}.{digits[6:9]}-**"
    shown = reading.text + reading.message + reading.judgement + repr(reading)
    assert digits not in shown and digits[:3] not in reading.text.split(".")[0]


def cpf_is_valid(digits: str) -> bool:
    """An independent check of the rule: not all equal, both check digits right."""
    numbers = [int(c) for c in digits]
    for position in (9, 10):
        total = sum(n * w for n, w in zip(numbers, range(position + 1, 1, -1), strict=False))
        if numbers[position] != (0 if total % 11 < 2 else 11 - total % 11):
            return False
    return len(set(digits)) > 1


@PROFILE
@given(digits=valid_cpfs(), position=st.integers(0, 10), step=st.integers(1, 9))
def test_a_cpf_with_one_digit_changed_is_refused(digits: str, position: int, step: int) -> None:
    changed = digits[:position] + str((int(digits[position]) + step) % 10) + digits[position + 1 :]
    if position > 0:  # weights 2..10 and 11 is prime: any single change breaks a check digit
        with pytest.raises(InputError):
            parse_cpf(changed)
    else:  # the first digit weighs 11 = 0 (mod 11) in the second check: the rule's blind spot
        try:
            parse_cpf(changed)
        except InputError:
            assert not cpf_is_valid(changed)
        else:
            assert cpf_is_valid(changed)


@pytest.mark.parametrize("digit", string.digits)
def test_repeated_digits_are_not_a_cpf(digit: str) -> None:
    with pytest.raises(InputError, match="iguais"):
        parse_cpf(digit * 11)


@PROFILE
@given(shape=mac_shapes())
def test_mac_last_four_in_any_shape(shape: tuple[str, str]) -> None:
    typed, expected = shape
    assert parse_mac4(typed) == expected


@PROFILE
@given(first=phones(), second=phones(), joiner=st.sampled_from([", ", "; ", " / ", " e ", "\n"]))
def test_phones_in_any_shape(first: tuple[str, str], second: tuple[str, str], joiner: str) -> None:
    assert parse_phone(first[0]) == first[1]
    together = parse_phones(first[0] + joiner + second[0])
    expected = [first[1]] if first[1] == second[1] else [first[1], second[1]]
    assert together == ", ".join(expected)


@PROFILE
@given(data=st.data(), day=st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY))
def test_past_dates_in_any_shape(data: st.DataObject, day: dt.date) -> None:
    typed = data.draw(date_shapes(day))
    assert read_value("date", typed, None, TODAY).text == day.strftime("%d/%m/%Y")


@PROFILE
@given(data=st.data(), day=st.dates(min_value=TODAY + dt.timedelta(days=1)))
def test_future_dates_are_refused(data: st.DataObject, day: dt.date) -> None:
    with pytest.raises(InputError):
        read_value("date", data.draw(date_shapes(day)), None, TODAY)


@PROFILE
@given(
    value=st.decimals(min_value=-60, max_value=60, places=2),
    comma=st.booleans(),
    minus=st.sampled_from(["-", "\u2212", "\u2013"]),
    unit=st.sampled_from(["", " dBm", "dbm", " DB"]),
)
def test_signal_levels_as_typed(
    checks: list[Any], value: Any, comma: bool, minus: str, unit: str
) -> None:
    text = f"{abs(value)}".replace(".", "," if comma else ".")
    typed = (minus if value < 0 else "") + text + unit
    check = checks[1]
    if value >= 0:  # the RX range is negative: a level of 0 or more lost its minus
        with pytest.raises(InputError, match="negativo"):
            read_value("dbm", typed, check, TODAY)
        return
    reading = read_value("dbm", typed, check, TODAY)
    inside = check.range.low <= float(value) <= check.range.high
    assert reading.verdict == ("inside" if inside else "outside")
    assert reading.text.endswith(" dBm")


# --- shift --at ---------------------------------------------------------------------
@PROFILE
@given(text=hostile_text | st.datetimes().map(dt.datetime.isoformat))
def test_shift_at_any_text(text: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["--knowledge", str(MINIMAL), "shift", f"--at={text}", "--json"]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code in (0, 2)
    assert "Traceback" not in err.getvalue()
    if code == 0:
        assert isinstance(json.loads(out.getvalue()), dict)
    else:
        assert err.getvalue().startswith("mutum-copilot shift: ")


@PROFILE
@given(text=hostile_text | st.datetimes(timezones=st.timezones()).map(dt.datetime.isoformat))
def test_parse_at_with_the_real_calendar(pack: Pack, text: str) -> None:
    try:
        at = parse_at(text, pack.facts.call_center.time_zone)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    try:
        take_snapshot(pack.facts, at)
    except (ValueError, OverflowError) as exc:  # the command reports these as exit 2
        assert str(exc)


@PROFILE
@given(
    since=hostile_text | st.datetimes(timezones=st.timezones()).map(dt.datetime.isoformat),
    days=hostile_text | st.integers().map(str),
)
def test_history_options_any_text(pack: Pack, since: str, days: str) -> None:
    try:
        found = parse_since(since, pack.facts.call_center.time_zone)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert found.astimezone(dt.UTC).microsecond == 0
    try:
        assert 1 <= parse_days(days) <= 36_500
    except InputError as exc:
        assert "\n" not in str(exc)


# --- the config file and the vault --------------------------------------------------
def settings_doc() -> dict[str, Any]:
    return {
        "agent_name": "Ana",
        "theme": "textual-dark",
        "retention_days": 90,
        "history_path": "/tmp/h.sqlite3",
        "keymap": {"copy-say": "ctrl+y"},
    }


def vault_doc() -> dict[str, Any]:
    return {"flashman": {"login": "fake-user", "password": "fake-pass"}, "onu": {"note": "porta"}}


@contextlib.contextmanager
def owner_only_file(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("conf")
    path = folder / "file.yaml"
    path.write_bytes(raw)
    os.chmod(path, 0o600)
    try:
        yield path
    finally:
        shutil.rmtree(folder)


config_files = (
    raw_files
    | yaml_documents.map(str.encode)
    | st.builds(lambda: settings_doc()).flatmap(mutated).map(str.encode)
)
vault_files = (
    raw_files
    | yaml_documents.map(str.encode)
    | st.builds(lambda: vault_doc()).flatmap(mutated).map(str.encode)
)


@PROFILE
@given(raw=config_files)
def test_config_file_holding_anything(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    with owner_only_file(tmp_path_factory, raw) as path:
        try:
            found = load_settings(path)
        except ConfigError as exc:
            assert_clear_problems(exc, path.parent)
            return
    assert isinstance(found, Settings)
    NOW - dt.timedelta(days=found.retention_days)  # the purge at start can use it


@PROFILE
@given(
    days=st.integers(min_value=-5, max_value=10**12),
    where=st.text(max_size=12).filter(lambda text: ".." not in text),
    knowledge=st.text(max_size=12),
)
def test_settings_that_load_can_be_used(
    tmp_path_factory: pytest.TempPathFactory, days: int, where: str, knowledge: str
) -> None:
    """What the config accepts, the app can use: the purge, the history, the pack."""
    folder = tmp_path_factory.mktemp("usable")
    doc = {"retention_days": days, "history_path": f"{folder}/h/{where}", "knowledge": knowledge}
    path = folder / "config.yaml"
    path.write_text(dump(doc), encoding="utf-8")
    try:
        found = load_settings(path)
    except ConfigError as exc:
        assert_clear_problems(exc, folder)
        return
    NOW - dt.timedelta(days=found.retention_days)
    store, warning = open_history(found)
    assert (store is None) == bool(warning)
    if store is not None:
        store.close()
    for folder in found.knowledge:
        with contextlib.suppress(PackError):
            load_pack(folder)


@PROFILE
@given(raw=vault_files)
def test_vault_file_holding_anything(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    with owner_only_file(tmp_path_factory, raw) as path:
        try:
            vault = load_vault(path)
        except VaultError as exc:
            assert_clear_problems(exc, path.parent)
            return
    assert isinstance(vault, Vault)
    for key in vault.keys:
        assert "fake-pass" not in repr(vault.get(key))


# --- saved sessions -----------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
SESSION_KEYS = ("version", "flow_id", "started_at", "answers", "notes", "edits")


@PROFILE
@given(data=st.dictionaries(st.sampled_from(SESSION_KEYS) | st.text(max_size=8), json_values))
def test_session_from_any_dict(data: dict[str, Any]) -> None:
    try:
        assert isinstance(Session.from_dict(data), Session)
    except SessionError as exc:
        assert str(exc)


@pytest.fixture(scope="module")
def saved_session(pack: Pack) -> dict[str, Any]:
    triage = Triage(pack, lambda: NOW)
    session = triage.start("ip-fixo")
    for text in ("Maria", "529.982.247-25", "123", "456"):
        session = triage.enter(session, text)
    session = triage.choose(session, 1)
    session = triage.set_context(session, "phones", "65 99988-7766")
    return session.to_dict()


@PROFILE
@given(data=st.data())
def test_damaged_saved_sessions(pack: Pack, saved_session: dict[str, Any], data: Any) -> None:
    damaged = json.loads(data.draw(mutated(saved_session).map(_yaml_to_json)))
    assume(isinstance(damaged, dict))
    try:
        session = Session.from_dict(damaged)
    except SessionError:
        return
    try:  # resuming it from the history: the same flow today, or a clear SessionError
        Triage(pack, lambda: NOW).restore(session.to_dict())
    except SessionError as exc:
        assert str(exc)


def _yaml_to_json(text: str) -> str:
    return json.dumps(yaml.safe_load(text), default=str)


# --- regressions: what the properties above found -----------------------------------
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: \x01\n", 2),  # a control character: was a two-line message, always line 1
        ('"\\r\\nx"\n', 1),  # a value echoed with its line breaks (got "\r\nx")
    ],
)
def test_problems_stay_on_one_line(minimal_copy: Path, text: str, line: int) -> None:
    target = minimal_copy / "pack.yaml"
    with file_holding(target, text.encode("utf-8")), pytest.raises(PackError) as error:
        load_pack(minimal_copy)
    first = str(error.value.problems[0])
    assert "\n" not in first and "\r" not in first
    assert first.startswith(f"{minimal_copy / 'pack.yaml'}:{line}: ")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("retention_days: 1000000\n", "entre 1 e 36500"),  # overflowed the purge at start
        ('history_path: "/tmp/a\\0b"\n', "U\\+0000"),  # a ValueError out of sqlite3.connect
        ('knowledge: "pack\\0"\n', "U\\+0000"),  # a ValueError out of Path.resolve
    ],
)
def test_config_values_the_app_cannot_use_are_refused(
    tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=words):
        load_settings(path)


def test_a_number_too_big_for_a_float_is_refused() -> None:
    with pytest.raises(InputError, match="grande demais"):
        read_value("number", "9" * 400, None, TODAY)  # was accepted as "inf"
