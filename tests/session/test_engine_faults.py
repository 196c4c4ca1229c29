"""Failures: retries before the stream, broken streams after it, bad input, cancel, auth."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, error, reply, text, tool_use
from tests.helpers.session import drain, of_type, process_running
from tui.core.session.events import (
    PermissionNeeded,
    Retrying,
    SessionError,
    TextDelta,
    ToolResult,
    TurnEnded,
)

LONG = "word " * 400


async def test_529_then_success_is_retried_with_events(api: FakeAPI, make_session) -> None:
    api.script(error(529, headers={"retry-after-ms": "5"}), error(429), reply(text("fine")))
    events = await drain(make_session().send("hi"))
    retries = of_type(events, Retrying)
    assert [r.attempt for r in retries] == [1, 2]
    assert retries[0].wait_s == pytest.approx(0.005)
    assert "overloaded" in retries[0].reason.lower()
    assert of_type(events, TurnEnded) == [TurnEnded("end_turn", False)]
    assert len(api.requests) == 3


async def test_retries_give_up_with_a_retryable_error(api: FakeAPI, make_session) -> None:
    api.script(*[error(500)] * 3)
    session = make_session(max_retries=2)
    events = await drain(session.send("hi"))
    assert len(of_type(events, Retrying)) == 2
    err = of_type(events, SessionError)[0]
    assert (err.kind, err.retryable) == ("server", True)
    assert session.status == "error"


async def test_auth_error_says_how_to_set_the_key(api: FakeAPI, make_session) -> None:
    api.script(error(401))
    events = await drain(make_session().send("hi"))
    err = of_type(events, SessionError)[0]
    assert err.kind == "auth" and not err.retryable
    assert "ANTHROPIC_API_KEY" in err.message
    assert len(api.requests) == 1  # not retried


async def test_no_key_is_a_clear_error_without_a_request(
    api: FakeAPI, make_session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    events = await drain(make_session().send("hi"))
    err = of_type(events, SessionError)[0]
    assert err.kind == "auth" and "export ANTHROPIC_API_KEY" in err.message
    assert api.requests == []


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        ({"cut_after": 8}, "stream"),  # RemoteProtocolError
        ({"error_after": 8}, "stream"),  # event: error inside a 200
        ({"end_after": 8}, "stream"),  # EOF before message_stop
    ],
)
async def test_broken_stream_keeps_partial_output_and_can_retry(
    api: FakeAPI, make_session, store, fault: dict[str, int], kind: str
) -> None:
    api.script(reply(text(LONG, chunk=10), **fault), reply(text("recovered")))
    session = make_session(max_retries=0)  # (retried automatically otherwise: test_retries)
    events = await drain(session.send("go"))
    partial = "".join(e.text for e in of_type(events, TextDelta))
    assert partial and LONG.startswith(partial) and partial != LONG
    assert of_type(events, TurnEnded) == [TurnEnded(None, True)]
    err = of_type(events, SessionError)[0]
    assert err.kind == kind and err.retryable
    assert session.status == "interrupted" and session.can_retry
    # history keeps the partial text, marked interrupted; the conversation does not
    stored = store._db.execute(
        "SELECT content, interrupted FROM messages WHERE role='assistant'"
    ).fetchall()
    assert stored and stored[0][1] == 1 and partial in stored[0][0]
    events = await drain(session.retry())
    assert "".join(e.text for e in of_type(events, TextDelta)) == "recovered"
    assert api.requests[1].body["messages"] == api.requests[0].body["messages"]


async def test_stall_becomes_an_interrupted_turn(api: FakeAPI, make_session) -> None:
    api.script(reply(text(LONG, chunk=10), stall_after=6))
    session = make_session(read_timeout_s=0.3, max_retries=0)
    events = await drain(session.send("go"))
    assert of_type(events, TextDelta)
    err = of_type(events, SessionError)[0]
    assert err.kind == "stream" and "stalled" in err.message
    assert of_type(events, TurnEnded) == [TurnEnded(None, True)]


async def test_malformed_tool_json_becomes_an_error_result(api: FakeAPI, make_session) -> None:
    api.script(
        reply(tool_use("t1", "Read", raw_json='{"file_path": "a.txt", ')),
        reply(text("I will fix my JSON.")),
    )
    events = await drain(make_session().send("read"))
    result = of_type(events, ToolResult)[0]
    assert result.is_error and "JSON" in result.output
    sent = api.requests[1].body["messages"]
    assert sent[1]["content"][0]["input"] == {}
    assert sent[2]["content"][0]["is_error"] is True
    assert of_type(events, TurnEnded)[-1] == TurnEnded("end_turn", False)


async def test_unknown_tool_is_an_error_result(api: FakeAPI, make_session) -> None:
    api.script(reply(tool_use("t1", "WebFetch", {"url": "x"})), reply(text("ok")))
    events = await drain(make_session().send("fetch"))
    assert "No such tool" in of_type(events, ToolResult)[0].output


async def test_cancel_mid_stream_marks_the_turn(api: FakeAPI, make_session) -> None:
    api.script(reply(text(LONG, chunk=5), delay_s=0.01), reply(text("after")))
    session = make_session()
    seen: list[object] = []
    async with contextlib.aclosing(session.send("go")) as stream:
        async for event in stream:
            seen.append(event)
            if len(of_type(seen, TextDelta)) == 3:
                session.cancel()
    assert seen[-1] == TurnEnded(None, True)
    assert session.status == "interrupted"
    assert session.messages[-1]["role"] == "user"  # conversation still valid
    events = await drain(session.send("continue"))
    assert of_type(events, TurnEnded) == [TurnEnded("end_turn", False)]
    assert api.requests[1].body["messages"][-1]["content"][-1]["text"] == "continue"


async def test_cancel_by_cancelling_the_consumer_task(api: FakeAPI, make_session) -> None:
    api.script(reply(text(LONG, chunk=5), delay_s=0.01))
    session = make_session()
    first = asyncio.Event()

    async def consume() -> None:
        async for event in session.send("go"):
            if isinstance(event, TextDelta):
                first.set()

    task = asyncio.create_task(consume())
    await first.wait()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert session.status == "interrupted"


async def test_cancel_mid_bash_kills_the_process_group(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    pidfile = workdir / "child.pid"
    command = f"(sleep 30 & echo $! > {pidfile}; wait)"
    api.script(reply(tool_use("b1", "Bash", {"command": command})), reply(text("unused")))
    session = make_session(permission_mode="bypassPermissions")
    seen: list[object] = []
    async with contextlib.aclosing(session.send("run")) as stream:
        async for event in stream:
            seen.append(event)
            if isinstance(event, TurnEnded) and event.stop_reason == "tool_use":
                for _ in range(200):
                    if pidfile.exists() and pidfile.read_text().strip():
                        break
                    await asyncio.sleep(0.01)
                session.cancel()
    child = int(pidfile.read_text())
    result = of_type(seen, ToolResult)[-1]
    assert result.is_error and "Interrupted" in result.output
    assert seen[-1] == TurnEnded(None, True)
    for _ in range(100):
        if not process_running(child):
            break
        await asyncio.sleep(0.01)
    else:
        pytest.fail("the sleeping child survived the cancel")
    # the conversation answers every tool_use, so the next request is valid
    assert session.messages[-1]["content"][0]["tool_use_id"] == "b1"


async def test_cancel_while_waiting_for_permission(api: FakeAPI, make_session) -> None:
    api.script(reply(tool_use("w1", "Write", {"file_path": "x.txt", "content": "x"})))
    session = make_session()
    seen: list[object] = []
    async with contextlib.aclosing(session.send("write")) as stream:
        async for event in stream:
            seen.append(event)
            if isinstance(event, PermissionNeeded):
                session.cancel()
    assert seen[-1] == TurnEnded(None, True)
    assert of_type(seen, PermissionNeeded)[0].future.cancelled()
