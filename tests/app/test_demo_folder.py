"""The app's demo: the launch dialog's folder starts in a temp folder, not the current one."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.helpers.app import SIZE, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.screens.launch import LaunchScreen


async def test_demo_launch_dialog_starts_in_a_temp_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_root: Root
) -> None:
    from tui.app.app import make_app
    from tui.config import Settings

    agent = writer_agent(tmp_root)
    app = make_app(roots=[tmp_root], settings=Settings(), demo=True, watch=False, scan_workers=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(agent)
        app.main_screen.agent_tree.focus()
        await pilot.pause()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="launch dialog")
        folder = Path(app.screen.query_one("#cwd", Input).value)
        assert folder != Path.cwd() and folder.is_dir()
        assert folder.parent == Path(tempfile.gettempdir()) and folder.name.startswith(
            "roster-demo-"
        )
        assert list(folder.iterdir()) == []
