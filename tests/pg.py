"""A real PostgreSQL for the tests: a throwaway server in a temporary folder.

``PgServer`` runs the machine's own binaries (``initdb``/``pg_ctl`` on the PATH,
else the newest ``/usr/lib/postgresql/*/bin``) in a temp folder, on a free
local port and a unix socket in that folder. PostgreSQL refuses to run as
root, so as root (CI) it runs as the system's ``postgres`` user (``runuser``,
else ``setpriv``). Authentication: the superuser ``postgres`` is trusted on
the socket and on 127.0.0.1; every other role needs its password
(scram-sha-256), so the tests of the vault and ``.pgpass`` are real.

``MUTUM_TEST_PG_URL`` (a superuser URL) makes the tests use that server instead.
Missing binaries skip the tests with the reason, except in CI (``CI`` or
``MUTUM_TEST_PG_REQUIRED`` set, as ``.ci/run`` does, after installing them),
where they fail. A server that cannot start is an error, never a skip.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg
import pytest

ENV_URL = "MUTUM_TEST_PG_URL"
ENV_REQUIRED = "MUTUM_TEST_PG_REQUIRED"
SUPERUSER = "postgres"
_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",  # a test server: speed over durability (not what the tests measure)
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "32MB",
}


def find_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: the PATH's, else the newest Debian one."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent

    def major(path: str) -> int:
        name = Path(path).parent.parent.name
        return int(name) if name.isdigit() else 0

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=major)
    return Path(candidates[-1]).parent if candidates else None


def skip_or_fail(reason: str) -> None:
    """Outside CI, a machine without PostgreSQL skips; in CI it is a failure."""
    if os.environ.get("CI") or os.environ.get(ENV_REQUIRED):
        pytest.fail(f"{reason} (CI must have PostgreSQL: see .ci/run)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgServer:
    """One PostgreSQL cluster in a temp folder: ``start``, ``stop``, ``url``, ``cleanup``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="mutum-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self._user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self._user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root and there is no 'postgres' user to run PostgreSQL as"
                ) from None
            os.chown(self.root, self._user.pw_uid, self._user.pw_gid)
        self.root.chmod(0o700)

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bindir / command[0]), *command[1:]]
        if self._user is not None:
            if shutil.which("runuser"):
                argv = ["runuser", "-u", self._user.pw_name, "--", *argv]
            else:
                argv = ["setpriv", f"--reuid={self._user.pw_uid}", f"--regid={self._user.pw_gid}",
                        "--init-groups", *argv]  # fmt: skip
        return subprocess.run(
            argv, cwd=self.root, capture_output=True, text=True, timeout=120, check=False
        )

    def init(self) -> None:
        done = self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "--no-sync",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        hba = (
            "local all all trust\n"
            f"host all {SUPERUSER} 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        (self.data / "pg_hba.conf").write_text(hba)

    def start(self) -> None:
        options = " ".join(f"-c {k}={v}" for k, v in _SETTINGS.items())
        done = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
            "-o", f"-p {self.port} -k {self.root} {options}", "start",
        )  # fmt: skip
        if done.returncode:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start:\n{done.stdout}{done.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def admin_url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"


def start_server() -> PgServer:
    """A fresh, running server, or a skip/failure that says why there is none."""
    bindir = find_bindir()
    if bindir is None:
        skip_or_fail("PostgreSQL binaries (initdb, pg_ctl) not found")
        raise AssertionError("unreachable")
    server = PgServer(bindir)
    try:
        server.init()
        server.start()
    except BaseException:
        server.cleanup()
        raise
    return server


def url_for(admin_url: str, dbname: str, user: str | None = None, password: str = "") -> str:
    """``admin_url`` pointing at another database (and, optionally, another role)."""
    parts = psycopg.conninfo.conninfo_to_dict(admin_url)
    host, port = str(parts.get("host", "127.0.0.1")), str(parts.get("port", "5432"))
    who = user or str(parts.get("user", SUPERUSER))
    secret = f":{password}" if password else ""
    if host.startswith("/"):  # a unix socket folder goes in the query
        return f"postgresql://{who}{secret}@/{dbname}?host={host}&port={port}"
    return f"postgresql://{who}{secret}@{host}:{port}/{dbname}"


def create_database(admin_url: str) -> str:
    """A new empty database on the server; returns its name."""
    name = f"mutum_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    return name


def drop_database(admin_url: str, name: str) -> None:
    with contextlib.suppress(psycopg.Error), psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
