""" "X is waiting for you" is for a session out of sight. A session launched from the agents
is on its way to the front while the sessions screen is first built (its stylesheet is parsed
then, slower still on a busy machine): its first permission prompt must not raise the toast."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, launch, settle, wait_for, writer_agent
from tui.app.sessions import NOTIFY_AFTER_S
from tui.core.roots import Root
from tui.screens.sessions import SessionsScreen


@pytest.fixture
def work(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


def told(app: Any) -> bool:
    return any("is waiting for you" in n.message for n in app._notifications)


async def test_no_waiting_toast_for_the_session_being_opened(
    api: FakeAPI, tmp_root: Root, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = SessionsScreen.add

    async def slow_add(self: SessionsScreen, live: Any) -> None:  # a slow first show
        await asyncio.sleep(NOTIFY_AFTER_S * 2)
        await added(self, live)

    monkeypatch.setattr(SessionsScreen, "add", slow_add)
    agent = writer_agent(tmp_root)
    api.script(reply(tool_use("b1", "Bash", {"command": "echo hi"})), reply(text("ok")))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "go", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: live.waiting, what="the prompt")
        await pilot.pause(NOTIFY_AFTER_S * 3)
        assert app.screen.current == live.id  # type: ignore[attr-defined]
        assert not told(app), "a toast about the session the user is looking at"


async def test_the_toast_still_comes_for_a_session_out_of_sight(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    agent = writer_agent(tmp_root)
    api.script(reply(tool_use("b1", "Bash", {"command": "echo hi"}), stall_after=1))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "go", work)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="agents")
        api.release()
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: live.waiting, what="the prompt")
        await wait_for(pilot, lambda: told(app), what="the waiting toast", sleep=0.05)
