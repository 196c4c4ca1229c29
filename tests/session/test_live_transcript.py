"""The live driver and the transcript: what the session screen is built from, checked with the
real SDK against the loopback fake API, and rebuilt from the history database."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.fakeapi import FakeAPI, reply, text, thinking, tool_use
from tests.helpers.session import make_definition
from tui.core.session.engine import AgentSession
from tui.core.session.events import Decision
from tui.core.session.live import LiveSession
from tui.core.session.store import SessionStore
from tui.core.session.transcript import (
    ErrorBlock,
    NoticeBlock,
    ReportBlock,
    TextBlock,
    ThinkingBlock,
    ToolBlock,
    UserBlock,
    from_events,
)

REPORT = (
    "All done.\n\nTASK_COMPLETE: T-1\nSTATUS: completed\nARTIFACTS: [hello.txt, gone.txt]\n"
    "SUMMARY: wrote hello\nVERIFIED: [read back]\n"
)
BODY = (
    "You write files.\n\n## Completion Report\n\nTASK_COMPLETE: {id}\nSTATUS: x\n"
    "ARTIFACTS: [f]\nSUMMARY: s\nVERIFIED: [v]\nTEST_RESULTS: t\n"
)


def kinds(blocks: list[Any]) -> list[str]:
    return [type(b).__name__ for b in blocks]


async def run_answering(
    live: LiveSession, prompt: str | None, answer: Callable[[str], Decision]
) -> str:
    """Run a turn; answer each permission request as it appears (like a user would)."""

    def on_change(_live: LiveSession, _changes: list[Any]) -> None:
        for tool_id in list(live.pending):
            asyncio.get_running_loop().call_soon(live.decide, tool_id, answer(tool_id))

    live.listeners.append(on_change)
    try:
        return await live.run(prompt)
    finally:
        live.listeners.remove(on_change)


async def test_a_turn_becomes_blocks_and_the_store_rebuilds_them(
    api: FakeAPI, make_session: Callable[..., AgentSession], workdir: Path, store: SessionStore
) -> None:
    api.script(
        reply(
            thinking("Plan: write the file."),
            text("I will write it."),
            tool_use("t1", "Write", {"file_path": "hello.txt", "content": "hi\n"}),
        ),
        reply(text(REPORT)),
    )
    session = make_session(make_definition(body=BODY, tools=("Write",)))
    live = LiveSession(session, label="tester")
    status = await run_answering(live, "write hello", lambda _id: Decision("allow_once"))

    assert status == "completed"
    assert (workdir / "hello.txt").read_text() == "hi\n"
    t = live.transcript
    assert kinds(t.blocks) == [
        "UserBlock",
        "ThinkingBlock",
        "TextBlock",
        "ToolBlock",
        "TextBlock",
        "ReportBlock",
    ]
    assert isinstance(t.blocks[0], UserBlock) and t.blocks[0].text == "write hello"
    assert isinstance(t.blocks[1], ThinkingBlock) and t.blocks[1].text == "Plan: write the file."
    tool = t.blocks[3]
    assert isinstance(tool, ToolBlock)
    assert tool.target == "hello.txt" and tool.decision == "allow_once" and not tool.automatic
    assert tool.ask is not None and "+hi" in tool.ask.preview  # the diff the user approved
    assert tool.output is not None and not tool.is_error
    report = t.blocks[5]
    assert isinstance(report, ReportBlock)
    assert report.outcome == "completed" and report.report_id == "T-1"
    exists = {a["path"]: a["exists"] for a in report.artifacts}
    assert exists == {"hello.txt": True, "gone.txt": False}
    assert report.missing_keys == ["TEST_RESULTS"]
    assert t.state == "done" and not t.busy
    assert t.stats.output_tokens > 0 and t.stats.responses == 2

    # the history database tells the same story
    row = store.get_session(session.id)
    assert row is not None
    again = from_events(store.events(session.id), row.status)
    assert kinds(again.blocks) == kinds(t.blocks)
    assert [getattr(b, "text", None) for b in again.blocks] == [
        getattr(b, "text", None) for b in t.blocks
    ]
    assert again.state == "done" and again.stats.output_tokens == t.stats.output_tokens


async def test_denial_carries_the_reason_to_the_model(
    api: FakeAPI, make_session: Callable[..., AgentSession], workdir: Path
) -> None:
    api.script(
        reply(tool_use("t1", "Bash", {"command": "rm -rf build"})),
        reply(text("Understood, I will not.")),
    )
    live = LiveSession(make_session(make_definition(tools=("Bash",))))
    await run_answering(live, "clean up", lambda _id: Decision("deny", "keep the build"))
    tool = live.transcript.tool("t1")
    assert tool is not None and tool.decision == "deny" and tool.is_error
    assert tool.target == "rm -rf build"
    sent = api.requests[1].body["messages"][-1]["content"][0]
    assert sent["type"] == "tool_result" and "keep the build" in sent["content"]


async def test_interrupt_while_waiting_then_a_second_turn(
    api: FakeAPI, make_session: Callable[..., AgentSession]
) -> None:
    api.script(
        reply(tool_use("t1", "Write", {"file_path": "a.txt", "content": "x"})),
        reply(text("Second turn answer.")),
    )
    live = LiveSession(make_session(make_definition(tools=("Write",))))
    seen_waiting = asyncio.Event()

    def on_change(_live: LiveSession, _changes: list[Any]) -> None:
        if live.waiting:
            seen_waiting.set()

    live.listeners.append(on_change)
    task = asyncio.create_task(live.run("write a"))
    await asyncio.wait_for(seen_waiting.wait(), 10)
    assert live.transcript.state == "waiting for you"
    assert live.interrupt()
    assert await asyncio.wait_for(task, 10) == "interrupted"
    t = live.transcript
    assert t.state == "interrupted" and not live.pending
    assert any(isinstance(b, NoticeBlock) for b in t.blocks)
    assert live.decide("t1", Decision("allow_once")) is False  # nothing waits any more

    assert await live.run("carry on") == "completed"
    assert isinstance(t.blocks[-1], TextBlock) and t.blocks[-1].text == "Second turn answer."
    assert [b.text for b in t.blocks if isinstance(b, UserBlock)] == ["write a", "carry on"]


async def test_an_api_error_is_a_retryable_block(
    api: FakeAPI, make_session: Callable[..., AgentSession]
) -> None:
    from tests.fakeapi import error

    api.script(error(401))
    live = LiveSession(make_session(max_retries=0))
    assert await live.run("hello") == "error"
    errors = [b for b in live.transcript.blocks if isinstance(b, ErrorBlock)]
    assert errors and errors[0].kind == "auth"
    assert live.transcript.state == "error"
    assert live.session.can_retry  # the prompt is kept: Retry resends it
    api.script(reply(text("Now it works.")))
    assert await live.run(None) == "completed"
    assert isinstance(live.transcript.blocks[-1], TextBlock)


def test_bash_exit_codes_are_read_from_the_result() -> None:
    ok = ToolBlock("1", "Bash", {"command": "true"}, output="(no output)")
    failed = ToolBlock("2", "Bash", {"command": "false"}, output="boom\nExit code 3", is_error=True)
    other = ToolBlock("3", "Read", {"file_path": "x"}, output="text")
    assert (ok.exit_code, failed.exit_code, other.exit_code) == (0, 3, None)


def test_long_text_runs_split_at_paragraphs_outside_code() -> None:
    from tui.core.session.transcript import SPLIT_AT, Transcript

    fence = "```python\n" + "x = 1\n\n" * 600 + "```\n\n"  # blank lines inside a fence
    prose = "".join(f"Paragraph {i} " + "word " * 40 + "\n\n" for i in range(120))
    text = prose[: SPLIT_AT // 2] + fence + prose
    t = Transcript()
    for i in range(0, len(text), 7):  # streamed in small deltas
        t.apply("text_delta", {"text": text[i : i + 7]})
    parts = [b.text for b in t.blocks if isinstance(b, TextBlock)]
    assert len(parts) > 3 and "".join(parts) == text  # nothing lost or reordered
    for part in parts:
        assert part.count("```") % 2 == 0  # a code block is never cut in two
    assert all(len(p) < SPLIT_AT + 400 for p in parts if "```" not in p)
