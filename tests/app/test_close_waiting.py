"""Closing a session that waits on a permission prompt (issue 17 point 7): it asks, closes,
the command never runs, the history says interrupted, and resuming it sends a valid request
(the unanswered tool call is answered) and goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, launch, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.screens.confirm import ConfirmScreen
from tui.screens.history import HistoryScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.message_box import MessageBox
from tui.widgets.permission_prompt import PermissionPrompt


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


async def test_close_while_waiting_on_a_permission_then_resume(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    agent = writer_agent(tmp_root)
    api.script(
        reply(tool_use("b1", "Bash", {"command": "touch ran.txt"})),
        reply(text("Resumed fine.")),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "make a file", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: bool(view.query(PermissionPrompt)), what="prompt")
        assert live.waiting and live.running
        await pilot.press("ctrl+l", "x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="question")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.sessions.sessions, what="closed")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="agents")
        assert not (work / "ran.txt").exists()
        row = app.sessions.store.get_session(live.id)
        assert row is not None and row.status == "interrupted"
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="history")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="resumed")
        (resumed,) = app.sessions.sessions
        assert resumed.id == live.id
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        await wait_for(pilot, lambda: screen.view(resumed.id) is not None, what="view")
        resumed_view = screen.view(resumed.id)
        assert resumed_view is not None
        box = resumed_view.query_one(MessageBox)
        box.focus()
        await pilot.press(*"go on", "enter")
        await wait_for(pilot, lambda: len(api.requests) == 2, what="second request")
        await wait_for(pilot, lambda: not resumed.running, what="turn")
        messages = api.requests[1].body["messages"]
        answered = [
            b
            for m in messages
            if m["role"] == "user" and isinstance(m["content"], list)
            for b in m["content"]
            if b.get("type") == "tool_result" and b.get("tool_use_id") == "b1"
        ]
        assert len(answered) == 1
        assert [m["role"] for m in messages] == ["user", "assistant", "user"]
        assert not (work / "ran.txt").exists()
