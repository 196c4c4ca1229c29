"""Import costs stay lazy; the store resumes and exports; model aliases come from the SDK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.session import drain, make_definition
from tui.core.session.engine import AgentSession, SessionConfig
from tui.core.session.export import to_markdown
from tui.core.session.models import newest_ids, resolve_model
from tui.core.session.pricing import cost_usd


def test_engine_import_is_lazy() -> None:
    code = (
        "import sys; import tui.core.session.engine, tui.core.session.replay, tui.cli.run; "
        "bad = [m for m in ('anthropic', 'httpx2', 'rich', 'textual') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_model_aliases() -> None:
    src = '"claude-opus-4-5-20251101", "claude-opus-5-5", "claude-opus-5", "claude-fable-5-2"'
    assert newest_ids(src) == {"opus": "claude-opus-5-5", "fable": "claude-fable-5-2"}
    assert resolve_model("haiku") == "claude-haiku-5-5"
    assert resolve_model("inherit", default="opus") == "claude-opus-5-5"
    assert resolve_model(None) == "claude-sonnet-5-5"
    assert resolve_model("sonnet", overrides={"sonnet": "claude-x"}) == "claude-x"
    assert resolve_model("claude-custom-1") == "claude-custom-1"
    assert cost_usd("claude-sonnet-5-5", input_tokens=1_000_000, output_tokens=0) == 3.0
    assert cost_usd("unknown", input_tokens=1, output_tokens=1) is None


async def test_resume_and_export(api: FakeAPI, make_session, store, workdir: Path) -> None:
    api.script(
        reply(tool_use("g1", "Glob", {"pattern": "*"})),
        reply(text("First answer.")),
        reply(text("TASK_COMPLETE: z\nSTATUS: success\nSUMMARY: resumed fine\n")),
    )
    first = make_session()
    await drain(first.send("one"))
    await first.aclose()
    again = AgentSession.resume(store, first.id, make_definition(), SessionConfig(base_url=api.url))
    assert again.ctx.root == workdir.resolve() and again.messages == first.messages
    await drain(again.send("two"))
    await again.aclose()
    sent = api.requests[2].body["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user", "assistant", "user"]
    row = store.get_session(first.id)
    assert row is not None and row.status == "completed" and row.input_tokens == 300
    calls = store.tool_calls(first.id)
    assert calls[0]["name"] == "Glob" and calls[0]["decision"] == "allow_once"
    md = to_markdown(store, first.id)
    assert md is not None
    assert "## User\n\none" in md and "First answer." in md and "resumed fine" in md
    assert store.totals_by_definition()["tester"]["sessions"] == 1


def test_batched_deltas_keep_their_order_and_every_read_sees_them(tmp_path: Path) -> None:
    """Text deltas are written in batches; a read, another event or close writes them first,
    so history never shows events out of order or a transcript missing its tail."""
    import sqlite3

    from tui.core.session.events import Retrying, TextDelta, TurnEnded
    from tui.core.session.store import SessionStore

    path = tmp_path / "history.sqlite3"
    store = SessionStore(path)
    sid = store.create_session(
        definition_name="a",
        definition_path="a.md",
        definition_sha256="0",
        model="m",
        cwd=str(tmp_path),
        mode="default",
    )
    store.record(sid, TextDelta("one "))
    store.record(sid, TextDelta("two "))
    assert [p["text"] for t, p, _ in store.events(sid) if t == "text_delta"] == ["one ", "two "]
    store.record(sid, TextDelta("three "))
    store.record(sid, Retrying(1, 0.5, "overloaded"))  # writes the batch first
    store.record(sid, TextDelta("four"))
    store.record(sid, TurnEnded("end_turn", False))
    other = sqlite3.connect(path)  # another process reading the history
    kinds = [
        row[0]
        for row in other.execute("SELECT type FROM events WHERE session_id=? ORDER BY id", (sid,))
    ]
    assert kinds == [
        "text_delta",
        "text_delta",
        "text_delta",
        "retrying",
        "text_delta",
        "turn_ended",
    ]
    store.record(sid, TextDelta("tail"))
    store.close()  # closing writes what is left
    assert (
        other.execute(
            "SELECT COUNT(*) FROM events WHERE session_id=? AND type='text_delta'", (sid,)
        ).fetchone()[0]
        == 5
    )
    other.close()


def test_a_locked_history_keeps_batched_deltas_until_it_can_write(tmp_path: Path) -> None:
    """Another process holding the write lock past the timeout: the batch stays queued, in
    order, and lands once the lock is gone; nothing is dropped."""
    import sqlite3

    import pytest

    from tui.core.session.events import TextDelta
    from tui.core.session.store import SessionStore

    path = tmp_path / "history.sqlite3"
    store = SessionStore(path)
    store._conn.execute("PRAGMA busy_timeout=50")
    sid = store.create_session(
        definition_name="a",
        definition_path="a.md",
        definition_sha256="0",
        model="m",
        cwd=str(tmp_path),
        mode="default",
    )
    store.record(sid, TextDelta("one "))
    store.record(sid, TextDelta("two "))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    with pytest.raises(sqlite3.OperationalError):
        store.flush()
    store.record(sid, TextDelta("three"))
    other.execute("ROLLBACK")
    texts = [p["text"] for t, p, _ in store.events(sid) if t == "text_delta"]
    assert texts == ["one ", "two ", "three"]
    store.record(sid, TextDelta("!"))
    store.close()
    other.close()
