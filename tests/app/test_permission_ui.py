"""The app's side of permissions: the launch dialog does not let a downloaded definition raise
its own mode, and the prompt says what "allow for this session" covers (or does not offer it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.widgets import Button, Input, Select

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import (
    SIZE,
    app_for,
    launch,
    plain,
    settle,
    wait_for,
    write_agent,
    writer_agent,
)
from tui.core.roots import Root
from tui.screens.launch import LaunchScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.message_box import MessageBox
from tui.widgets.permission_prompt import PermissionPrompt


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


async def test_launch_dialog_needs_a_yes_for_a_self_escalating_definition(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    agent = write_agent(
        tmp_root.path, "grabby", extra="tools: Write\npermissionMode: bypassPermissions\n"
    )
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "a.txt", "content": "x"})), reply(text("ok"))
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(agent)
        app.main_screen.agent_tree.focus()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="dialog")
        dialog = app.screen
        assert dialog.query_one("#mode", Select).value == "default"  # not the file's own
        warning = plain(dialog.query_one("#launch-escalation"))
        assert "bypassPermissions" in warning and "default mode" in warning
        red = Color.parse(app.get_css_variables()["error"])
        assert dialog.query_one("#launch-escalation").styles.color == red  # shown in red

        dialog.query_one("#mode", Select).value = "bypassPermissions"  # the user's yes
        dialog.query_one("#cwd", Input).value = str(work)
        dialog.query_one("#task", MessageBox).value = "go"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="session")
        live = app.sessions.sessions[-1]
        await wait_for(pilot, lambda: not live.running, what="turn end")
        assert live.session.mode == "bypassPermissions"
        assert (work / "a.txt").read_text() == "x"


async def test_prompt_shows_the_session_prefix_and_hides_it_for_risky_commands(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    agent = writer_agent(tmp_root)
    api.script(
        reply(tool_use("b1", "Bash", {"command": "git status -s"})),
        reply(tool_use("b2", "Bash", {"command": "git status $(touch pwned)"})),
        reply(text("done")),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "look", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: view.query_one(PermissionPrompt).has_focus, what="prompt")
        prompt = view.query_one(PermissionPrompt)
        assert "`git status:*`" in plain(prompt.query_one(".permission-scope"))
        await pilot.press("s")
        await wait_for(
            pilot,
            lambda: any(p.block.tool_use_id == "b2" for p in view.query(PermissionPrompt)),
            what="second prompt",
        )
        risky = next(p for p in view.query(PermissionPrompt) if p.block.tool_use_id == "b2")
        await wait_for(pilot, lambda: risky.has_focus, what="focus")
        assert not risky.query(".permission-scope") and not risky.query("#allow_session")
        assert [b.id for b in risky.query(Button)] == ["allow_once", "deny"]
        await pilot.press("s")  # not offered: nothing happens
        await pilot.pause()
        assert not risky.answered
        await pilot.press("d", "enter")
        await wait_for(pilot, lambda: not live.running, what="turn end")
        assert not (work / "pwned").exists()
