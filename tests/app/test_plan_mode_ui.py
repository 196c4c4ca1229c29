"""Plan mode in the app: the plan is shown with an approval prompt; approving continues in the
mode chosen; Shift+Tab cycles the mode mid-session (status line, transcript, next request)."""

from __future__ import annotations

from pathlib import Path

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, launch, plain, settle, wait_for, write_agent
from tui.core.roots import Root
from tui.core.session.transcript import NoticeBlock
from tui.widgets.message_box import MessageBox
from tui.widgets.permission_prompt import PermissionPrompt
from tui.widgets.session_blocks import ToolView


def planner(root: Root) -> Path:
    return write_agent(
        root.path,
        "planner",
        extra="tools: Read, Write, Bash\npermissionMode: plan\nlevel: L2\ndomain: docs\n",
        body="# Planner\n\nYou plan, then write.\n",
    )


async def test_plan_is_approved_in_the_app_and_the_session_goes_on(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    api.script(
        reply(tool_use("p1", "ExitPlanMode", {"plan": "1. write **plan.txt**"})),
        reply(tool_use("w1", "Write", {"file_path": "plan.txt", "content": "ok\n"})),
        reply(text("Written.")),
    )
    agent = planner(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "make a plan", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: bool(view.query(PermissionPrompt)), what="plan prompt")
        prompt = view.query_one(PermissionPrompt)
        await wait_for(pilot, lambda: prompt.has_focus, what="prompt focus")
        assert "Approve this plan?" in plain(prompt.query_one(".permission-question"))
        assert "write **plan.txt**" in plain(view.query_one(ToolView).query_one(".tool-detail"))
        assert "plan" in plain(view.query_one("#session-status"))
        assert [t["name"] for t in api.requests[0].body["tools"]][-1] == "ExitPlanMode"
        await pilot.press("s")  # approve, and accept edits
        await wait_for(pilot, lambda: not live.running, what="turn end")
        assert (work / "plan.txt").read_text() == "ok\n"  # no second question
        header = plain(view.query(ToolView).first().query_one(".tool-header"))
        assert "plan approved, accept edits" in header
        assert "acceptEdits" in plain(view.query_one("#session-status"))
        assert any(
            isinstance(b, NoticeBlock) and "plan → acceptEdits" in b.text
            for b in live.transcript.blocks
        )


async def test_shift_tab_cycles_the_mode_for_the_next_request(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    agent = write_agent(
        tmp_root.path, "helper", extra="tools: Read, Write, Bash\nlevel: L2\ndomain: docs\n"
    )
    api.script(reply(text("first")), reply(text("second")))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "hello", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: not live.running, what="turn 1")
        status = view.query_one("#session-status")
        assert "default" in plain(status)
        view.query_one("#prompt").focus()
        await pilot.press("shift+tab")
        await wait_for(pilot, lambda: "acceptEdits" in plain(status), what="acceptEdits")
        await pilot.press("shift+tab")
        await wait_for(pilot, lambda: " plan " in plain(status), what="plan")
        notices = [b.text for b in live.transcript.blocks if isinstance(b, NoticeBlock)]
        assert any("default → acceptEdits" in n for n in notices)
        assert any("acceptEdits → plan" in n for n in notices)
        await pilot.press(*"now plan")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(api.requests) == 2, what="request 2")
        await wait_for(pilot, lambda: not live.running, what="turn 2")
        tools = [t["name"] for t in api.requests[1].body["tools"]]
        assert "Write" not in tools and "ExitPlanMode" in tools
        kinds = [p.get("code") for k, p, _ in app.sessions.store.events(live.id) if k == "notice"]
        assert kinds.count("mode") == 2
        assert isinstance(view.query_one("#prompt"), MessageBox)
