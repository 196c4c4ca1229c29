"""The history database's tables (SQLite, WAL). Tables and columns are only ever added:
history files written by earlier versions must keep loading (tests/session/fixtures).
Session locks have their own table (locks.SCHEMA). Columns added since are in COLUMNS, added
to an older file when it is opened (`migrate`)."""

import sqlite3
from dataclasses import dataclass
from typing import Any

from .usage import UsageTotals

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    definition_name TEXT NOT NULL,
    definition_path TEXT NOT NULL,
    definition_sha256 TEXT NOT NULL,
    model TEXT NOT NULL,
    cwd TEXT NOT NULL,
    mode TEXT NOT NULL,
    demo INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    pid INTEGER,
    host TEXT,
    started_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    ended_at REAL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    interrupted INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS tool_calls (
    tool_use_id TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    name TEXT NOT NULL,
    input TEXT NOT NULL,
    decision TEXT,
    decision_reason TEXT,
    decided_by TEXT,
    output TEXT,
    is_error INTEGER,
    started_at REAL NOT NULL,
    ended_at REAL,
    PRIMARY KEY (session_id, tool_use_id)
);
CREATE TABLE IF NOT EXISTS usage (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    model TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_creation_input_tokens INTEGER NOT NULL,
    cache_read_input_tokens INTEGER NOT NULL,
    cost_usd REAL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    kind TEXT NOT NULL,
    report_id TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_session ON events(session_id, id);
CREATE INDEX IF NOT EXISTS messages_by_session ON messages(session_id, id);
"""

# (table, column, declaration): added by `migrate` when missing, never removed
COLUMNS = (
    ("sessions", "parent_id", "TEXT"),  # the session whose Agent call started this one
    ("sessions", "parent_tool_use_id", "TEXT"),
)


def migrate(db: sqlite3.Connection) -> None:
    for table, column, declaration in COLUMNS:
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


def link_parent(db: sqlite3.Connection, session_id: str, parent_id: str, tool_use_id: str) -> None:
    db.execute(
        "UPDATE sessions SET parent_id=?, parent_tool_use_id=? WHERE id=?",
        (parent_id, tool_use_id, session_id),
    )


def forget_last_message(db: sqlite3.Connection, session_id: str) -> None:
    """The last message of the API context leaves it (flagged 2 as /compact's, kept for the
    record): a failed compaction's summary attempt."""
    db.execute(
        "UPDATE messages SET interrupted=2 WHERE id=(SELECT MAX(id) FROM messages "
        "WHERE session_id=? AND interrupted=0)",
        (session_id,),
    )


def children(db: sqlite3.Connection, session_id: str) -> list[tuple[str, str]]:
    """(child id, tool_use_id) of the sessions `session_id` started, oldest first."""
    rows = db.execute(
        "SELECT id, parent_tool_use_id FROM sessions WHERE parent_id=? ORDER BY started_at",
        (session_id,),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    definition_name: str
    definition_path: str
    definition_sha256: str
    model: str
    cwd: str
    mode: str
    demo: bool
    title: str
    status: str
    started_at: float
    updated_at: float
    ended_at: float | None
    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    cost_usd: float | None
    parent_id: str | None = None  # the session whose Agent call started this one

    def totals(self) -> UsageTotals:
        return UsageTotals(
            new_input=self.input_tokens,
            cache_read=self.cache_read_input_tokens,
            cache_write=self.cache_creation_input_tokens,
            output=self.output_tokens,
            cost_usd=self.cost_usd,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in self.__slots__}
        out["usage"] = self.totals().to_json()  # (input_tokens above: new input only)
        return out
