"""Plain text, multi-turn, what the SDK sends, and parallel tool calls."""

from __future__ import annotations

from pathlib import Path

from tests.fakeapi import FakeAPI, reply, text, thinking, tool_use
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session.events import (
    SessionStarted,
    TextDelta,
    ThinkingDelta,
    ToolInputComplete,
    ToolResult,
    ToolUseStarted,
    TurnEnded,
    Usage,
)


async def test_plain_text_streams_and_ends(api: FakeAPI, make_session) -> None:
    api.script(reply(text("Hello from the fake model."), input_tokens=1000, output_tokens=200))
    session = make_session()
    events = await drain(session.send("hi"))
    assert isinstance(events[0], SessionStarted)
    assert "".join(e.text for e in of_type(events, TextDelta)) == "Hello from the fake model."
    assert of_type(events, TurnEnded) == [TurnEnded("end_turn", False)]
    usage = of_type(events, Usage)[0]
    assert (usage.input_tokens, usage.output_tokens) == (1000, 200)
    assert usage.cost_usd is not None and usage.cost_usd > 0
    assert session.status == "completed"
    body = api.requests[0].body
    assert body["stream"] is True
    assert body["cache_control"] == {"type": "ephemeral"}
    assert body["thinking"] == {"type": "adaptive", "display": "summarized"}
    assert "tool_choice" not in body
    assert body["system"][0]["text"].startswith("You are a careful test agent.")
    assert "Working directory:" in body["system"][0]["text"]
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert body["model"] == "claude-sonnet-5-5"
    assert [t["name"] for t in body["tools"]] == [  # (issue 14: TodoWrite joined)
        *("Read", "Write", "Edit", "Glob", "Grep", "Bash", "BashOutput", "KillShell", "TodoWrite")
    ]


async def test_multi_turn_and_thinking_sent_back_unchanged(api: FakeAPI, make_session) -> None:
    api.script(
        reply(
            thinking("Let me look.", signature="SIG-1"),
            tool_use("t1", "Glob", {"pattern": "*"}),
            text(""),
        ),
        reply(text("Nothing here.")),
        reply(text("Second answer.")),
    )
    session = make_session()
    events = await drain(session.send("look around"))
    assert "".join(e.text for e in of_type(events, ThinkingDelta)) == "Let me look."
    second = api.requests[1].body["messages"]
    assert second[1]["content"][0] == {
        "type": "thinking",
        "thinking": "Let me look.",
        "signature": "SIG-1",
    }
    assert second[2]["content"][0]["type"] == "tool_result"
    events = await drain(session.send("and again"))
    third = api.requests[2].body["messages"]
    assert [m["role"] for m in third] == ["user", "assistant", "user", "assistant", "user"]
    assert third[-1]["content"] == [{"type": "text", "text": "and again"}]


async def test_parallel_tool_calls_answered_in_one_message(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    (workdir / "a.txt").write_text("alpha\n")
    (workdir / "b.txt").write_text("beta\n")
    api.script(
        reply(
            text("Reading both."),
            tool_use("r1", "Read", {"file_path": "a.txt"}),
            tool_use("r2", "Read", {"file_path": str(workdir / "b.txt")}),
        ),
        reply(text("Both read.")),
    )
    events = await drain(make_session().send("read"))
    assert [e.tool_use_id for e in of_type(events, ToolUseStarted)] == ["r1", "r2"]
    assert of_type(events, ToolInputComplete)[0].input == {"file_path": "a.txt"}
    results = of_type(events, ToolResult)
    assert [r.is_error for r in results] == [False, False]
    assert "alpha" in results[0].output and "beta" in results[1].output
    sent = api.requests[1].body["messages"][-1]
    assert sent["role"] == "user"
    assert [b["tool_use_id"] for b in sent["content"]] == ["r1", "r2"]


async def test_tools_follow_the_definition(api: FakeAPI, make_session) -> None:
    api.script(reply(text("ok")), reply(text("ok")))
    await drain(
        make_session(
            make_definition(tools=("Read", "Grep", "Bash(git *)"), disallowed=("Grep",))
        ).send("x")
    )
    # Bash brings its background-job companions (BashOutput, KillShell)
    assert [t["name"] for t in api.requests[0].body["tools"]] == [
        *("Read", "Bash", "BashOutput", "KillShell")
    ]
    await drain(make_session(make_definition(tools=())).send("x"))
    assert "tools" not in api.requests[1].body


async def test_model_alias_and_max_turns(api: FakeAPI, make_session) -> None:
    api.script(
        reply(tool_use("g1", "Glob", {"pattern": "*"})),
        reply(tool_use("g2", "Glob", {"pattern": "*"})),
    )
    session = make_session(
        make_definition(model="opus", frontmatter={"maxTurns": 2, "maxTokens": 1234})
    )
    events = await drain(session.send("loop"))
    assert api.requests[0].body["model"] == "claude-opus-5-5"
    assert api.requests[0].body["max_tokens"] == 1234
    assert len(api.requests) == 2
    assert events[-1].kind == "max_turns" and session.status == "max_turns"
