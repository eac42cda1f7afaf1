"""The team store on a real PostgreSQL: schema, migrations, upserts, the revision guard, logins."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pg
import psycopg
import pytest
from conftest import TeamDb
from team_helpers import StepSpec, SubjectSpec, build_call

from mutum_copilot.team.connect import TeamTarget, TeamUnavailable, connect
from mutum_copilot.team.records import FaqSearch, SyncBatch, new_uid
from mutum_copilot.team.schema import LATEST, MIGRATIONS, TeamSchemaError, ensure_schema
from mutum_copilot.team.store import TeamStore

T0 = dt.datetime(2026, 12, 1, 22, 0, tzinfo=dt.UTC)
PHONE = "(65) 99988-7766"


def _call(revision: int, uid: str, steps: int, finished: bool = False) -> Any:
    spec = SubjectSpec(
        "sem-conexao",
        "Sem conexão",
        0,
        30 * steps if finished else None,
        "os_n1" if finished else "",
        "normal" if finished else "",
        f"p{steps - 1}" if finished else "",
        tuple(StepSpec(10 * (i + 1), f"p{i}", f"Passo {i}") for i in range(steps)),
    )
    return build_call(
        "Ana", T0, [spec], revision=revision, uid=uid, finished=30 * steps if finished else None
    )


def _one(conn: psycopg.Connection[Any], sql: str, *params: Any) -> Any:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row[0] if len(row) == 1 else row


@pytest.fixture
def store(team_db: TeamDb) -> Any:
    opened = TeamStore.open(TeamTarget(team_db.url))
    yield opened
    opened.close()


# --- schema ----------------------------------------------------------------------------
def test_the_app_creates_the_schema_and_records_its_version(store: TeamStore) -> None:
    versions = store.conn.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
    assert [v for (v,) in versions] == [m.version for m in MIGRATIONS] and versions[-1][0] == LATEST
    tables = {
        r[0]
        for r in store.conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    }
    assert {"calls", "subjects", "steps", "faq_searches", "schema_version"} <= tables


def test_an_older_schema_is_migrated_with_its_rows(team_db: TeamDb) -> None:
    with psycopg.connect(team_db.url, autocommit=True) as conn:
        assert ensure_schema(conn, target=1) == 1  # what the first copilot created
        call, subject = new_uid(), new_uid()
        conn.execute(
            "INSERT INTO calls (uid, revision, agent, started_at, updated_at)"
            " VALUES (%s, 4, 'Ana', %s, %s)",
            (call, T0, T0),
        )
        conn.execute(
            "INSERT INTO subjects (uid, call_uid, seq, flow_id, outcome, urgency, started_at,"
            " call_started_at) VALUES (%s, %s, 0, 'sem-conexao', 'os_n1', 'normal', %s, %s)",
            (subject, call, T0, T0),
        )
    store = TeamStore.open(TeamTarget(team_db.url))  # today's copilot
    try:
        assert _one(store.conn, "SELECT max(version) FROM schema_version") == LATEST
        assert _one(store.conn, "SELECT revision FROM calls WHERE uid = %s", call) == 4
        assert _one(store.conn, "SELECT category FROM subjects WHERE uid = %s", subject) == "os"
        search = FaqSearch(new_uid(), 1, T0, "boleto")  # a table of version 2
        assert store.push(SyncBatch(searches=(search,))).searches_written == 1
    finally:
        store.close()


def test_a_newer_schema_is_refused_not_written(team_db: TeamDb) -> None:
    with psycopg.connect(team_db.url, autocommit=True) as conn:
        ensure_schema(conn)
        conn.execute(
            "INSERT INTO schema_version (version, description) VALUES (%s, 'futuro')", (LATEST + 1,)
        )
    with pytest.raises(TeamSchemaError, match="mais novo que o deste copiloto"):
        TeamStore.open(TeamTarget(team_db.url))


def test_seats_starting_together_migrate_once(team_db: TeamDb) -> None:
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            TeamStore.open(TeamTarget(team_db.url)).close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with psycopg.connect(team_db.url) as conn:
        assert _one(conn, "SELECT count(*) FROM schema_version") == len(MIGRATIONS)


# --- upserts ---------------------------------------------------------------------------
def test_a_push_repeated_changes_nothing(store: TeamStore) -> None:
    call = _call(3, new_uid(), 3, finished=True)
    search = FaqSearch(new_uid(), 1, T0, "boleto", shown=("a",))
    first = store.push(SyncBatch((call,), (search,)))
    again = store.push(SyncBatch((call, call), (search,)))
    assert (first.calls_written, first.searches_written) == (1, 1)
    assert (again.calls_written, again.calls_unchanged, again.searches_unchanged) == (0, 1, 1)
    assert _one(store.conn, "SELECT count(*) FROM calls") == 1
    assert _one(store.conn, "SELECT count(*) FROM subjects") == 1
    assert _one(store.conn, "SELECT count(*) FROM steps") == 3


def test_an_older_revision_never_overwrites_a_newer_one(store: TeamStore) -> None:
    uid = new_uid()
    store.push(SyncBatch((_call(5, uid, 4, finished=True),)))
    result = store.push(SyncBatch((_call(2, uid, 1),)))  # a late push of an old save
    assert result.calls_written == 0
    assert _one(store.conn, "SELECT revision, finished_at IS NOT NULL FROM calls") == (5, True)
    assert _one(store.conn, "SELECT count(*) FROM steps") == 4
    assert _one(store.conn, "SELECT outcome FROM subjects") == "os_n1"


def test_a_newer_revision_replaces_the_steps(store: TeamStore) -> None:
    uid = new_uid()
    store.push(SyncBatch((_call(1, uid, 3),)))
    store.push(SyncBatch((_call(2, uid, 2),)))  # the agent went back one step
    assert _one(store.conn, "SELECT count(*) FROM steps") == 2
    assert _one(store.conn, "SELECT revision FROM calls") == 2


def test_a_search_keeps_its_latest_revision(store: TeamStore) -> None:
    uid = new_uid()
    opened = FaqSearch(uid, 2, T0, "boleto", shown=("a",), opened=("a",), answered=True)
    store.push(SyncBatch(searches=(opened,)))
    store.push(SyncBatch(searches=(FaqSearch(uid, 1, T0, "boleto", shown=("a",)),)))
    assert _one(store.conn, "SELECT answered, opened FROM faq_searches") == (True, ["a"])


def test_an_interrupted_push_leaves_nothing_half_written(store: TeamStore, team_db: TeamDb) -> None:
    good = _call(1, new_uid(), 2)
    bad = _call(1, new_uid(), 2)
    with psycopg.connect(team_db.url, autocommit=True) as other:
        other.execute("ALTER TABLE steps ADD CONSTRAINT no_p1 CHECK (node_id <> 'p1')")
        with pytest.raises(psycopg.errors.CheckViolation):
            store.push(SyncBatch((good, bad)))
        assert _one(other, "SELECT count(*) FROM calls") == 0  # the whole batch rolled back
        other.execute("ALTER TABLE steps DROP CONSTRAINT no_p1")
    assert store.push(SyncBatch((good, bad))).calls_written == 2


# --- what reaches the store ------------------------------------------------------------
def test_phones_and_free_notes_never_reach_the_store(store: TeamStore, team_db: TeamDb) -> None:
    spec = SubjectSpec(
        "sem-conexao",
        "Sem conexão",
        0,
        60,
        "os_n1",
        "normal",
        "fim",
        (StepSpec(10, "telefones", "Telefones", answer=PHONE), StepSpec(20, "fim", "Fim")),
    )
    note = f"OS sem conexão\nTelefones: {PHONE}\nNotas: cliente pediu retorno"
    store.push(SyncBatch((build_call("Ana", T0, [spec], finished=60, note_text=note),)))
    store.push(SyncBatch(searches=(FaqSearch(new_uid(), 1, T0, f"ligar {PHONE}"),)))
    dump = _dump(team_db)
    assert "99988" not in dump and "7766" not in dump and "pediu retorno" not in dump
    assert _one(store.conn, "SELECT note_text FROM calls") is None


def test_note_texts_are_synced_when_the_config_opts_in(team_db: TeamDb) -> None:
    spec = SubjectSpec("sem-conexao", "Sem conexão", 0, 60, "os_n1", "normal", "fim")
    note = f"OS sem conexão\nTelefones: {PHONE}"
    store = TeamStore.open(TeamTarget(team_db.url, sync_note_texts=True))
    try:
        store.push(SyncBatch((build_call("Ana", T0, [spec], finished=60, note_text=note),)))
        assert _one(store.conn, "SELECT note_text FROM calls") == note
    finally:
        store.close()


def _dump(team_db: TeamDb) -> str:
    with psycopg.connect(team_db.url) as conn:
        rows = []
        for table in ("calls", "subjects", "steps", "faq_searches"):
            rows += [str(r) for r in conn.execute(f"SELECT * FROM {table}").fetchall()]
    return "\n".join(rows)


# --- logging in ------------------------------------------------------------------------
@pytest.fixture
def seat_role(team_db: TeamDb) -> Any:
    role = f"seat_{new_uid()[:8]}"
    with psycopg.connect(team_db.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'senha-do-cofre'")
        conn.execute(f'GRANT ALL ON DATABASE "{team_db.name}" TO {role}')
    with psycopg.connect(team_db.url, autocommit=True) as conn:
        conn.execute(f"GRANT ALL ON SCHEMA public TO {role}")
    yield role
    with psycopg.connect(team_db.admin_url, autocommit=True) as conn:
        conn.execute(f'REVOKE ALL ON DATABASE "{team_db.name}" FROM {role}')
    with psycopg.connect(team_db.url, autocommit=True) as conn:
        conn.execute(f"DROP OWNED BY {role}")
    with psycopg.connect(team_db.admin_url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE {role}")


def _host(team_db: TeamDb) -> str:
    info = psycopg.conninfo.conninfo_to_dict(team_db.admin_url)
    if str(info.get("host", "")).startswith("/"):
        pytest.skip("password logins are tested over TCP")
    return str(info["host"])


def test_a_seat_logs_in_with_the_vault_password(team_db: TeamDb, seat_role: str) -> None:
    url = pg.url_for(team_db.admin_url, team_db.name, user=seat_role)
    _host(team_db)
    with pytest.raises(TeamUnavailable, match="base da equipe indisponível") as refused:
        connect(TeamTarget(url, "senha-errada"))
    assert "senha-errada" not in str(refused.value)
    store = TeamStore.open(TeamTarget(url, "senha-do-cofre"))
    assert store.push(SyncBatch((_call(1, new_uid(), 1),))).calls_written == 1
    store.close()


def test_a_seat_logs_in_with_its_pgpass(
    team_db: TeamDb, seat_role: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = _host(team_db)
    port = psycopg.conninfo.conninfo_to_dict(team_db.admin_url).get("port", "5432")
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"{host}:{port}:{team_db.name}:{seat_role}:senha-do-cofre\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    url = pg.url_for(team_db.admin_url, team_db.name, user=seat_role)
    TeamStore.open(TeamTarget(url)).close()  # no password anywhere but the .pgpass


def test_a_server_that_is_not_there_is_a_clean_message() -> None:
    url = f"postgresql://ana@127.0.0.1:{pg.free_port()}/mutum"
    with pytest.raises(
        TeamUnavailable, match=r"base da equipe indisponível \(postgresql://ana@127"
    ):
        TeamStore.open(TeamTarget(url))
