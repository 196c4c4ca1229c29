"""Issue 13 item 8: plan mode as Claude Code has it. The model is told it plans, is offered the
read tools and ExitPlanMode only, and its plan is approved (the session continues in default or
acceptEdits) or sent back with a comment; the mode can change between turns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.cli_run import run_cli
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session.events import Decision, Notice, PermissionNeeded, ToolResult
from tui.core.session.permissions import normalize_mode
from tui.core.session.planmode import next_mode
from tui.core.session.store import SessionStore

PLAN = "1. Write notes.txt\n2. Check it"

# reads, the todo list (no side effects; Claude Code keeps it in plan mode) and the plan tool
PLAN_TOOLS = ["Read", "Glob", "Grep", "TodoWrite", "ExitPlanMode"]


def tool_names(body: dict) -> list[str]:
    return [t["name"] for t in body.get("tools", [])]


def system_text(body: dict) -> str:
    return "\n".join(block["text"] for block in body["system"])


async def test_plan_offers_reads_and_approval_switches_to_accept_edits(
    api: FakeAPI, make_session, workdir: Path, store: SessionStore
) -> None:
    api.script(
        reply(tool_use("p1", "ExitPlanMode", {"plan": PLAN})),
        reply(tool_use("w1", "Write", {"file_path": "notes.txt", "content": "n\n"})),
        reply(text("Done.")),
    )
    session = make_session(make_definition(mode="plan"))
    asked: list[PermissionNeeded] = []

    def approve(request: PermissionNeeded) -> Decision:
        asked.append(request)
        return Decision("allow_session")  # approve, and accept edits from now on

    events = await drain(session.send("add notes"), approve)
    first = api.requests[0].body
    assert tool_names(first) == PLAN_TOOLS
    assert "Plan mode is active" in system_text(first)
    # the plan was the only question: the Write ran unasked under acceptEdits
    assert [r.name for r in asked] == ["ExitPlanMode"] and asked[0].preview == PLAN
    assert (workdir / "notes.txt").read_text() == "n\n"
    second = api.requests[1].body
    assert "Write" in tool_names(second) and "Bash" in tool_names(second)
    assert "ExitPlanMode" not in tool_names(second)
    assert "Plan mode is active" not in system_text(second)
    approved = second["messages"][-1]["content"][0]
    assert approved["tool_use_id"] == "p1" and "approved" in approved["content"]
    assert session.mode == "acceptEdits"
    modes = [n for n in of_type(events, Notice) if n.code == "mode"]
    assert modes and modes[0].mode == "acceptEdits"
    row = store.get_session(session.id)
    assert row is not None and row.mode == "acceptEdits"  # a resume continues in it
    assert any(
        kind == "notice" and p.get("code") == "mode" for kind, p, _ in store.events(session.id)
    )


async def test_plan_sent_back_with_a_comment_stays_in_plan(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    api.script(
        reply(tool_use("p1", "ExitPlanMode", {"plan": PLAN})),
        reply(tool_use("w1", "Write", {"file_path": "x.txt", "content": "x"})),
        reply(text("Understood, revising.")),
    )
    session = make_session(make_definition(mode="plan"))
    await drain(session.send("plan it"), lambda _: Decision("deny", "use docs/ instead"))
    back = api.requests[1].body
    result = back["messages"][-1]["content"][0]
    assert "use docs/ instead" in result["content"] and "plan mode" in result["content"]
    assert tool_names(back) == PLAN_TOOLS
    # a Write the model calls anyway is refused, never run
    assert not (workdir / "x.txt").exists()
    assert session.mode == "plan"


async def test_mode_changes_between_turns_and_plan_needs_a_plan_tool_only_in_plan(
    api: FakeAPI, make_session
) -> None:
    api.script(
        reply(text("one")),
        reply(text("two")),
        reply(tool_use("p", "ExitPlanMode", {"plan": "x"})),
        reply(text("ok")),
    )
    session = make_session()
    await drain(session.send("first"))
    assert "ExitPlanMode" not in tool_names(api.requests[0].body)
    assert next_mode("default") == "acceptEdits" and next_mode("acceptEdits") == "plan"
    assert next_mode("plan") == "default" and next_mode("bypassPermissions") == "default"
    notice = session.set_mode("plan")
    assert notice is not None and "default → plan" in notice.text
    events = await drain(session.send("second"))
    assert tool_names(api.requests[1].body) == PLAN_TOOLS
    assert any(isinstance(e, Notice) and e.code == "mode" for e in events)  # shown on the next turn
    # ExitPlanMode outside plan mode is refused, not asked
    session.set_mode("default")
    events = await drain(session.send("third"))
    result = next(e for e in of_type(events, ToolResult) if e.tool_use_id == "p")
    assert result.is_error and "Not in plan mode" in result.output


def test_headless_without_a_terminal_does_not_approve_and_auto_is_refused(
    api: FakeAPI, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    api.script(reply(tool_use("p1", "ExitPlanMode", {"plan": PLAN})), reply(text("Waiting.")))
    argv = ("run", "tester", "go", "--cwd", str(workdir), "--json")
    assert run_cli(*argv, mode="plan") == 4  # no report: the plan was not approved
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    decided = next(line for line in lines if line["type"] == "permission_decided")
    assert decided["name"] == "ExitPlanMode" and decided["decision"] == "deny"
    result = api.requests[1].body["messages"][-1]["content"][0]
    assert "did not approve" in result["content"]
    assert not any(line.get("code") == "mode" for line in lines)
    # `auto` is refused with a reason, `manual` is default
    assert run_cli("run", "tester", "go", "--permission-mode", "auto") == 1
    assert "`auto` is not supported" in capsys.readouterr().err
    assert normalize_mode("manual") == "default"
