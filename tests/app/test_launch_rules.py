"""Issue 12 point 1, app side: the launch dialog takes allow/deny rules in Claude Code's syntax
and the session obeys them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.screens.launch import LaunchScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.message_box import MessageBox


async def test_rules_from_the_launch_dialog_reach_the_session(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("keep")
    api.script(
        reply(
            tool_use("b1", "Bash", {"command": "echo hi > said.txt"}),
            tool_use("b2", "Bash", {"command": "rm keep.txt"}),
        ),
        reply(text("Done.")),
    )
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(agent)
        app.main_screen.agent_tree.focus()
        await pilot.pause()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="launch dialog")
        dialog = app.screen
        dialog.query_one("#cwd", Input).value = str(work)
        dialog.query_one("#task", MessageBox).value = "go"
        # a broken rule is refused, naming it; nothing starts
        dialog.query_one("#deny-rules", Input).value = "Bash(rm"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and dialog.query_one("#deny-rules").has_class("-invalid")
        assert any("Bash(rm" in n.message for n in app._notifications)
        dialog.query_one("#allow-rules", Input).value = "Bash(echo hi:*), Read"
        dialog.query_one("#deny-rules", Input).value = "Bash(rm *)"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="session")
        live = app.sessions.sessions[-1]
        await wait_for(pilot, lambda: not live.running, what="turn end")
        assert not live.transcript.waiting  # nothing was asked
        config = live.session.config
        assert "Bash(echo hi:*)" in config.allow_rules and "Read" in config.allow_rules
        assert "Bash(rm *)" in config.deny_rules
        assert (work / "said.txt").read_text() == "hi\n"  # allowed by the rule, unasked
        assert (work / "keep.txt").exists()  # denied by the rule
        results = api.requests[1].body["messages"][-1]["content"]
        denied = next(r for r in results if r["tool_use_id"] == "b2")
        assert denied["is_error"] and "Bash(rm *)" in denied["content"]
