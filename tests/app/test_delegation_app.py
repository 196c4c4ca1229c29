"""Delegation in the app: the Agent call is a block following its child, and the child's
permission prompt is asked (labelled with the chain) and answered on the parent's screen."""

from __future__ import annotations

from pathlib import Path

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, launch, plain, settle, wait_for, write_agent
from tui.core.roots import Root
from tui.widgets.permission_prompt import PermissionPrompt
from tui.widgets.session_blocks import ToolView

ORCH, WORKER = "ORCH-APP-5e1", "WORKER-APP-7b2"


async def test_a_child_runs_as_a_block_and_its_prompt_is_answered_from_the_parent(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    orch = write_agent(tmp_root.path, "orchestrator", extra="tools: Agent\n", body=f"{ORCH}\n")
    write_agent(
        tmp_root.path,
        "note-writer",
        description="writes notes",
        extra="tools: Write\n",
        body=f"{WORKER}\n",
    )
    api.route(
        ORCH,
        reply(
            tool_use(
                "c1",
                "Agent",
                {
                    "description": "write the note",
                    "prompt": "write n.txt",
                    "subagent_type": "note-writer",
                },
            )
        ),
        reply(text("TASK_COMPLETE: top\nSTATUS: success\nSUMMARY: delegated\n")),
    )
    api.route(
        WORKER,
        reply(tool_use("w1", "Write", {"file_path": "n.txt", "content": "note"})),
        reply(text("TASK_COMPLETE: note\nSTATUS: success\nSUMMARY: wrote n.txt\n")),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, orch, "delegate", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: bool(view.query(PermissionPrompt)), what="child prompt")
        prompt = view.query_one(PermissionPrompt)
        assert prompt.block.tool_use_id == "w1"
        assert "orchestrator › note-writer · Write" in prompt.block.name
        assert live.waiting and live.transcript.state == "waiting for you"
        # the agent tree marks the child's definition as running (and waiting) too
        worker = next(p for p in tmp_root.path.rglob("*.md") if p.stem == "note-writer")
        await wait_for(
            pilot, lambda: app.sessions.live_counts().get(worker) == (1, 1), what="child badge"
        )
        # the sessions list nests the child under its parent, waiting for you
        from textual.widgets import OptionList

        listed = app.screen.query_one("#session-list", OptionList)
        lines = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        child = next(i for i, x in enumerate(lines) if "↳ note-writer" in x)
        assert "waiting for you" in lines[child] and "waiting for you" in lines[child - 1]
        agent_view = next(v for v in view.query(ToolView) if v.block.tool_use_id == "c1")
        assert "note-writer" in plain(agent_view._header)
        assert "waiting for you" in plain(agent_view._header)
        await wait_for(pilot, lambda: prompt.has_focus, what="focus")
        await pilot.press("y")
        await wait_for(pilot, lambda: not live.running, what="turn end")
        assert (work / "n.txt").read_text() == "note"
        await pilot.pause()
        header = plain(agent_view._header)
        assert "completed" in header and "report: completed" in header
        assert live.transcript.child_stats.output > 0
        report = live.transcript.report  # the parent's card lists what its children returned
        assert report is not None and report.children == [("note-writer", "completed", "completed")]
        from tui.widgets.report_card import ReportCard

        card = view.query_one(ReportCard)
        assert "↳ note-writer  completed · report completed" in plain(card)
        from tui.widgets.status_line import render_status

        status = render_status("orchestrator", live.transcript, 0.0).plain
        assert "with subagents" in status  # this session + its children
        # Enter on the block's button opens the child's transcript; Esc comes back
        from textual.widgets import Button

        from tui.screens.history import SessionReplayScreen

        sessions_screen = app.screen
        button = agent_view.query_one(".agent-open", Button)
        button.focus()
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, SessionReplayScreen), what="child transcript"
        )
        replay = app.screen
        assert replay.row.definition_name == "note-writer"  # type: ignore[attr-defined]
        from tui.widgets.session_view import SessionView

        child_report = replay.query_one(SessionView).transcript.report
        assert child_report is not None and child_report.data["SUMMARY"] == "wrote n.txt"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is sessions_screen, what="back")
        assert live.session.status == "completed"


def test_a_todo_list_is_shown_as_a_checklist() -> None:
    from tui.core.session.blocks import ToolBlock
    from tui.widgets.session_blocks import tool_detail

    todos = [
        {"content": "Write tests", "status": "completed", "activeForm": "Writing tests"},
        {"content": "Ship it", "status": "in_progress", "activeForm": "Shipping it"},
        {"content": "Celebrate", "status": "pending", "activeForm": "Celebrating"},
    ]
    shown = tool_detail(ToolBlock("t1", "TodoWrite", {"todos": todos})).plain  # type: ignore[union-attr]
    assert shown.splitlines() == ["☑ Write tests", "◐ Shipping it", "☐ Celebrate"]


async def test_the_launch_dialog_names_tools_roster_cannot_provide(tmp_root: Root) -> None:
    from tui.screens.launch import LaunchScreen

    agent = write_agent(
        tmp_root.path, "mcp-user", extra="tools: Read, mcp__github__issues, NotebookEdit\n"
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(agent)
        app.main_screen.agent_tree.focus()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="dialog")
        said = plain(app.screen.query_one("#launch-unsupported"))
        assert "mcp__github__issues, NotebookEdit" in said
