"""Session history: one SQLite file (WAL) written as events happen.

Location: `$ROSTER_DATA_DIR/history.sqlite3`, else platformdirs' user data dir for "roster".
Every write is its own transaction (autocommit), so a killed process loses nothing it had
already reported, with one exception: streamed text and thinking deltas (thousands a second,
~75 µs each as single transactions) are batched. A batch is written when a delta arrives
DELTA_BATCH_S after the batch began, before any other read or write, and whenever a consumer
calls flush(): the engine does before handing each event on, unless its consumer (the app)
flushes before it shows them and on a 0.25 s tick. So nothing that was shown is ever lost.
The API key is never written: nothing here receives it.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .events import (
    Event,
    PermissionDecided,
    ReportParsed,
    TextDelta,
    ThinkingDelta,
    ToolInputComplete,
    ToolResult,
    Usage,
    event_type,
    to_json,
)
from .secrets import make_private

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


def data_dir() -> Path:
    override = os.environ.get("ROSTER_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("roster"))


def default_db_path() -> Path:
    return data_dir() / "history.sqlite3"


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

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    db.execute("BEGIN")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # (a failed COMMIT leaves it open)
            db.execute("ROLLBACK")
        raise


DELTA_BATCH_S = 0.05
DELTA_BATCH_MAX = 512
DELTA_RETRY_S = 2.0  # after a failed batch write (each attempt may wait busy_timeout)
_INSERT_EVENT = "INSERT INTO events (session_id, type, payload, created_at) VALUES (?,?,?,?)"


class SessionStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        make_private(self.path, folder=path is None)  # 0600 file, 0700 data dir
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.executescript(SCHEMA)
        self._deltas: list[tuple[str, str, str, float]] = []  # event rows not written yet
        self._deltas_since = 0.0
        self._retry_at = 0.0  # after a failed batch write, no new attempt from a delta before

    @property
    def _db(self) -> sqlite3.Connection:
        """The connection, with batched deltas written first: events stay in order and
        every read sees everything recorded so far."""
        if self._deltas:
            self.flush()
        return self._conn

    def flush(self) -> None:
        """Write the batched text/thinking deltas now, in one transaction. If that fails
        (the file locked past busy_timeout, a full disk) they stay queued, in order, for the
        next attempt, and the error goes to the caller."""
        if not self._deltas:
            return
        rows, self._deltas = self._deltas, []
        try:
            with _transaction(self._conn) as db:
                db.executemany(_INSERT_EVENT, rows)
        except BaseException:
            self._deltas[:0] = rows
            raise

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._conn.close()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return _transaction(self._db)

    # ------------------------------------------------------------------ writing

    def create_session(
        self,
        *,
        definition_name: str,
        definition_path: str,
        definition_sha256: str,
        model: str,
        cwd: str,
        mode: str,
        demo: bool = False,
        title: str = "",
    ) -> str:
        session_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
        now = time.time()
        self._db.execute(
            "INSERT INTO sessions (id, definition_name, definition_path, definition_sha256, "
            "model, cwd, mode, demo, title, status, pid, host, started_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                session_id,
                definition_name,
                definition_path,
                definition_sha256,
                model,
                cwd,
                mode,
                int(demo),
                title[:200],
                "new",
                os.getpid(),
                socket.gethostname(),
                now,
                now,
            ),
        )
        return session_id

    def set_status(self, session_id: str, status: str, *, ended: bool = False) -> None:
        now = time.time()
        self._db.execute(
            "UPDATE sessions SET status=?, updated_at=?, pid=?, host=?, "
            "ended_at=CASE WHEN ? THEN ? ELSE ended_at END WHERE id=?",
            (status, now, os.getpid(), socket.gethostname(), int(ended), now, session_id),
        )

    def add_message(
        self,
        session_id: str,
        role: str,
        content: Sequence[dict[str, Any]],
        *,
        interrupted: bool = False,
    ) -> None:
        now = time.time()
        payload = json.dumps(list(content), ensure_ascii=False)
        with self._tx() as db:
            db.execute(
                "INSERT INTO messages (session_id, role, content, interrupted, created_at) "
                "VALUES (?,?,?,?,?)",
                (session_id, role, payload, int(interrupted), now),
            )
            db.execute(
                "INSERT INTO events (session_id, type, payload, created_at) VALUES (?,?,?,?)",
                (
                    session_id,
                    f"{role}_message",
                    json.dumps(
                        {"content": list(content), "interrupted": interrupted}, ensure_ascii=False
                    ),
                    now,
                ),
            )

    def record_event(self, session_id: str, event: Event) -> None:
        now = time.time()
        kind = event_type(event)
        payload = json.dumps(to_json(event), ensure_ascii=False, default=str)
        if isinstance(event, TextDelta | ThinkingDelta):
            clock = time.monotonic()
            if not self._deltas:
                self._deltas_since = clock
            self._deltas.append((session_id, kind, payload, now))
            full = len(self._deltas) >= DELTA_BATCH_MAX
            if clock >= self._retry_at and (full or clock - self._deltas_since >= DELTA_BATCH_S):
                try:
                    self.flush()
                except sqlite3.Error:  # kept queued; the stream goes on, retried a bit later
                    self._retry_at = clock + DELTA_RETRY_S
            return
        if not isinstance(
            event, ToolInputComplete | PermissionDecided | ToolResult | Usage | ReportParsed
        ):
            self._db.execute(
                "INSERT INTO events (session_id, type, payload, created_at) VALUES (?,?,?,?)",
                (session_id, kind, payload, now),
            )
            return
        with self._tx() as db:
            db.execute(
                "INSERT INTO events (session_id, type, payload, created_at) VALUES (?,?,?,?)",
                (session_id, kind, payload, now),
            )
            self._side_tables(db, session_id, event, now)

    def _side_tables(self, db: sqlite3.Connection, sid: str, event: Event, now: float) -> None:
        if isinstance(event, ToolInputComplete):
            db.execute(
                "INSERT OR REPLACE INTO tool_calls (tool_use_id, session_id, name, input, "
                "started_at) VALUES (?,?,?,?,?)",
                (event.tool_use_id, sid, event.name, json.dumps(event.input), now),
            )
        elif isinstance(event, PermissionDecided):
            db.execute(
                "UPDATE tool_calls SET decision=?, decision_reason=?, decided_by=? "
                "WHERE session_id=? AND tool_use_id=?",
                (
                    event.decision,
                    event.reason,
                    "mode" if event.automatic else "user",
                    sid,
                    event.tool_use_id,
                ),
            )
        elif isinstance(event, ToolResult):
            db.execute(
                "UPDATE tool_calls SET output=?, is_error=?, ended_at=? "
                "WHERE session_id=? AND tool_use_id=?",
                (event.output, int(event.is_error), now, sid, event.tool_use_id),
            )
        elif isinstance(event, Usage):
            model = db.execute("SELECT model FROM sessions WHERE id=?", (sid,)).fetchone()
            db.execute(
                "INSERT INTO usage (session_id, model, input_tokens, output_tokens, "
                "cache_creation_input_tokens, cache_read_input_tokens, cost_usd, created_at) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (
                    sid,
                    model[0] if model else "",
                    event.input_tokens,
                    event.output_tokens,
                    event.cache_creation_input_tokens,
                    event.cache_read_input_tokens,
                    event.cost_usd,
                    now,
                ),
            )
        elif isinstance(event, ReportParsed):
            db.execute(
                "INSERT INTO reports (session_id, kind, report_id, status, outcome, payload, "
                "created_at) VALUES (?,?,?,?,?,?,?)",
                (
                    sid,
                    event.kind,
                    event.report_id,
                    event.status,
                    event.outcome,
                    json.dumps(to_json(event), default=str),
                    now,
                ),
            )

    # ------------------------------------------------------------------ reading

    _SELECT = (
        "SELECT s.id, s.definition_name, s.definition_path, s.definition_sha256, s.model, "
        "s.cwd, s.mode, s.demo, s.title, s.status, s.started_at, s.updated_at, s.ended_at, "
        "COALESCE(SUM(u.input_tokens),0), COALESCE(SUM(u.output_tokens),0), "
        "COALESCE(SUM(u.cache_creation_input_tokens),0), "
        "COALESCE(SUM(u.cache_read_input_tokens),0), SUM(u.cost_usd), s.pid, s.host "
        "FROM sessions s LEFT JOIN usage u ON u.session_id = s.id "
    )

    def _row(self, r: tuple[Any, ...]) -> SessionRow:
        status = r[9]
        if status in {"running", "new"} and not _alive(r[18], r[19]):
            status = "interrupted"
        return SessionRow(
            id=r[0],
            definition_name=r[1],
            definition_path=r[2],
            definition_sha256=r[3],
            model=r[4],
            cwd=r[5],
            mode=r[6],
            demo=bool(r[7]),
            title=r[8],
            status=status,
            started_at=r[10],
            updated_at=r[11],
            ended_at=r[12],
            input_tokens=r[13],
            output_tokens=r[14],
            cache_creation_input_tokens=r[15],
            cache_read_input_tokens=r[16],
            cost_usd=r[17],
        )

    def list_sessions(self, limit: int = 50) -> list[SessionRow]:
        rows = self._db.execute(
            self._SELECT + "GROUP BY s.id ORDER BY s.started_at DESC LIMIT ?", (limit,)
        ).fetchall()
        return [self._row(r) for r in rows]

    def get_session(self, session_id: str) -> SessionRow | None:
        """By full id, or by a unique prefix."""
        rows = self._db.execute(
            self._SELECT + "WHERE s.id LIKE ? GROUP BY s.id ORDER BY s.started_at DESC",
            (session_id.replace("%", "").replace("_", "\\_") + "%",),
        ).fetchall()
        exact = [r for r in rows if r[0] == session_id]
        if exact:
            return self._row(exact[0])
        return self._row(rows[0]) if len(rows) == 1 else None

    def load_messages(self, session_id: str) -> list[dict[str, Any]]:
        """The API conversation to resume: complete messages only, consecutive roles merged."""
        rows = self._db.execute(
            "SELECT role, content FROM messages WHERE session_id=? AND interrupted=0 ORDER BY id",
            (session_id,),
        ).fetchall()
        out: list[dict[str, Any]] = []
        for role, content in rows:
            blocks = json.loads(content)
            if out and out[-1]["role"] == role:
                out[-1]["content"].extend(blocks)
            else:
                out.append({"role": role, "content": blocks})
        return out

    def events(self, session_id: str) -> list[tuple[str, dict[str, Any], float]]:
        rows = self._db.execute(
            "SELECT type, payload, created_at FROM events WHERE session_id=? ORDER BY id",
            (session_id,),
        ).fetchall()
        return [(t, json.loads(p), c) for t, p, c in rows]

    def tool_calls(self, session_id: str) -> list[dict[str, Any]]:
        cursor = self._db.execute(
            "SELECT tool_use_id, name, input, decision, decision_reason, decided_by, output, "
            "is_error FROM tool_calls WHERE session_id=? ORDER BY started_at",
            (session_id,),
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def reports(self, session_id: str) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT payload FROM reports WHERE session_id=? ORDER BY id", (session_id,)
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def totals_by_definition(self) -> dict[str, dict[str, float]]:
        rows = self._db.execute(
            "SELECT s.definition_name, COUNT(DISTINCT s.id), COALESCE(SUM(u.input_tokens),0), "
            "COALESCE(SUM(u.output_tokens),0), COALESCE(SUM(u.cost_usd),0) "
            "FROM sessions s LEFT JOIN usage u ON u.session_id = s.id "
            "GROUP BY s.definition_name"
        ).fetchall()
        totals: dict[str, dict[str, float]] = {
            r[0]: {
                "sessions": r[1],
                "input_tokens": r[2],
                "output_tokens": r[3],
                "cost_usd": r[4],
                "reports": 0,
                "completed": 0,
            }
            for r in rows
        }
        # success rate: of the sessions that ended with a report, how many completed (the
        # last report of a session counts)
        outcomes = self._db.execute(
            "SELECT s.definition_name, r.outcome FROM reports r "
            "JOIN sessions s ON s.id = r.session_id "
            "WHERE r.id IN (SELECT MAX(id) FROM reports GROUP BY session_id)"
        ).fetchall()
        for name, outcome in outcomes:
            entry = totals.get(name)
            if entry is not None:
                entry["reports"] += 1
                entry["completed"] += 1 if outcome == "completed" else 0
        return totals


def _alive(pid: int | None, host: str | None) -> bool:
    if pid is None or host != socket.gethostname():
        return host != socket.gethostname() and pid is not None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
