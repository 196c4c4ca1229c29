"""Sessions in the app, driven with the keyboard against the loopback fake Messages API: the real
`anthropic` client streams SSE from 127.0.0.1; files are written to a real temp folder."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from tests.fakeapi import FakeAPI, reply, text, thinking, tool_use
from tests.helpers.app import (
    SIZE,
    app_for,
    card_text,
    launch,
    plain,
    settle,
    wait_for,
    write_agent,
    writer_agent,
)
from tests.helpers.gc import honours_old_threshold
from tui.app.app import RosterApp
from tui.core.roots import Root
from tui.core.session.live import LiveSession
from tui.core.session.transcript import TextBlock
from tui.screens.history import HistoryScreen, SessionReplayScreen
from tui.screens.launch import LaunchScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.message_box import MessageBox
from tui.widgets.permission_prompt import PermissionPrompt
from tui.widgets.report_card import ReportCard
from tui.widgets.session_blocks import ResponseView, ToolView
from tui.widgets.session_view import SessionView

REPORT = (
    "Done.\n\nTASK_COMPLETE: T-7\nSTATUS: completed\nARTIFACTS: [notes.txt]\n"
    "SUMMARY: wrote the notes\nVERIFIED: [read back]\n"
)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


@contextlib.asynccontextmanager
async def talking(
    tmp_root: Root, work: Path
) -> AsyncIterator[tuple[Pilot[None], RosterApp, SessionView, LiveSession]]:
    """The app with one note-writer session launched on "talk" (script the API first)."""
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "talk", work)
        live = view.live
        assert live is not None
        yield pilot, app, view, live


async def test_launch_stream_permission_and_report_card(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    agent = writer_agent(tmp_root)
    api.script(
        reply(
            thinking("Short plan."),
            text("Writing **the notes** now."),
            tool_use("w1", "Write", {"file_path": "notes.txt", "content": "remember\n"}),
        ),
        reply(text(REPORT)),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "write notes", work)
        live = view.live
        assert live is not None
        # the request carries the definition's body as the system prompt
        await wait_for(pilot, lambda: live.waiting, what="permission prompt")
        assert "You write notes." in str(api.requests[0].body["system"])
        await wait_for(pilot, lambda: bool(view.query(PermissionPrompt)), what="prompt widget")
        prompt = view.query_one(PermissionPrompt)
        await wait_for(pilot, lambda: prompt.has_focus, what="prompt focus")
        tool = view.query_one(ToolView)
        assert "waiting for you" in plain(tool.query_one(".tool-header"))
        assert "+remember" in plain(tool.query_one(".tool-detail"))  # the diff
        assert not (work / "notes.txt").exists()  # nothing written before the user says so
        await pilot.press("a")
        await wait_for(pilot, lambda: not live.running, what="turn end")
        await wait_for(pilot, lambda: bool(view.query(ReportCard)), what="report card")
        assert (work / "notes.txt").read_text() == "remember\n"
        assert not view.query(PermissionPrompt)
        header = plain(tool.query_one(".tool-header"))
        assert "✓" in header and "allowed by you" in header
        card = view.query_one(ReportCard)
        rendered = plain(card)
        assert "T-7" in rendered and "wrote the notes" in rendered and "notes.txt" in rendered
        assert card.has_class("-completed")
        responses = list(view.query(ResponseView))
        assert responses and "Writing" in responses[0].source
        assert live.transcript.state == "done"
        status = plain(view.query_one("#session-status"))
        assert "done" in status and "note-writer" in status
        # the tree marks nothing live any more; the totals count this run
        assert app.main_screen.agent_tree.badges == {}
        totals = app.sessions.totals("note-writer")
        assert totals is not None and totals["sessions"] == 1 and totals["completed"] == 1


async def test_deny_with_reason_then_second_turn(api: FakeAPI, tmp_root: Root, work: Path) -> None:
    agent = writer_agent(tmp_root)
    api.script(
        reply(tool_use("b1", "Bash", {"command": "rm -rf /tmp/x"})),
        reply(text("OK, I left it alone.")),
        reply(text("Second answer.")),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "clean", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: bool(view.query(PermissionPrompt)), what="prompt")
        await wait_for(pilot, lambda: view.query_one(PermissionPrompt).has_focus, what="focus")
        await pilot.press("d")
        await pilot.press(*"not that folder")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not live.running, what="turn end")
        result = api.requests[1].body["messages"][-1]["content"][0]
        assert result["type"] == "tool_result" and "not that folder" in result["content"]
        assert "denied" in plain(view.query_one(ToolView).query_one(".tool-header"))
        # a second message in the same session
        box = view.query_one("#prompt", MessageBox)
        box.focus()
        await pilot.press(*"and now?")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                live.transcript.state == "done"
                and isinstance(live.transcript.blocks[-1], TextBlock)
                and live.transcript.blocks[-1].text == "Second answer."
            ),
            what="turn 2",
        )
        assert len(api.requests) == 3
        assert api.requests[2].body["messages"][-1]["content"][0]["text"] == "and now?"


async def test_escape_interrupts_a_stalled_stream_and_retry_resends(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    api.script(
        reply(text("Part one and part two of a long answer.", chunk=4), stall_after=5),
        reply(text("Fresh answer.")),
    )
    async with talking(tmp_root, work) as (pilot, app, view, live):
        await wait_for(
            pilot,
            lambda: (
                live.transcript.state == "streaming"
                and any(isinstance(b, TextBlock) for b in live.transcript.blocks)
            ),
            what="streaming",
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: not live.running, what="interrupted")
        assert live.transcript.state == "interrupted"
        assert isinstance(app.screen, SessionsScreen)  # Esc interrupted; it did not leave
        assert "interrupted" in plain(view.query_one("#session-status"))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: live.transcript.state == "done", what="retry")
        assert isinstance(live.transcript.blocks[-1], TextBlock)
        assert live.transcript.blocks[-1].text == "Fresh answer."
        await pilot.press("escape")  # idle now: back to the agents
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="back")


async def test_two_sessions_stream_side_by_side(api: FakeAPI, tmp_root: Root, work: Path) -> None:
    first = writer_agent(tmp_root, "first-agent")
    second = writer_agent(tmp_root, "second-agent")
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "one.txt", "content": "1"})),
        reply(text("Second session done.")),
        reply(text("First session done.")),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view_a = await launch(pilot, first, "one", work)
        live_a = view_a.live
        assert live_a is not None
        await wait_for(pilot, lambda: live_a.waiting, what="first waits")
        await pilot.press("ctrl+o")  # back to the agents; the session keeps waiting
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="main")
        assert live_a.running and live_a.waiting
        await wait_for(
            pilot,
            lambda: app.main_screen.agent_tree.badges.get(first) == (1, 1),
            what="waiting badge on the tree",
        )
        view_b = await launch(pilot, second, "two", work)
        live_b = view_b.live
        assert live_b is not None and live_b is not live_a
        await wait_for(pilot, lambda: live_b.transcript.state == "done", what="second done")
        screen = app.screen
        assert isinstance(screen, SessionsScreen) and screen.current == live_b.id
        assert "1 waiting for you" in plain(screen.query_one("#sessions-title"))
        assert live_a.waiting  # still there, still waiting
        await pilot.press("alt+up")  # previous session
        await wait_for(pilot, lambda: screen.current == live_a.id, what="switched")
        await wait_for(pilot, lambda: view_a.query_one(PermissionPrompt).has_focus, what="focus")
        await pilot.press("a")
        await wait_for(pilot, lambda: live_a.transcript.state == "done", what="first done")
        assert (work / "one.txt").read_text() == "1"
        assert live_a.transcript.blocks[-1].text == "First session done."  # type: ignore[union-attr]
        assert live_b.transcript.blocks[-1].text == "Second session done."  # type: ignore[union-attr]
        assert screen.view(live_b.id) is view_b and screen.view(live_a.id) is view_a
        await wait_for(pilot, lambda: app.main_screen.agent_tree.badges == {}, what="badges")


async def test_history_reopens_read_only_and_resumes(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    agent = writer_agent(tmp_root)
    api.script(reply(text("First run answer.")), reply(text("Resumed answer.")))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "first run", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: live.transcript.state == "done", what="done")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="main")
        # the preview of the agent counts the run
        await wait_for(pilot, lambda: "1 run" in card_text(app), what="totals in the preview")
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="history")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionReplayScreen), what="replay")
        replay = app.screen.query_one(SessionView)
        assert replay.read_only and not replay.query("#prompt")
        await wait_for(pilot, lambda: bool(replay.query(ResponseView)), what="replayed blocks")
        assert "First run answer." in replay.query(ResponseView).first().source
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="resumed")
        assert len(app.sessions.sessions) == 1  # the same session, not a new one
        box = app.screen.query_one(f"#{app.screen._view_ids[live.id]} #prompt", MessageBox)
        box.focus()
        await pilot.press(*"again")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                live.transcript.state == "done"
                and live.transcript.blocks[-1].text == "Resumed answer."
            ),  # type: ignore[union-attr]
            what="resumed turn",
        )
        # the resumed request carried the whole conversation
        assert [m["role"] for m in api.requests[1].body["messages"]] == [
            "user",
            "assistant",
            "user",
        ]


async def test_no_api_key_launch_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_root: Root, work: Path
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(agent)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="dialog")
        problem = plain(app.screen.query_one("#launch-problem"))
        assert "ANTHROPIC_API_KEY" in problem
        await pilot.press(*"task")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen) and not app.sessions.sessions
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="closed")


async def test_launch_refuses_a_missing_folder(api: FakeAPI, tmp_root: Root, work: Path) -> None:
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(agent)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="dialog")
        app.screen.query_one("#cwd", Input).value = str(work / "nope")
        await pilot.press(*"task")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LaunchScreen)
        assert app.screen.query_one("#cwd", Input).has_class("-invalid")
        assert not api.requests


async def test_demo_mode_runs_end_to_end_without_a_key(
    monkeypatch: pytest.MonkeyPatch, tmp_root: Root, work: Path
) -> None:
    from tui.app.app import make_app
    from tui.config import Settings

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    agent = writer_agent(tmp_root)
    app = make_app(roots=[tmp_root], settings=Settings(), demo=True, watch=False, scan_workers=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "show me", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: live.waiting, timeout=15, what="demo asks to write")
        assert "DEMO" in plain(view.query_one("#session-status"))
        # (waiting is set when the event arrives; the prompt mounts on the next refresh)
        await wait_for(
            pilot, lambda: any(p.has_focus for p in view.query(PermissionPrompt)), what="focus"
        )
        await pilot.press("a")
        await wait_for(pilot, lambda: bool(view.query(ReportCard)), timeout=15, what="report")
        assert (work / "demo_health.py").exists()
        assert "TASK_COMPLETE" in plain(view.query_one(ReportCard))


async def test_long_transcripts_keep_only_recent_blocks_in_the_dom(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    from tui.widgets.session_view import MAX_BLOCKS, PAGE

    agent = writer_agent(tmp_root)
    # one response with many tool calls: each call is a block, each result a round trip
    calls = [tool_use(f"r{i}", "Read", {"file_path": "seed.txt"}) for i in range(70)]
    (work / "seed.txt").write_text("seed\n")
    api.script(
        reply(*calls),
        reply(
            *[text(f"answer {i}. ") for i in range(3)],
            *[tool_use(f"g{i}", "Glob", {"pattern": "*"}) for i in range(70)],
        ),
        reply(text("The end.")),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "read a lot", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: live.transcript.state == "done", timeout=30, what="done")
        # the view has caught up: every block from the first one in the DOM to the last
        await wait_for(
            pilot,
            lambda: (
                view._first > 0 and view._first + len(view._widgets) == len(live.transcript.blocks)
            ),
            what="pruned and caught up",
        )
        total = len(live.transcript.blocks)
        assert total > MAX_BLOCKS
        in_dom = len(view._widgets)
        assert in_dom <= MAX_BLOCKS
        earlier = view.query_one("#earlier")
        assert earlier.display and f"{total - in_dom:,} earlier" in str(earlier.label)  # type: ignore[attr-defined]
        # scrolling back brings older blocks back from the transcript
        first_before = view._first
        await view.show_earlier()
        await pilot.pause()
        assert max(0, first_before - PAGE) <= view._first < first_before
        assert len(view._widgets) == in_dom + (first_before - view._first)


async def test_history_filters_and_exports(api: FakeAPI, tmp_root: Root, work: Path) -> None:
    from tui.config import data_dir

    ok_agent = writer_agent(tmp_root, "ok-agent")
    bad_agent = writer_agent(tmp_root, "bad-agent")
    from tests.fakeapi import error

    api.script(reply(text("fine")), error(400, "bad request"))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, ok_agent, "good task", work)
        await wait_for(pilot, lambda: view.live is not None and not view.live.running, what="1")
        await pilot.press("ctrl+o")
        view = await launch(pilot, bad_agent, "bad task", work)
        await wait_for(pilot, lambda: view.live is not None and not view.live.running, what="2")
        assert view.live is not None and view.live.transcript.state == "error"
        await pilot.press("ctrl+o")
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="history")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("s")  # status: completed
        assert [r.definition_name for r in screen.rows] == ["ok-agent"]
        await pilot.press("s")  # status: error
        assert [r.definition_name for r in screen.rows] == ["bad-agent"]
        await pilot.press("s", "s", "s", "s")  # back to all
        assert screen.status == "all" and table.row_count == 2
        await pilot.press("slash", *"ok-ag")
        assert [r.definition_name for r in screen.rows] == ["ok-agent"]
        await pilot.press("enter")  # leaves the filter box for the table
        await pilot.press("x")
        exported = data_dir() / "exports" / f"session-{screen.rows[0].id}.md"
        await wait_for(pilot, exported.exists, what="export file")
        body = exported.read_text()
        assert "good task" in body and "fine" in body and "ok-agent" in body


async def test_launch_dialog_defaults_and_folder_completion(tmp_root: Root, work: Path) -> None:
    from textual.widgets import Select

    agent = write_agent(tmp_root.path, "planner", extra="model: opus\npermissionMode: plan\n")
    (work / "project-alpha").mkdir()
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(agent)
        app.main_screen.agent_tree.focus()
        await pilot.press("enter")  # Enter on an agent launches, like l
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="dialog")
        dialog = app.screen
        assert dialog.query_one("#mode", Select).value == "plan"  # the definition's mode
        assert dialog.query_one("#model", Input).value == "opus"
        assert "opus" in plain(dialog.query_one("#model-resolved"))  # resolved to an id
        cwd = dialog.query_one("#cwd", Input)
        cwd.value = ""
        cwd.focus()
        await pilot.press(*f"{work}/proj")
        await wait_for(
            pilot, lambda: cwd._suggestion == f"{work}/project-alpha/", what="suggestion"
        )
        await pilot.press("right")
        assert cwd.value == f"{work}/project-alpha/"


async def test_quit_with_a_running_session_asks_first(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    from tui.screens.confirm import ConfirmScreen

    api.script(reply(text("slow answer that stalls", chunk=4), stall_after=4))
    async with talking(tmp_root, work) as (pilot, app, _view, live):
        await wait_for(pilot, lambda: live.transcript.state == "streaming", what="streaming")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="question")
        assert "1 session is still running (note-writer)" in plain(
            app.screen.query_one("#confirm-message")
        )
        await pilot.press("n")  # stay
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="stayed")
        assert live.running and app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="again")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, what="quit")
    api.release()
    assert app.sessions._store is None  # shut down: store closed, sessions closed


@pytest.mark.skipif(not honours_old_threshold(), reason="incremental GC: nothing to pace")
async def test_full_gc_passes_wait_while_a_session_streams(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    """A full collection stalls the UI for 40-300 ms: while a stream runs they are left to
    the app's pacer, and the interpreter gets its own thresholds back afterwards."""
    import gc

    from tui.core.gc_pacing import NEVER

    original = gc.get_threshold()
    api.script(reply(text("A stream that stops half way.", chunk=4), stall_after=4))
    async with talking(tmp_root, work) as (pilot, app, _view, live):
        await wait_for(pilot, lambda: gc.get_threshold()[2] == NEVER, what="paced")
        assert live.running
        await pilot.press("escape")
        await wait_for(pilot, lambda: not live.running, what="interrupted")
        await wait_for(pilot, lambda: gc.get_threshold() == original, what="thresholds back")
        assert app.gc_pacer.full_passes >= 1  # what was held back was collected
    assert gc.get_threshold() == original


def script_slow_words(api: FakeAPI, count: int = 400) -> None:
    """One answer of `count` words, 8 characters per delta, a delta every 10 ms."""
    api.script(reply(text("".join(f"w{i} " for i in range(count)), chunk=8), delay_s=0.01))


def shown_text(view: SessionView) -> str:
    """The newest response as the screen has it (the transcript may be ahead)."""
    views = list(view.query(ResponseView))
    return views[-1].source if views else ""


async def test_typing_while_streaming_pulls_the_next_update_forward(
    api: FakeAPI, tmp_root: Root, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The transcript catches up right after a keystroke, not on its fixed beat (here made
    30 s long so that only the keystroke can explain the update)."""
    import tui.widgets.session_view as session_view

    script_slow_words(api)
    async with talking(tmp_root, work) as (pilot, _app, view, live):
        monkeypatch.setattr(session_view, "PUMP_INTERVAL_S", 30.0)

        def shown() -> str:
            return shown_text(view)

        def transcript_text() -> str:
            texts = [b for b in live.transcript.blocks if isinstance(b, TextBlock)]
            return texts[-1].text if texts else ""

        await wait_for(pilot, lambda: shown(), what="first text on screen")
        # the last update before the long beat has settled on screen, and the engine is ahead
        settled = {"len": -1, "since": time.monotonic()}

        def still() -> bool:
            if len(shown()) != settled["len"]:
                settled["len"], settled["since"] = len(shown()), time.monotonic()
            return time.monotonic() - settled["since"] > 0.4

        await wait_for(
            pilot,
            lambda: still() and len(transcript_text()) > len(shown()) + 40,
            what="the engine ahead of a settled screen",
        )
        behind = len(shown())
        box = view.query_one("#prompt", MessageBox)
        box.focus()
        await pilot.press("x")
        await wait_for(pilot, lambda: len(shown()) > behind, timeout=5, what="update after key")
        assert box.value == "x"
        await wait_for(pilot, lambda: not live.running, timeout=15, what="stream end")


async def test_text_on_screen_is_already_in_the_history(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    """Deltas are written in batches, but never after they are shown: a kill -9 at any
    moment loses nothing the user saw (read through a second connection, as another
    process would)."""
    import sqlite3

    script_slow_words(api)
    async with talking(tmp_root, work) as (pilot, app, view, live):
        other = sqlite3.connect(app.sessions.store.path)
        checks = 0
        try:
            while live.running:
                shown = shown_text(view)
                stored = "".join(
                    json.loads(p)["text"]
                    for (p,) in other.execute(
                        "SELECT payload FROM events WHERE session_id=? AND type='text_delta' "
                        "ORDER BY id",
                        (live.id,),
                    )
                )
                assert stored.startswith(shown)
                checks += bool(shown)
                await pilot.pause(0.01)
        finally:
            other.close()
        assert checks > 10


async def test_streamed_markdown_is_not_garbled_when_the_first_parse_is_slow(
    api: FakeAPI, tmp_root: Root, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy machine the first parse of a new response (run in a thread) can take longer
    than the next update: the text streamed meanwhile must not show the opening twice."""
    from markdown_it import MarkdownIt

    parse = MarkdownIt.parse

    def slow_parse(self: MarkdownIt, src: str, env: object = None) -> object:
        time.sleep(0.15)
        return parse(self, src, env)  # type: ignore[arg-type]

    monkeypatch.setattr(MarkdownIt, "parse", slow_parse)
    answer = (
        "I'll create a greeting file.\n\n## Plan\n\n- Write hello.md\n- Add a line\n\nHere goes:"
    )
    api.script(reply(text(answer, chunk=6), delay_s=0.02))
    async with talking(tmp_root, work) as (pilot, _app, view, live):
        await wait_for(pilot, lambda: not live.running, timeout=20, what="stream end")
        response = view.query(ResponseView).last()
        await wait_for(pilot, lambda: response.source == answer, what="all text")
        await pilot.pause(0.5)
        kinds = [type(child).__name__ for child in response.children]
        assert kinds == [
            "MarkdownParagraph",
            "MarkdownH2",
            "MarkdownBulletList",
            "MarkdownParagraph",
        ]


async def test_the_app_refuses_a_session_another_process_drives(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    """Issue 13, one driver per session: resuming a session a live `roster run` holds is
    refused with a message naming the holder; the app does not drive it."""
    import socket
    import subprocess
    import sys

    from tui.core.session.store import SessionStore, default_db_path

    agent = writer_agent(tmp_root)
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        store = SessionStore(default_db_path())
        sid = store.create_session(
            definition_name="note-writer",
            definition_path=str(agent),
            definition_sha256="0",
            model="claude-sonnet-5-5",
            cwd=str(work),
            mode="default",
        )
        store._conn.execute(
            "INSERT INTO session_locks VALUES (?,?,?,?,?,?)",
            (sid, holder.pid, socket.gethostname(), "t", "roster run x", 0.0),
        )
        row = store.get_session(sid)
        store.close()
        assert row is not None
        app = app_for(tmp_root)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.resume_session(row)
            await wait_for(
                pilot,
                lambda: any(f"process {holder.pid}" in str(n.message) for n in app._notifications),
                what="the refusal",
            )
            assert app.sessions.sessions == []
    finally:
        holder.kill()
        holder.wait()
