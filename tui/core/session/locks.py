"""One driver per session: a lock row in the history database, with PID liveness.

The process driving a session (the app or `roster run`) holds its lock until it closes the
session. A second driver is refused with a message naming the holder; a lock whose process is
gone (killed, crashed) is stale and taken over. Lock rows live in their own table, so older
history files gain it on open and older versions of Roster ignore it.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from dataclasses import dataclass

SCHEMA = """
CREATE TABLE IF NOT EXISTS session_locks (
    session_id TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    token TEXT NOT NULL,
    command TEXT NOT NULL,
    taken_at REAL NOT NULL
);
"""


class SessionLocked(Exception):
    """Another live process drives this session."""


@dataclass(frozen=True, slots=True)
class Holder:
    pid: int
    host: str
    command: str
    taken_at: float

    def describe(self) -> str:
        when = time.strftime("%H:%M:%S", time.localtime(self.taken_at))
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"process {self.pid}{where} ({self.command}, since {when})"


def alive(pid: int | None, host: str | None) -> bool:
    """Is process `pid` on `host` running? Another host's process is assumed alive."""
    if pid is None:
        return False
    if host != socket.gethostname():
        return True
    return pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """Is process `pid` on this machine running (a process of another user counts)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def acquire(db: sqlite3.Connection, session_id: str, token: str, command: str) -> None:
    """Take the session's lock for this process (`token` tells drivers in one process apart);
    raise SessionLocked naming the holder when a live one has it."""
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute(
            "SELECT pid, host, token, command, taken_at FROM session_locks WHERE session_id=?",
            (session_id,),
        ).fetchone()
        if row is not None and row[2] != token and alive(row[0], row[1]):
            holder = Holder(row[0], row[1], row[3], row[4])
            raise SessionLocked(
                f"Session {session_id} is being driven by {holder.describe()}: stop it there "
                "first (a lock left by a process that died is taken over automatically)."
            )
        db.execute(
            "INSERT OR REPLACE INTO session_locks (session_id, pid, host, token, command, "
            "taken_at) VALUES (?,?,?,?,?,?)",
            (session_id, os.getpid(), socket.gethostname(), token, command, time.time()),
        )
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def release(db: sqlite3.Connection, session_id: str, token: str) -> None:
    db.execute("DELETE FROM session_locks WHERE session_id=? AND token=?", (session_id, token))
