"""The stored vocabulary and the one history writer: kinds are declared literals, and the
writer alone decides when a batch of deltas reaches the disk."""

from __future__ import annotations

import sqlite3
import typing
from collections.abc import AsyncIterator
from pathlib import Path

from tui.core.session import events as ev
from tui.core.session.history import HistoryWriter
from tui.core.session.store import SessionStore
from tui.core.session.transcript import _HANDLERS

EVENT_CLASSES = typing.get_args(ev.Record)


def _new(store: SessionStore, tmp_path: Path) -> str:
    return store.create_session(
        definition_name="a",
        definition_path="a.md",
        definition_sha256="0",
        model="m",
        cwd=str(tmp_path),
        mode="default",
    )


def test_every_record_class_declares_its_own_stored_kind() -> None:
    kinds = [cls.KIND for cls in EVENT_CLASSES]
    assert len(kinds) == len(set(kinds))
    assert set(kinds) == set(typing.get_args(ev.EventKind))
    for cls in EVENT_CLASSES:
        assert "KIND" in cls.__dict__, f"{cls.__name__} inherits its KIND"
    # replay reads every kind an event the caller sees can have
    assert {cls.KIND for cls in typing.get_args(ev.Event)} <= set(_HANDLERS)


def test_renaming_an_event_class_changes_nothing_on_disk(tmp_path: Path) -> None:
    classes = (ev.TextDelta, ev.TurnEnded, ev.Retrying)
    names = [cls.__name__ for cls in classes]
    store = SessionStore(tmp_path / "h.sqlite3")
    sid = _new(store, tmp_path)
    try:
        for cls in classes:
            cls.__name__ = "Renamed" + cls.__name__
        for event in (ev.TextDelta("hi"), ev.Retrying(1, 0.1, "x"), ev.TurnEnded("end", False)):
            store.record(sid, event)
    finally:
        for cls, name in zip(classes, names, strict=True):
            cls.__name__ = name
    stored = store.events(sid)
    store.close()
    assert [kind for kind, _, _ in stored] == ["text_delta", "retrying", "turn_ended"]
    assert [payload["type"] for _, payload, _ in stored] == ["text_delta", "retrying", "turn_ended"]


def _locked(path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    return other


async def test_a_locked_history_is_said_once_and_again_when_it_writes(tmp_path: Path) -> None:
    """The stream goes on while the file is locked, the batch stays queued in order, the
    user hears once that it cannot be written and once that it is written again."""
    path = tmp_path / "h.sqlite3"
    store = SessionStore(path)
    store._conn.execute("PRAGMA busy_timeout=20")
    told: list[str | None] = []
    writer = HistoryWriter(store, on_trouble=told.append)
    sid = _new(store, tmp_path)
    other = _locked(path)

    async def stream() -> AsyncIterator[ev.TextDelta]:
        for word in ("one ", "two ", "three ", "four"):
            delta = ev.TextDelta(word)
            writer.record(sid, delta)
            yield delta

    shown = [e.text async for e in writer.written(stream())]
    assert shown == ["one ", "two ", "three ", "four"]  # the stream went on
    assert len(told) == 1 and told[0] is not None and str(path) in told[0]
    assert writer.failing
    other.execute("ROLLBACK")
    assert writer.flush()
    assert told[1:] == [None]
    texts = [p["text"] for k, p, _ in store.events(sid) if k == "text_delta"]
    assert texts == ["one ", "two ", "three ", "four"]
    store.close()
    other.close()


async def test_each_event_is_written_before_it_is_handed_on(tmp_path: Path) -> None:
    """Headless: what a consumer of `written()` receives is already readable by another
    process (a kill -9 right after showing it loses nothing)."""
    path = tmp_path / "h.sqlite3"
    store = SessionStore(path)
    writer = HistoryWriter(store)
    sid = _new(store, tmp_path)
    reader = sqlite3.connect(path)

    async def stream() -> AsyncIterator[ev.TextDelta]:
        for word in ("a", "b", "c"):
            delta = ev.TextDelta(word)
            writer.record(sid, delta)
            yield delta

    async for event in writer.written(stream()):
        stored = [
            r[0]
            for r in reader.execute(
                "SELECT json_extract(payload, '$.text') FROM events WHERE type='text_delta' "
                "ORDER BY id"
            )
        ]
        assert stored[-1] == event.text
    reader.close()
    store.close()
