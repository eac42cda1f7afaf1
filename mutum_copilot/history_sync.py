"""History schema 4: what the team sync needs in the seat's SQLite file.

Schema 4 adds, to the calls of schema 3 (see :mod:`mutum_copilot.history_schema`)::

    calls.synced_revision  INTEGER  the revision the team store is known to hold
                                    (a call is pending while revision > synced_revision)
    faq_searches  one row per FAQ search the agent ran (the final query, debounced)
      uid          TEXT PK  globally unique (uuid4 hex): the store upserts by it
      revision     INTEGER  +1 on every change (an entry opened after the search)
      synced_revision INTEGER
      at           TEXT     ISO 8601 UTC, when the search settled
      query        TEXT     scrubbed of CPFs, CNPJs and phones before it is written
      shown, opened TEXT    JSON lists of FAQ entry ids, best first
      answered     INTEGER  1: the pack had an answer (SearchResult.answered)
      agent, pack_id, pack_version, call_uid ('' outside a call)
    meta          key/value: ``seat_id``, the stable opaque id of this seat

The migration is additive and idempotent: a v3 file gains the column, the
tables and a seat id, and everything it held is pending (synced_revision 0).
Kept in its own module so the schema module stays about the calls.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from dataclasses import dataclass

from mutum_copilot.history_read import iso
from mutum_copilot.safetext import clean_line

SEARCHES = """
CREATE TABLE IF NOT EXISTS faq_searches (
    uid TEXT PRIMARY KEY,
    revision INTEGER NOT NULL DEFAULT 1,
    synced_revision INTEGER NOT NULL DEFAULT 0,
    at TEXT NOT NULL,
    query TEXT NOT NULL DEFAULT '',
    shown TEXT NOT NULL DEFAULT '[]',
    opened TEXT NOT NULL DEFAULT '[]',
    answered INTEGER NOT NULL DEFAULT 0,
    agent TEXT NOT NULL DEFAULT '',
    pack_id TEXT NOT NULL DEFAULT '',
    pack_version TEXT NOT NULL DEFAULT '',
    call_uid TEXT NOT NULL DEFAULT ''
)"""
META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
INDEXES_4 = (
    "CREATE INDEX IF NOT EXISTS calls_unsynced ON calls (updated_at)"
    " WHERE revision > synced_revision",
    "CREATE INDEX IF NOT EXISTS faq_searches_unsynced ON faq_searches (at)"
    " WHERE revision > synced_revision",
    "CREATE INDEX IF NOT EXISTS faq_searches_at ON faq_searches (at)",
)
SEAT_KEY = "seat_id"


def to_4(db: sqlite3.Connection) -> None:
    """Schema 3 -> 4 (inside the migration's transaction); safe to run twice."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(calls)")}
    if "synced_revision" not in columns:
        db.execute("ALTER TABLE calls ADD COLUMN synced_revision INTEGER NOT NULL DEFAULT 0")
    db.execute(SEARCHES)
    db.execute(META)
    for statement in INDEXES_4:
        db.execute(statement)
    db.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (SEAT_KEY, uuid.uuid4().hex)
    )


def seat_id(db: sqlite3.Connection) -> str:
    """This history's seat id (made by the migration; stable for the file's life)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (SEAT_KEY,)).fetchone()
    return str(row[0]) if row else ""


@dataclass(frozen=True)
class SearchRecord:
    """One FAQ search as the seat keeps it (the query is scrubbed when written)."""

    uid: str
    at: dt.datetime
    query: str
    shown: tuple[str, ...] = ()
    opened: tuple[str, ...] = ()
    answered: bool = False
    agent: str = ""
    pack_id: str = ""
    pack_version: str = ""
    call_uid: str = ""


def write_search(db: sqlite3.Connection, search: SearchRecord) -> None:
    """Insert or update ``search`` by uid (revision +1 on update); scrubbed on the way in."""
    from mutum_copilot.team.scrub import scrub_query  # on first search: not at start-up

    values = (
        iso(search.at),
        scrub_query(search.query),
        json.dumps([clean_line(i) for i in search.shown]),
        json.dumps([clean_line(i) for i in search.opened]),
        int(search.answered),
        clean_line(search.agent),
        clean_line(search.pack_id),
        clean_line(search.pack_version),
        search.call_uid,
    )
    db.execute(
        "INSERT INTO faq_searches (uid, at, query, shown, opened, answered, agent, pack_id,"
        " pack_version, call_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (uid) DO UPDATE SET at = excluded.at, query = excluded.query,"
        " shown = excluded.shown, opened = excluded.opened, answered = excluded.answered,"
        " agent = excluded.agent, pack_id = excluded.pack_id,"
        " pack_version = excluded.pack_version, call_uid = excluded.call_uid,"
        " revision = faq_searches.revision + 1",
        (search.uid, *values),
    )
