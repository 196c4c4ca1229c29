"""Issue 17 point 7, the sessions list: `x` closes a finished session (the history keeps it), a
running one asks first; long tasks end in "…"; a resumed session keeps its task as title."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.fakeapi import FakeAPI, reply, text
from tests.helpers.app import SIZE, app_for, launch, plain, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.screens.confirm import ConfirmScreen
from tui.screens.history import HistoryScreen
from tui.screens.sessions import SessionsScreen

LONG = "Summarise every module of the parser and list the functions without docstrings"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


def list_text(screen: SessionsScreen) -> str:
    options = screen.query_one("#session-list", OptionList)
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


async def test_close_a_finished_session_and_ask_before_closing_a_running_one(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    agent = writer_agent(tmp_root)
    api.script(
        reply(text("Finished.")), reply(text("slow answer that stalls", chunk=4), stall_after=4)
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = await launch(pilot, agent, LONG, work)
        done = first.live
        assert done is not None
        await wait_for(pilot, lambda: not done.running, what="first turn")
        second = await launch(pilot, agent, "second", work)
        running = second.live
        assert running is not None
        await wait_for(pilot, lambda: running.transcript.state == "streaming", what="streaming")
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        # a long task is cut with an ellipsis, not mid-word without a sign
        shown = list_text(screen)
        assert LONG not in shown and LONG[:20] in shown and "…" in shown
        # the finished one: highlighted in the list, x closes it at once
        await pilot.press("ctrl+l")
        options = screen.query_one("#session-list", OptionList)
        options.highlighted = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == done.id
        )
        await pilot.press("x")
        await wait_for(pilot, lambda: done not in app.sessions.sessions, what="closed")
        assert screen.view(done.id) is None and LONG[:20] not in list_text(screen)
        assert app.sessions.store.get_session(done.id) is not None  # the history keeps it
        assert screen.current == running.id
        # the running one asks; "no" keeps it streaming
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="question")
        assert "still working" in plain(app.screen.query_one("#confirm-message"))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen, what="back")
        assert running in app.sessions.sessions and running.running
        await pilot.press("ctrl+l", "x")  # (back from the question, the message box has focus)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="again")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.sessions.sessions, what="all closed")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="back to the agents")
        row = app.sessions.store.get_session(running.id)
        assert row is not None and row.status == "interrupted"
    api.release()


async def test_a_resumed_session_keeps_its_task_as_title(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    agent = writer_agent(tmp_root)
    api.script(reply(text("First.")))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "tidy the notes", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: not live.running, what="turn")
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        await pilot.press("ctrl+l", "x")
        await wait_for(pilot, lambda: not app.sessions.sessions, what="closed")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="agents")
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="history")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="resumed")
        (resumed,) = app.sessions.sessions
        assert resumed.id == live.id and resumed.session.config.title == "tidy the notes"
        assert "tidy the notes" in list_text(screen)
        assert "(no task)" not in list_text(screen)
