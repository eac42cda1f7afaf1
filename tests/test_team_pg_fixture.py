"""The test server itself: in CI a missing PostgreSQL fails loudly; a broken one never skips."""

from __future__ import annotations

import os
from pathlib import Path

import pg
import psycopg
import pytest


def test_missing_binaries_skip_on_a_dev_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv(pg.ENV_REQUIRED, raising=False)
    monkeypatch.setattr(pg, "find_bindir", lambda: None)
    with pytest.raises(pytest.skip.Exception, match="binaries"):
        pg.start_server()


def test_missing_binaries_fail_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pg.ENV_REQUIRED, "1")
    monkeypatch.setattr(pg, "find_bindir", lambda: None)
    with pytest.raises(pytest.fail.Exception, match=r"\.ci/run"):
        pg.start_server()


def test_a_server_that_cannot_start_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("initdb", "pg_ctl"):
        tool = fake / name
        tool.write_text("#!/bin/sh\necho 'cannot' >&2\nexit 1\n")
        tool.chmod(0o755)
    monkeypatch.setattr(pg, "find_bindir", lambda: fake)
    with pytest.raises(RuntimeError, match="initdb failed"):
        pg.start_server()


def test_the_server_runs_unprivileged_and_listens_locally(pg_admin_url: str) -> None:
    with psycopg.connect(pg_admin_url) as conn:
        row = conn.execute("SHOW listen_addresses").fetchone()
        owner = conn.execute("SELECT current_setting('data_directory')").fetchone()
    if os.environ.get(pg.ENV_URL):
        pytest.skip("an external server was given")
    assert row == ("127.0.0.1",)
    assert owner is not None and Path(owner[0]).stat().st_uid != 0  # never as root
