"""Issue 12 point 8, app side: control characters from the model and from tools are shown, never
interpreted: no escape sequence reaches a rendered strip of the session screen."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Collapsible

from tests.fakeapi import FakeAPI, reply, text, thinking, tool_use
from tests.helpers.app import SIZE, app_for, launch, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.widgets.report_card import ReportCard

HOSTILE = "A\x1b[2Jclear \x1b]52;c;cHduZWQ=\x07clip \x07bell \x9bC1"
RAW = ("\x1b", "\x07", "\x9b")


def rendered(widget: Widget) -> str:
    """Every character the widget and its children put on the screen, as strips."""
    out: list[str] = []
    for node in [widget, *widget.query("*")]:
        if not node.display or node.size.area == 0:
            continue
        region = Region(0, 0, node.size.width, node.size.height)
        for strip in node.render_lines(region):
            out.append("".join(segment.text for segment in strip))
    return "\n".join(out)


async def test_model_and_tool_escapes_never_reach_a_strip_raw(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "evil.txt").write_text(f"file says {HOSTILE}\n", encoding="utf-8")
    report = (
        f"Done {HOSTILE}\n\nTASK_COMPLETE: T-1\nSTATUS: completed\n"
        f"ARTIFACTS: [evil.txt]\nSUMMARY: sum {HOSTILE}\n"
    )
    api.script(
        reply(
            thinking(f"think {HOSTILE}"),
            text(f"answer {HOSTILE}"),
            tool_use("r1", "Read", {"file_path": "evil.txt"}),
        ),
        reply(text(report)),
    )
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "go", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: not live.running, what="turn end")
        await wait_for(pilot, lambda: bool(view.query(ReportCard)), what="report card")
        for fold in view.query(Collapsible):
            fold.collapsed = False
        await wait_for(pilot, lambda: view.caught_up, what="view caught up")
        await pilot.pause()
        shown = rendered(app.screen)
        for raw in RAW:
            assert raw not in shown, f"{raw!r} reached the screen raw"
        # made visible instead: the user sees that something was there
        assert "\\x1b[2J" in shown
        assert "file says" in shown and "think" in shown and "answer" in shown
        assert "sum" in shown


async def test_hostile_task_title_is_shown_escaped_in_the_lists(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    """The task becomes the session's title: the sessions list and history show it escaped."""
    from tui.screens.history import HistoryScreen
    from tui.screens.launch import LaunchRequest

    work = tmp_path / "work"
    work.mkdir()
    api.script(reply(text("ok")))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        definition = app.catalog.get(agent) if app.catalog else None
        assert definition is not None
        await app.start_session(LaunchRequest(definition, f"task {HOSTILE}", work))
        live = app.sessions.sessions[-1]
        await wait_for(pilot, lambda: not live.running, what="turn end")
        await pilot.pause()
        shown = rendered(app.screen)  # the sessions list, the status line, the prompt block
        assert not any(raw in shown for raw in RAW) and "task A\\x1b[2J" in shown
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="agents")
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="history")
        await pilot.pause()
        shown = rendered(app.screen)
        assert not any(raw in shown for raw in RAW) and "task A\\x1b[2J" in shown
