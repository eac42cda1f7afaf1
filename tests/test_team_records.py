"""The team store's records, minimisation and connection settings: no server needed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from team_helpers import StepSpec, SubjectSpec, build_call

from mutum_copilot.config import Settings, TeamSettings, load_settings
from mutum_copilot.errors import ConfigError
from mutum_copilot.team.connect import TeamTarget, team_target, unavailable_message
from mutum_copilot.team.records import FaqSearch, TeamCall, TeamStep, TeamSubject, new_uid
from mutum_copilot.team.reports import (
    KnowledgeItem,
    histogram_percentile,
    percentile,
    stale_knowledge,
)
from mutum_copilot.team.scrub import (
    category,
    minimise_call,
    minimise_search,
    query_key,
    scrub_numbers,
    scrub_query,
)
from mutum_copilot.vault import Credential, Vault

T0 = dt.datetime(2026, 12, 1, 22, 0, tzinfo=dt.UTC)
CPF = "529.982.247-25"


# --- records ---------------------------------------------------------------------------
def test_uids_are_normalised_and_checked() -> None:
    upper = new_uid().upper()
    assert TeamSubject(upper, 0, "f", T0).uid == upper.lower()
    dashed = "6f1c2a4e-8d3b-4c1e-9f7a-0123456789ab"
    assert TeamSubject(dashed, 0, "f", T0).uid == dashed.replace("-", "")
    with pytest.raises(ValueError, match="not a uid"):
        TeamSubject("42", 0, "f", T0)


def test_times_must_be_aware_and_revisions_start_at_one() -> None:
    with pytest.raises(ValueError, match="aware"):
        TeamStep(new_uid(), 0, 0, dt.datetime(2026, 12, 1, 22, 0), "n")
    with pytest.raises(ValueError, match="revision"):
        TeamCall(new_uid(), 0, T0, T0)
    with pytest.raises(ValueError, match="revision"):
        FaqSearch(new_uid(), 0, T0, "boleto")


def test_a_step_of_an_unknown_subject_is_refused() -> None:
    subject = TeamSubject(new_uid(), 0, "f", T0)
    step = TeamStep(new_uid(), 1, 0, T0, "n")
    with pytest.raises(ValueError, match="unknown subjects"):
        TeamCall(new_uid(), 1, T0, T0, subjects=(subject,), steps=(step,))


# --- minimisation ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (f"2 via {CPF}", "2 via ***.982.247-**"),
        ("cliente 52998224725 sem net", "cliente ***.982.247-** sem net"),
        ("cnpj 12.345.678/0001-95", "cnpj **.345.678/****-**"),
        ("ligar (65) 99988-7766", "ligar (**) *****-****"),
        ("+55 65 3308-1020", "+** ** ****-****"),
        ("6599988776", "**********"),
        ("cpf errado 123.456.789-00", "cpf errado ***.***.***-**"),
        ("cartao 4111 1111 1111 1111", "cartao **** **** **** ****"),
        # what is not a person's number stays: it is what supervisors read
        ("rx -27.5 dbm", "rx -27.5 dbm"),
        ("vencimento 01/12/2026", "vencimento 01/12/2026"),
        ("contrato 12345", "contrato 12345"),
        ("R$ 1.234,56", "R$ 1.234,56"),
        ("\x1b]52;c;ZXZpbA==\x07boleto\x00", "]52;c;ZXZpbA==boleto"),
    ],
)
def test_search_queries_lose_every_number_of_a_person(typed: str, stored: str) -> None:
    assert scrub_query(typed) == stored


@given(st.from_regex(r"\A\d{11}\Z"), st.text(alphabet=" abc.-", max_size=5))
def test_no_run_of_eleven_digits_survives(digits: str, around: str) -> None:
    scrubbed = scrub_numbers(f"{around}{digits}{around}")
    assert digits not in scrubbed
    assert not any(
        len(run) >= 9 for run in "".join(c if c.isdigit() else " " for c in scrubbed).split()
    )


def test_query_keys_group_the_same_question() -> None:
    assert (
        query_key("Segunda via BOLETO") == query_key("boleto segunda  via") == "boleto segunda via"
    )
    assert query_key(scrub_query(f"cpf {CPF}")) == query_key(scrub_query("cpf 111.444.777-35"))
    assert query_key(scrub_query("ligar (65) 99988-7766")) == "ligar numero"
    assert query_key("oi tudo bem") == ""  # only fillers: no gap to report


def test_outcome_buckets() -> None:
    assert category("", "") == category("open", "") == "open"
    assert category("os_n1", "normal") == "os"
    assert category("transfer_commercial", "normal") == "os"  # a transfer that registers an OS
    assert category("transfer_financial", "") == "forwarded"
    assert category("resolved", "") == category("informed", "") == "resolved"
    assert category("callback", "") == "other"


def test_note_texts_leave_the_seat_only_when_opted_in_and_finished() -> None:
    note = f"OS: sem conexão\nTelefones: (65) 99988-7766\nCPF {CPF}"
    spec = SubjectSpec("sem-conexao", "Sem conexão", 0, 60, "os_n1", "normal", "fim")
    finished = build_call("Ana", T0, [spec], finished=60, note_text=note)
    open_call = build_call("Ana", T0, [spec], note_text=note)
    assert minimise_call(finished).note_text == ""
    kept = minimise_call(finished, note_texts=True).note_text
    assert "(65) 99988-7766" in kept and CPF not in kept and "***.982.247-**" in kept
    assert minimise_call(open_call, note_texts=True).note_text == ""


def test_answers_and_values_are_scrubbed_like_queries() -> None:
    step = StepSpec(10, "telefone", "Telefone", answer="(65) 99988-7766")
    call = build_call("Ana", T0, [SubjectSpec("f", "F", 0, steps=(step,))])
    assert minimise_call(call).steps[0].answer == "(**) *****-****"


def test_searches_are_minimised() -> None:
    search = FaqSearch(new_uid(), 1, T0, f"boleto {CPF}", agent="Ana\x1b[2J", shown=("a\x07",))
    out = minimise_search(search)
    assert out.query == "boleto ***.982.247-**" and out.agent == "Ana[2J" and out.shown == ("a",)


# --- the pure parts of the reports -----------------------------------------------------
def test_percentile_interpolates_like_postgresql() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7], 0.9) == 7
    assert percentile([10, 20, 30, 40], 0.5) == 25
    assert percentile([140, 240, 420], 0.9) == pytest.approx(384)
    assert percentile([20, 30, 30, 40, 45, 50, 60, 60, 75, 80, 300], 0.9) == 80


def test_stale_knowledge_by_review_interval() -> None:
    items = [
        KnowledgeItem("faq", "boleto", "Boleto", dt.date(2026, 9, 1)),
        KnowledgeItem("faq", "visita", "Visita", dt.date(2026, 11, 24)),
        KnowledgeItem("flow", "sem-conexao", "Sem conexão", dt.date(2026, 6, 1)),
    ]
    today = dt.date(2026, 12, 2)
    rows = stale_knowledge(items, today)  # 90 days: due 30/11 and 30/08
    assert [(r.id, r.days_overdue) for r in rows] == [("sem-conexao", 94), ("boleto", 2)]
    assert rows[1].due_on == dt.date(2026, 11, 30)
    shorter = stale_knowledge(items, today, review_days=5)  # due 06/06, 06/09 and 29/11
    assert [(r.id, r.days_overdue) for r in shorter] == [
        ("sem-conexao", 179),
        ("boleto", 87),
        ("visita", 3),
    ]


# --- configuration and connection ------------------------------------------------------
def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_without_team_url_nothing_syncs(tmp_path: Path) -> None:
    assert load_settings(_config(tmp_path, "agent_name: Ana\n")).team == TeamSettings()
    assert team_target(Settings().team) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (
            "postgresql://ana:" + "segredo@db/mutum",
            "a senha não vai na configuração",
        ),  # split: not a real URL for the credential scan
        ("postgresql://ana@db/mutum?password=segredo", "a senha não vai na configuração"),
        ("mysql://ana@db/mutum", "use postgresql://"),
    ],
)
def test_a_password_in_the_config_is_refused(tmp_path: Path, url: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_config(tmp_path, f"team:\n  url: {url}\n"))
    assert words in str(caught.value) and "segredo" not in str(caught.value)


def test_the_password_comes_from_the_vault(tmp_path: Path) -> None:
    settings = load_settings(
        _config(tmp_path, "team:\n  url: postgresql://db.local/mutum\n  sync_note_texts: true\n")
    )
    vault = Vault(tmp_path / "s.yaml", {"team_db": Credential(login="ana", password="s3nha")})
    target = team_target(settings.team, vault)
    assert target is not None and target.sync_note_texts
    info = target.conninfo()
    assert "password=s3nha" in info and "user=ana" in info and "connect_timeout=5" in info
    assert "keepalives=1" in info
    assert "s3nha" not in repr(target)
    assert "s3nha" not in unavailable_message(target, RuntimeError("password s3nha refused"))


def test_without_a_vault_entry_libpq_finds_the_pgpass() -> None:
    info = TeamTarget("postgresql://ana@db.local/mutum").conninfo()
    assert "password" not in info


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=60))
def test_percentiles_read_off_counts_are_the_same(values: list[int]) -> None:
    counts = sorted(Counter(values).items())
    for fraction in (0.0, 0.5, 0.9, 1.0):
        assert histogram_percentile(counts, fraction) == pytest.approx(percentile(values, fraction))
    assert histogram_percentile([], 0.5) is None
