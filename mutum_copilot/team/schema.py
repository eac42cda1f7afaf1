"""The team store's schema: versioned migrations in code, applied by the app at start.

``schema_version`` has one row per migration applied. :func:`ensure_schema`
runs at every connection: under a transaction-scoped advisory lock (so twenty
seats starting at once migrate once, the others wait and find it done), it
applies the missing migrations in order, each in the same transaction as its
row in ``schema_version``. A store newer than this copilot is refused, never
written to: an older copilot does not know its columns' rules.

Migrations are append-only: a released one never changes; a change is a new
one. docs/team-store.md describes the resulting tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from mutum_copilot.errors import MutumError

#: Any constant will do, as long as no other application on the database uses it.
_LOCK_KEY = 0x6D7574756D  # "mutum"


class TeamSchemaError(MutumError):
    """The store's schema cannot be used by this copilot (newer, or cannot be migrated)."""


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "calls, subjects and steps",
        """
        CREATE TABLE calls (
            uid uuid PRIMARY KEY,
            revision integer NOT NULL CHECK (revision >= 1),
            seat text NOT NULL DEFAULT '',
            agent text NOT NULL DEFAULT '',
            pack_id text NOT NULL DEFAULT '',
            pack_version text NOT NULL DEFAULT '',
            started_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            finished_at timestamptz,
            discarded boolean NOT NULL DEFAULT false,
            seconds double precision,
            n1_state text NOT NULL DEFAULT '',
            call_center_state text NOT NULL DEFAULT '',
            note_text text,
            received_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX calls_started ON calls (started_at);
        CREATE INDEX calls_agent_started ON calls (agent, started_at);
        CREATE TABLE subjects (
            uid uuid PRIMARY KEY,
            call_uid uuid NOT NULL REFERENCES calls (uid) ON DELETE CASCADE,
            seq integer NOT NULL,
            flow_id text NOT NULL,
            flow_title text NOT NULL DEFAULT '',
            outcome text NOT NULL DEFAULT '',
            urgency text NOT NULL DEFAULT '',
            exit_node text NOT NULL DEFAULT '',
            exit_title text NOT NULL DEFAULT '',
            started_at timestamptz NOT NULL,
            ended_at timestamptz,
            seconds double precision,
            n1_state text NOT NULL DEFAULT '',
            call_center_state text NOT NULL DEFAULT '',
            agent text NOT NULL DEFAULT '',
            pack_id text NOT NULL DEFAULT '',
            call_started_at timestamptz NOT NULL,
            UNIQUE (call_uid, seq)
        );
        CREATE INDEX subjects_started ON subjects (call_started_at);
        CREATE INDEX subjects_agent_started ON subjects (agent, call_started_at);
        CREATE TABLE steps (
            uid uuid PRIMARY KEY,
            call_uid uuid NOT NULL REFERENCES calls (uid) ON DELETE CASCADE,
            subject_seq integer NOT NULL,
            seq integer NOT NULL,
            at timestamptz NOT NULL,
            node_id text NOT NULL,
            node_title text NOT NULL DEFAULT '',
            answer text NOT NULL DEFAULT '',
            value text NOT NULL DEFAULT '',
            verdict text NOT NULL DEFAULT '',
            n1_state text NOT NULL DEFAULT '',
            call_center_state text NOT NULL DEFAULT '',
            automatic boolean NOT NULL DEFAULT false,
            seconds double precision,
            flow_id text NOT NULL DEFAULT '',
            agent text NOT NULL DEFAULT '',
            pack_id text NOT NULL DEFAULT '',
            call_started_at timestamptz NOT NULL
        );
        CREATE INDEX steps_call ON steps (call_uid);
        CREATE INDEX steps_started ON steps (call_started_at);
        CREATE INDEX steps_agent_started ON steps (agent, call_started_at);
        """,
    ),
    Migration(
        2,
        "FAQ searches",
        """
        CREATE TABLE faq_searches (
            uid uuid PRIMARY KEY,
            revision integer NOT NULL CHECK (revision >= 1),
            seat text NOT NULL DEFAULT '',
            agent text NOT NULL DEFAULT '',
            pack_id text NOT NULL DEFAULT '',
            pack_version text NOT NULL DEFAULT '',
            at timestamptz NOT NULL,
            query text NOT NULL,
            query_key text NOT NULL DEFAULT '',
            shown text[] NOT NULL DEFAULT '{}',
            opened text[] NOT NULL DEFAULT '{}',
            answered boolean NOT NULL DEFAULT false,
            call_uid uuid,
            received_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX faq_searches_at ON faq_searches (at);
        CREATE INDEX faq_searches_agent_at ON faq_searches (agent, at);
        """,
    ),
    Migration(
        3,
        "outcome bucket of each subject, for the reports",
        """
        ALTER TABLE subjects ADD COLUMN category text NOT NULL DEFAULT 'open';
        UPDATE subjects SET category = CASE
            WHEN outcome = '' OR outcome = 'open' THEN 'open'
            WHEN outcome = 'os_n1' OR urgency <> '' THEN 'os'
            WHEN outcome LIKE 'transfer%' THEN 'forwarded'
            WHEN outcome IN ('resolved', 'informed') THEN 'resolved'
            ELSE 'other' END;
        """,
    ),
)

LATEST = MIGRATIONS[-1].version

_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version integer PRIMARY KEY,
    description text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


def current_version(conn: psycopg.Connection[Any]) -> int:
    """The store's schema version; 0 for an empty database."""
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def _refuse_newer(version: int) -> None:
    if version > LATEST:
        raise TeamSchemaError(
            f"a base da equipe está no esquema {version}, mais novo que o deste "
            f"copiloto ({LATEST}); atualize o mutum-copilot"
        )


def ensure_schema(conn: psycopg.Connection[Any], target: int = LATEST) -> int:
    """Bring the store to ``target`` (default: the latest); returns the version it is at.

    Raises TeamSchemaError when the store is newer than this copilot, or when a
    migration fails (e.g. the seat's role may not create tables).
    """
    version = current_version(conn)
    if version >= target:  # the common case: nothing to do, no lock taken
        _refuse_newer(version)
        return version
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            conn.execute(_VERSION_TABLE)
            version = current_version(conn)  # another seat may have migrated meanwhile
            _refuse_newer(version)
            for migration in MIGRATIONS:
                if version < migration.version <= target:
                    conn.execute(migration.sql.encode())
                    conn.execute(
                        "INSERT INTO schema_version (version, description) VALUES (%s, %s)",
                        (migration.version, migration.description),
                    )
                    version = migration.version
            return version
    except psycopg.errors.InsufficientPrivilege as exc:
        raise TeamSchemaError(
            "a base da equipe precisa ser criada ou atualizada (esquema "
            f"{LATEST}) e este usuário não tem permissão: {exc.diag.message_primary}"
        ) from exc
