"""Issue 13 item 5, UI half: once a report is parsed, the status line and the sessions list say
its outcome (a blocked report is not a plain "done")."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import OptionList

from tests.fakeapi import FakeAPI, reply, text
from tests.helpers.app import SIZE, app_for, launch, plain, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.screens.sessions import SessionsScreen
from tui.widgets.report_card import ReportCard


@pytest.mark.parametrize(
    ("report", "outcome"),
    [
        ("TASK_BLOCKED: T-2\nSTATUS: blocked\nBLOCKER: no access\n", "blocked"),
        ("TASK_FAILED: T-3\nSTATUS: failed\nERROR: tests fail\n", "failed"),
        ("TASK_COMPLETE: T-4\nSTATUS: completed\nSUMMARY: ok\n", "completed"),
    ],
)
async def test_status_line_and_sessions_list_show_the_report_outcome(
    api: FakeAPI, tmp_root: Root, tmp_path: Path, report: str, outcome: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    api.script(reply(text(f"Stopped.\n\n{report}")))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "go", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: not live.running, what="turn end")
        await wait_for(pilot, lambda: bool(view.query(ReportCard)), what="report card")
        status = view.query_one("#session-status")
        await wait_for(pilot, lambda: "report: " in plain(status), what="status line")
        assert "report: " in plain(status) and outcome in plain(status).split("report:")[1]
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        screen.refresh_list()
        option = screen.query_one("#session-list", OptionList).get_option(live.id)
        prompt = option.prompt
        assert isinstance(prompt, Text) and "report: " in prompt.plain
        assert outcome in prompt.plain.split("report:")[1]
