"""The one place that decides when the session history is written.

The engine hands every record (events, messages, status) to a `HistoryWriter`; the store
(`store.SessionStore`) only knows how to write them. Everything except streamed text and
thinking deltas is written at once, each in its own transaction. Deltas (thousands a second,
~75 µs each as single transactions) are batched and the batch is written:
- when it is DELTA_BATCH_S old or DELTA_BATCH_MAX long (checked as deltas arrive),
- before any other record or read (the store keeps the order),
- before a consumer shows anything: `written()` (headless: before each event is handed on)
  or `flush()` (the app: before its view shows a batch, and on its 0.25 s tick).
So nothing that was shown is ever lost to a kill -9.

A batch that cannot be written (the file locked by another process past its busy timeout, a
full disk) stays queued in order, the stream goes on, and `on_trouble` is told once with a
message, then once with None when writing works again.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from .events import Record, TextDelta, ThinkingDelta
from .store import SessionStore

DELTA_BATCH_S = 0.05
DELTA_BATCH_MAX = 512
RETRY_S = 2.0  # after a failed write, deltas do not try again before this (each try may wait)

T = TypeVar("T")


class HistoryError(Exception):
    """A record could not be written (a full disk, a file locked past the timeout): the
    message names the file and what to do; the session stops."""


Trouble = Callable[[str | None], None]


class HistoryWriter:
    def __init__(self, store: SessionStore, on_trouble: Trouble | None = None) -> None:
        self.store = store
        self.on_trouble = on_trouble
        self.failing = False
        self._batch_since = 0.0
        self._retry_at = 0.0

    def record(self, session_id: str, record: Record) -> None:
        if not isinstance(record, TextDelta | ThinkingDelta):
            try:
                self.store.record(session_id, record)
            except sqlite3.Error as exc:
                message = (
                    f"Cannot write the session history {self.store.path}: {exc}. The session "
                    "stops here; free some disk space (or close what holds the file) and "
                    f"resume it: roster run <agent> --resume {session_id}"
                )
                if not self.failing:
                    self.failing = True
                    self._tell(message)
                raise HistoryError(message) from exc
            return
        clock = time.monotonic()
        if not self.store.pending:
            self._batch_since = clock
        # (what store.record queues for a delta, without its generic event-to-JSON path)
        self.store.pending.append((session_id, record.KIND, _delta_json(record), time.time()))
        due = (
            len(self.store.pending) >= DELTA_BATCH_MAX or clock - self._batch_since >= DELTA_BATCH_S
        )
        if due and clock >= self._retry_at:
            self.flush()

    def flush(self) -> bool:
        """Write the batch now; False when it stays queued (said once through on_trouble)."""
        if not self.store.pending:
            return True
        try:
            self.store.flush()
        except sqlite3.Error as exc:
            self._retry_at = time.monotonic() + RETRY_S
            if not self.failing:
                self.failing = True
                self._tell(
                    f"Cannot write the session history {self.store.path}: {exc}. The text is "
                    "kept in memory and written when the file can be written again."
                )
            return False
        if self.failing:
            self.failing = False
            self._tell(None)
        return True

    async def written(self, events: AsyncIterator[T]) -> AsyncIterator[T]:
        """`events`, each handed on only after everything recorded so far is written."""
        async for event in events:
            self.flush()
            yield event

    def _tell(self, message: str | None) -> None:
        if self.on_trouble is not None:
            self.on_trouble(message)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_ENCODE_ASCII = json.JSONEncoder().encode


def _delta_json(delta: TextDelta | ThinkingDelta) -> str:
    """The delta's payload as the store writes it (`{"type": ..., "text": ...}`, non-ASCII as
    is), escaped to ASCII when the text holds a lone surrogate SQLite could not store."""
    text = _ENCODE(delta.text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _ENCODE_ASCII(delta.text)
    return f'{{"type": "{delta.KIND}", "text": {text}}}'
