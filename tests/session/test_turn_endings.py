"""How a turn ended is shown and counted (issue 13, item 3): max_tokens is continued, then
`truncated`; a cut tool call is not run; `refusal` is `refused`; neither is "completed"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.cli_run import run_cli
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session.engine import CONTINUE_PROMPT, CUT_TOOL
from tui.core.session.events import Notice, PermissionNeeded, SessionStatus, ToolResult
from tui.core.session.models import default_max_tokens

REPORT = "\n\nTASK_COMPLETE: t\nSTATUS: success\n"


async def test_an_answer_cut_at_max_tokens_is_continued(api: FakeAPI, make_session) -> None:
    api.script(
        reply(text("The first half"), stop_reason="max_tokens"),
        reply(text(", and the rest." + REPORT)),
    )
    session = make_session()
    events = await drain(session.send("write a lot"))
    assert session.status == SessionStatus.COMPLETED
    notices = of_type(events, Notice)
    assert [n.code for n in notices] == ["continuing"]
    assert "1 of 3" in notices[0].text
    second = api.requests[1].body["messages"]
    assert second[-2] == {
        "role": "assistant",
        "content": [{"type": "text", "text": "The first half"}],
    }
    assert second[-1]["content"][-1]["text"] == CONTINUE_PROMPT


async def test_still_cut_after_the_continuations_is_truncated(api: FakeAPI, make_session) -> None:
    api.script(*[reply(text(f"part {i} "), stop_reason="max_tokens") for i in range(3)])
    session = make_session(continuations=2)
    events = await drain(session.send("write a lot"))
    assert session.status == SessionStatus.TRUNCATED
    assert [n.code for n in of_type(events, Notice)] == ["continuing", "continuing", "truncated"]
    assert len(api.requests) == 3


async def test_a_tool_call_cut_by_max_tokens_is_not_run(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    api.script(
        reply(
            text("Writing it."),
            tool_use("tu_c", "Write", raw_json='{"file_path": "a.txt", "content": "hal'),
            stop_reason="max_tokens",
        ),
        reply(text("Done." + REPORT)),
    )
    session = make_session(make_definition(mode="bypassPermissions"))
    events = await drain(session.send("write a.txt"))
    assert not (workdir / "a.txt").exists()
    assert not of_type(events, PermissionNeeded)
    assert [(r.tool_use_id, r.output) for r in of_type(events, ToolResult)] == [("tu_c", CUT_TOOL)]
    assert api.rejected == []
    sent = api.requests[1].body["messages"]
    assert all(b["type"] != "tool_use" for m in sent for b in m["content"])
    assert session.status == SessionStatus.COMPLETED


async def test_a_refusal_is_refused_not_completed(api: FakeAPI, make_session) -> None:
    api.script(reply(text("I can't help with that."), stop_reason="refusal"))
    session = make_session()
    events = await drain(session.send("something bad"))
    assert session.status == SessionStatus.REFUSED
    assert [n.code for n in of_type(events, Notice)] == ["refused"]


@pytest.fixture
def env_api(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> FakeAPI:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    return api


@pytest.mark.parametrize(
    ("replies", "code"),
    [
        ([reply(text("I won't."), stop_reason="refusal")], 4),
        ([reply(text("cut"), stop_reason="max_tokens")] * 4, 4),
        ([reply(text("All fine, no report."))], 4),
        ([reply(text("Done." + REPORT))], 0),
    ],
)
def test_headless_exit_codes_for_unfinished_answers(
    env_api: FakeAPI, workdir: Path, replies: list, code: int
) -> None:
    env_api.script(*replies)
    assert run_cli("run", "tester", "go", "--cwd", str(workdir), "--json") == code


async def test_default_max_tokens_follow_the_model(api: FakeAPI, make_session) -> None:
    api.script(reply(text("a")), reply(text("b")))
    await drain(make_session(model="claude-opus-5-5").send("x"))
    await drain(make_session(model="claude-3-5-haiku-latest").send("x"))
    assert [r.body["max_tokens"] for r in api.requests] == [128_000, 8_192]
    assert default_max_tokens("claude-sonnet-5-5") == 64_000
    assert default_max_tokens("some-future-model") == 32_000
