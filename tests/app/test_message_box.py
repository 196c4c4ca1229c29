"""Issue 13 item 6: the task and the message box are multi-line (paste keeps every line, Enter
sends, Ctrl+J adds a line, Up/Down recall), and a message typed during a turn is queued."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, launch, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.core.session.transcript import NoticeBlock, TextBlock
from tui.screens.launch import LaunchScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.message_box import MessageBox
from tui.widgets.permission_prompt import PermissionPrompt

PASTED = "Fix the build:\n  1. run the tests\n  2. report what failed"


def user_text(body: dict, index: int = -1) -> str:
    return str(body["messages"][index]["content"][0]["text"])


async def test_pasted_three_line_task_reaches_the_api_intact(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    api.script(reply(text("one")), reply(text("two")), reply(text("three")))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(agent)
        app.main_screen.agent_tree.focus()
        await pilot.pause()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="launch dialog")
        app.screen.query_one("#cwd", Input).value = str(work)
        task = app.screen.query_one("#task", MessageBox)
        assert task.has_focus
        app.post_message(events.Paste(PASTED))  # as a terminal's bracketed paste arrives
        await wait_for(pilot, lambda: task.value == PASTED, what="paste")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="session")
        live = app.sessions.sessions[-1]
        await wait_for(pilot, lambda: not live.running, what="turn 1")
        assert user_text(api.requests[0].body) == PASTED  # every line, as pasted
        # the message box: Ctrl+J adds a line, Enter sends both
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        view = screen.view(live.id)
        assert view is not None
        box = view.query_one("#prompt", MessageBox)
        box.focus()
        await pilot.press(*"first line", "ctrl+j", *"second line", "enter")
        await wait_for(pilot, lambda: len(api.requests) == 2, what="request 2")
        await wait_for(pilot, lambda: not live.running, what="turn 2")
        assert user_text(api.requests[1].body) == "first line\nsecond line"
        assert box.value == ""
        # Up on the first line recalls the last message, then the one before; Down comes back
        await pilot.press("up")
        assert box.value == "first line\nsecond line"
        await pilot.press("up", "up")  # (the cursor is on the recalled text's last line)
        assert box.value == PASTED
        await pilot.press("down")  # (on the last line: the next message)
        assert box.value == "first line\nsecond line"
        await pilot.press("down")  # past the newest: back to the (empty) draft
        assert box.value == ""


async def test_a_message_typed_during_a_turn_is_queued_and_sent_after(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "n.txt", "content": "n"})),
        reply(text("Wrote it.")),
        reply(text("Answer to the queued one.")),
    )
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "write", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: bool(view.query(PermissionPrompt)), what="prompt")
        box = view.query_one("#prompt", MessageBox)
        box.focus()
        await pilot.press(*"also add a title", "enter")
        await wait_for(pilot, lambda: live.queued == ["also add a title"], what="queued")
        assert any(
            isinstance(b, NoticeBlock) and "Queued" in b.text and "also add a title" in b.text
            for b in live.transcript.blocks
        )
        assert len(api.requests) == 1  # not sent while the turn runs
        prompt = view.query_one(PermissionPrompt)
        prompt.focus()
        await pilot.press("a")
        await wait_for(pilot, lambda: len(api.requests) == 3, what="the queued message sent")
        await wait_for(pilot, lambda: not live.running, what="end")
        assert user_text(api.requests[2].body) == "also add a title"
        last = live.transcript.blocks[-1]
        assert isinstance(last, TextBlock) and last.text == "Answer to the queued one."
