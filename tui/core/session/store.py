"""Session history: one SQLite file (WAL), how records are written and read back.

Location: `$ROSTER_DATA_DIR/history.sqlite3`, else platformdirs' user data dir for "roster".
Every write is its own transaction (autocommit). Text and thinking deltas are queued in
`pending` until `flush()`; any other write or read flushes them first, so the order holds and
every read sees everything recorded. WHEN the queue is flushed: `history.HistoryWriter` alone.
Stored event `type`s are the events' declared KINDs. The API key is never written here.
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
from pathlib import Path
from typing import Any

from ..dirs import data_dir
from . import locks, schema
from .events import (
    AssistantMessage,
    Event,
    PermissionDecided,
    Record,
    ReportParsed,
    StatusChanged,
    TextDelta,
    ThinkingDelta,
    ToolInputComplete,
    ToolResult,
    Usage,
    UserMessage,
    to_json,
)
from .locks import alive
from .result_content import slim
from .schema import SCHEMA
from .schema import SessionRow as SessionRow
from .secrets import make_private
from .store_reads import StoreReads


def default_db_path() -> Path:
    return data_dir() / "history.sqlite3"


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


_INSERT_EVENT = "INSERT INTO events (session_id, type, payload, created_at) VALUES (?,?,?,?)"


def _json(value: Any) -> str:
    """JSON text SQLite can store: non-ASCII kept as is, unless a lone surrogate (a non-UTF-8
    file name, a `\\udcff` in the model's JSON) is in it; then escaped, which round-trips."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, default=str)
    return text


def _path_in(path: str) -> str | bytes:
    """A path as SQLite stores it: a name that is not UTF-8 goes in as its bytes (a BLOB)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def _path_out(value: Any) -> str:
    return os.fsdecode(value) if isinstance(value, bytes) else str(value)


class SessionStore(StoreReads):
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        make_private(self.path, folder=path is None)  # 0600 file, 0700 data dir
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.executescript(SCHEMA + locks.SCHEMA)
        schema.migrate(self._conn)
        self.pending: list[tuple[str, str, str, float]] = []  # delta rows not written yet

    @property
    def _db(self) -> sqlite3.Connection:
        """The connection, with batched deltas written first: events stay in order and
        every read sees everything recorded so far."""
        if self.pending:
            self.flush()
        return self._conn

    def flush(self) -> None:
        """Write the batched text/thinking deltas now, in one transaction. If that fails
        (the file locked past busy_timeout, a full disk) they stay queued, in order, for the
        next attempt, and the error goes to the caller."""
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        try:
            with _transaction(self._conn) as db:
                db.executemany(_INSERT_EVENT, rows)
        except BaseException:
            self.pending[:0] = rows
            raise

    def lock(self, session_id: str, token: str, command: str) -> None:
        """Drive `session_id` from here (see locks.py); SessionLocked if a live one does."""
        locks.acquire(self._db, session_id, token, command)

    def unlock(self, session_id: str, token: str) -> None:
        locks.release(self._db, session_id, token)

    def set_definition(self, session_id: str, name: str, path: str, sha256: str) -> None:
        """The session continues with another definition (`--agent-switch`)."""
        self._db.execute(
            "UPDATE sessions SET definition_name=?, definition_path=?, definition_sha256=? "
            "WHERE id=?",
            (name, _path_in(path), sha256, session_id),
        )

    def set_mode(self, session_id: str, mode: str) -> None:
        self._db.execute("UPDATE sessions SET mode=? WHERE id=?", (mode, session_id))

    def set_model(self, session_id: str, model: str) -> None:
        self._db.execute("UPDATE sessions SET model=? WHERE id=?", (model, session_id))

    def compact(self, session_id: str, content: Sequence[dict[str, Any]]) -> None:
        """/compact: the conversation so far leaves the API context (kept, flagged 2, for
        nothing but the record: its events still replay) and `content` starts a new one."""
        payload = _json(list(content))
        with self._tx() as db:
            db.execute(
                "UPDATE messages SET interrupted=2 WHERE session_id=? AND interrupted=0",
                (session_id,),
            )
            db.execute(
                "INSERT INTO messages (session_id, role, content, interrupted, created_at) "
                "VALUES (?,?,?,0,?)",
                (session_id, "user", payload, time.time()),
            )

    def forget_last_message(self, session_id: str) -> None:
        schema.forget_last_message(self._db, session_id)

    def link_parent(self, session_id: str, parent_id: str, tool_use_id: str) -> None:
        schema.link_parent(self._db, session_id, parent_id, tool_use_id)

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
                _path_in(definition_path),
                definition_sha256,
                model,
                _path_in(cwd),
                mode,
                int(demo),
                title[:200].encode("utf-8", "replace").decode("utf-8"),  # (lone surrogates)
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
        payload = _json(list(content))
        with self._tx() as db:
            db.execute(
                "INSERT INTO messages (session_id, role, content, interrupted, created_at) "
                "VALUES (?,?,?,?,?)",
                (session_id, role, payload, int(interrupted), now),
            )
            db.execute(
                _INSERT_EVENT,
                (
                    session_id,
                    UserMessage.KIND if role == "user" else AssistantMessage.KIND,
                    _json(  # images and PDFs are stored once: in `messages`
                        {"content": slim(list(content)), "interrupted": interrupted}
                    ),
                    now,
                ),
            )

    def record(self, session_id: str, record: Record) -> None:
        """Store one record: deltas are queued for `flush()`, the rest written now."""
        if isinstance(record, UserMessage | AssistantMessage):
            role = "user" if isinstance(record, UserMessage) else "assistant"
            self.add_message(session_id, role, record.content, interrupted=record.interrupted)
            return
        if isinstance(record, StatusChanged):
            self.set_status(session_id, record.status, ended=record.status != "running")
            return
        event = record
        now = time.time()
        kind = event.KIND
        payload = _json(to_json(event))
        if isinstance(event, TextDelta | ThinkingDelta):
            self.pending.append((session_id, kind, payload, now))
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
        "COALESCE(SUM(u.cache_read_input_tokens),0), SUM(u.cost_usd), s.pid, s.host, "
        "s.parent_id "
        "FROM sessions s LEFT JOIN usage u ON u.session_id = s.id "
    )

    def _row(self, r: tuple[Any, ...]) -> SessionRow:
        status = r[9]
        if status in {"running", "new"} and not alive(r[18], r[19]):
            status = "interrupted"
        return SessionRow(
            id=r[0],
            definition_name=r[1],
            definition_path=_path_out(r[2]),
            definition_sha256=r[3],
            model=r[4],
            cwd=_path_out(r[5]),
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
            parent_id=r[20],
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
