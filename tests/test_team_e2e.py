"""Done when: two seats on two HOMEs, one PostgreSQL stopped and restarted between them,
then the installed ``mutum-copilot report`` (a third HOME, the password in its vault) shows
both seats' calls, their exit nodes and the FAQ gaps.

The seats are tests/team_seat.py processes over their outbox (the history adapter
comes next phase); everything else is the real thing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pg
import psycopg
import yaml
from test_team_sync import count_calls, finish, start_seat

REPO = Path(__file__).resolve().parent.parent
FIXTURE_PACK = REPO / "tests" / "packs" / "fixture"
ROLE_WORD = "-".join(("senha", "da", "supervisao"))  # a throwaway role of a throwaway server


def home(root: Path, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PG"))}
    base = root / name
    env["HOME"] = str(base)
    for kind in ("DATA", "CONFIG", "CACHE", "STATE"):
        folder = base / kind.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[f"XDG_{kind}_HOME"] = str(folder)
    return env


def supervisor_home(root: Path, url: str, password: str) -> dict[str, str]:
    """A supervisor's own home: ``team.url`` in the config, the role's password in the vault."""
    env = home(root, "supervisao")
    config = Path(env["XDG_CONFIG_HOME"]) / "mutum-copilot"
    config.mkdir(parents=True)
    (config / "config.yaml").write_text(f"team:\n  url: {url}\n", encoding="utf-8")
    vault = config / "secrets.yaml"
    vault.write_text(yaml.safe_dump({"team_db": {"password": password}}), encoding="utf-8")
    vault.chmod(0o600)
    return env


def run_report(env: dict[str, str], since: str, until: str, *argv: str) -> str:
    """``mutum-copilot report`` as the supervisor runs it, installed, over the fixture pack."""
    command = [str(Path(sys.executable).parent / "mutum-copilot"), "--knowledge", str(FIXTURE_PACK)]
    done = subprocess.run(
        [*command, "report", "--since", since, "--until", until, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_two_seats_one_store_and_the_supervisors_report(
    tmp_path: Path, own_pg_server: pg.PgServer
) -> None:
    name = pg.create_database(own_pg_server.admin_url)
    with psycopg.connect(own_pg_server.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE supervisao LOGIN PASSWORD '{ROLE_WORD}'")
        conn.execute(f'ALTER DATABASE "{name}" OWNER TO supervisao')
    url = pg.url_for(own_pg_server.admin_url, name, user="supervisao")
    login = ("--password", ROLE_WORD)

    ana = start_seat(
        tmp_path / "ana",
        tmp_path / "ana.sqlite3",
        url,
        *login,
        "--agent",
        "Ana",
        "--seat",
        "pa-01",
        "--calls",
        "4",
        "--searches",
        "1",
    )
    assert finish(ana)["pending"] == 0

    own_pg_server.stop()  # the server goes down between the two seats' calls...
    bruno = start_seat(
        tmp_path / "bruno",
        tmp_path / "bruno.sqlite3",
        url,
        *login,
        "--agent",
        "Bruno",
        "--seat",
        "pa-02",
        "--calls",
        "3",
        "--searches",
        "1",
        "--start",
        "2026-12-02T01:00:00+00:00",
    )
    time.sleep(3)  # Bruno works on, offline (its backoff tops at 1 s)
    own_pg_server.start()  # ...and comes back
    try:
        psycopg.connect(own_pg_server.admin_url, connect_timeout=5).close()
    except psycopg.Error as exc:
        raise AssertionError(f"{exc}\n{own_pg_server.log.read_text()[-3000:]}") from exc
    try:
        assert finish(bruno)["pending"] == 0
    except AssertionError as exc:  # say what the server saw
        raise AssertionError(
            f"{exc}\nserver log:\n{own_pg_server.log.read_text()[-4000:]}"
        ) from exc
    assert count_calls(pg.url_for(own_pg_server.admin_url, name)) == 7

    supervisor = supervisor_home(tmp_path, url, ROLE_WORD)

    def report(*argv: str) -> str:
        return run_report(supervisor, "01/12/2026", "02/12/2026", *argv)

    data = json.loads(report("--format", "json"))
    assert data["totals"]["calls"] == 7 and data["totals"]["agents"] == 2
    assert {r["label"] for r in data["times"]["by_agent"]} == {"Ana", "Bruno"}
    assert sum(r["count"] for r in data["exit_nodes"]) == 7
    gaps = data["faq_gaps"]["unanswered"]
    assert gaps and all("99988" not in g["example"] for g in gaps)
    table = report()
    assert "Ana" in table and "Bruno" in table and "nós de saída" in table
    assert "Lacunas do FAQ" in table
