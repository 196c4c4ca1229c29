"""Live Bash (issue 17.4): a running command's output reaches the session's progress listeners
as it arrives, goes to neither the model nor the history before the result, and an interrupt
keeps what arrived (redacted like any result)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.session import make_definition, of_type
from tui.core.session.events import ToolResult
from tui.core.session.live import LiveSession
from tui.core.session.store import SessionStore

# line1, then (at most ~10 s) wait for the test to create `go`, then the rest
SLOW = (
    "echo line1; for i in $(seq 200); do [ -e go ] && break; sleep 0.05; done; "
    "for i in 2 3; do echo line$i; sleep 0.3; done"
)
AGENT = make_definition(tools=("Bash",), mode="bypassPermissions")


async def test_output_arrives_before_the_command_ends_and_only_the_result_is_stored(
    api: FakeAPI, make_session, store: SessionStore, workdir: Path
) -> None:
    api.script(reply(tool_use("b1", "Bash", {"command": SLOW})), reply(text("done")))
    session = make_session(AGENT)
    seen: list[tuple[str, str, bool]] = []  # (call, text so far, result already out?)
    results: list[ToolResult] = []

    def listener(tool_use_id: str, so_far: str) -> None:
        seen.append((tool_use_id, so_far, bool(results)))
        (workdir / "go").touch()  # line1 was reported: the command may go on

    session.progress.listeners.append(listener)
    events = []
    async for event in session.send("go"):
        events.append(event)
        if isinstance(event, ToolResult):
            results.append(event)
    early = [s for s in seen if "line1" in s[1] and "line3" not in s[1]]
    assert early and early[0][0] == "b1" and not early[0][2]  # before the result
    assert len(seen) <= 10  # throttled: three lines in ~1 s, not one report per chunk
    assert of_type(events, ToolResult)[0].output == "line1\nline2\nline3"
    # the model saw the result once, whole; nothing partial went to the history
    results_sent = [
        part
        for message in api.requests[1].body["messages"]
        for part in message["content"]
        if part.get("type") == "tool_result"
    ]
    assert [r["content"] for r in results_sent] == ["line1\nline2\nline3"]
    stored = [kind for kind, payload, _ in store.events(session.id) if "line1" in str(payload)]
    # the call (its command says line1) and the result: no partial output
    assert stored == ["tool_input_complete", "assistant_message", "tool_result", "user_message"]


async def test_interrupt_keeps_what_arrived(api: FakeAPI, make_session) -> None:
    secret = "hunter2-secret-value"
    command = f"echo line1 {secret}; sleep 30; echo never"
    api.script(reply(tool_use("b1", "Bash", {"command": command})), reply(text("ok")))
    session = make_session(AGENT, secrets=(secret,))
    live = LiveSession(session)
    shown: list[str] = []
    live.listeners.append(
        lambda lv, _changes: shown.extend(
            b.live for b in lv.transcript.blocks if hasattr(b, "live")
        )
    )
    turn = asyncio.create_task(live.run("go"))
    for _ in range(400):  # a liveness bound, not a speed test
        if any("line1" in s for s in shown):
            break
        await asyncio.sleep(0.025)
    assert any("line1" in s for s in shown)  # on screen while the command still runs
    assert not any(secret in s for s in shown)  # redacted before it is shown
    live.interrupt()
    await turn
    block = live.transcript.tool("b1")
    assert block is not None and block.output is not None
    assert "line1" in block.output and "Interrupted by the user" in block.output
    assert "never" not in block.output and secret not in block.output
    assert block.live == ""  # the result replaced the output so far (no second copy kept)
