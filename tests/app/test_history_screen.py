"""Issue 17 point 7, app side: the history screen fits 120 columns with what `roster history`
prints: the whole id, the status with the report's outcome, the agent and task, the folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.fakeapi import FakeAPI
from tests.helpers.app import SIZE, app_for, settle, wait_for
from tests.helpers.history_seed import seed_history
from tui.core.roots import Root
from tui.screens.history import HistoryScreen


@pytest.fixture
def history(api: FakeAPI, tmp_path: Path) -> dict[str, str]:
    return seed_history(api, tmp_path)


async def test_history_fits_120_columns_with_ids_outcomes_and_folders(
    history: dict[str, str], tmp_root: Root
) -> None:
    assert SIZE[0] == 120
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="history")
        screen = app.screen
        table = screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 4, what="rows")
        await pilot.pause()
        # nothing hides to the right: no horizontal scrolling at 120 columns
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.max_scroll_x == 0
        for outcome, session_id in history.items():
            session, status, _agent, folder, _figures = (
                str(cell) for cell in table.get_row(session_id)
            )
            assert session.splitlines()[0] == session_id  # whole
            assert status.splitlines()[1] == ("no report" if outcome == "none" else outcome)
            assert folder.endswith("wrapping/") or folder.endswith("wrapping")
            assert folder.startswith("…")  # a long folder keeps its end
        long_task = str(table.get_row(history["completed"])[2]).splitlines()[1]
        assert long_task.startswith("Refactor the parser") and long_task.endswith("…")
        # the filter box finds sessions by report outcome too
        await pilot.press("slash", *"blocked")
        await wait_for(pilot, lambda: table.row_count == 1, what="filtered")
        assert screen.rows[0].id == history["blocked"]
