"""Issue 13 item 9: Ctrl+O / Esc / Alt+↑↓ form one model. The sessions screen always sits right
above the agents (a resume from history leaves history), so Esc when idle and Ctrl+O both land
on the agents; help lists the model."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable, Static

from tests.fakeapi import FakeAPI, reply, text
from tests.helpers.app import SIZE, app_for, launch, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.screens.help import HelpScreen
from tui.screens.history import HistoryScreen, SessionReplayScreen
from tui.screens.sessions import SessionsScreen


async def test_resume_from_history_then_esc_and_ctrl_o_land_on_the_agents(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    agent = writer_agent(tmp_root)
    api.script(reply(text("First.")), reply(text("Resumed.")))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "first", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: live.transcript.state == "done", what="done")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="agents")
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="history")
        await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count == 1, what="row")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionReplayScreen), what="replay")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="resumed")
        # history and the replay are gone from under it: one step back is the agents
        assert app.screen_stack == [app.main_screen, app.screen]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="esc to agents")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="sessions")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="ctrl+o to agents")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        console = Console(width=120, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(app.screen.query_one("#help-keys", Static).content)
        help_text = console.export_text()
        assert "Screens and sessions" in help_text
        assert "Ctrl+O" in help_text and "back to the agents" in help_text
        assert "Alt+↑ / Alt+↓" in help_text and "Shift+Tab" in help_text
