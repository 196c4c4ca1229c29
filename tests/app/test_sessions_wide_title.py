"""The sessions list ellipsizes long tasks by terminal cells: a CJK or emoji task (two cells a
character) was cut by characters, so it overflowed the 34-column list and wrapped with no
"…" (issue 17 point 7)."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual.widgets import Input, OptionList

from tests.fakeapi import FakeAPI, reply, text
from tests.helpers.app import SIZE, app_for, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.screens.history import clip
from tui.screens.launch import LaunchScreen
from tui.screens.sessions import TITLE_WIDTH, SessionsScreen
from tui.widgets.message_box import MessageBox

TASK = "日本語のドキュメントを全部まとめて要約してください"


def test_clip_counts_cells() -> None:
    for task in (TASK, "🙂" * 30, "x" * 40):
        for left in (False, True):
            cut = clip(task, TITLE_WIDTH, left=left)
            assert cell_len(cut) <= TITLE_WIDTH and "…" in cut
    assert clip("short", TITLE_WIDTH) == "short"


async def test_a_wide_task_is_ellipsized_in_the_list(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    agent = writer_agent(tmp_root)
    api.script(reply(text("Done.")))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(agent)
        app.main_screen.agent_tree.focus()
        await pilot.pause()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="dialog")
        app.screen.query_one("#cwd", Input).value = str(tmp_path)
        app.screen.query_one("#task", MessageBox).value = TASK
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="session")
        screen = app.screen
        live = app.sessions.sessions[-1]
        await wait_for(pilot, lambda: not live.running, what="turn")
        options = screen.query_one("#session-list", OptionList)
        prompt = str(next(o.prompt for o in options.options if o.id == live.id))
        title_line = prompt.splitlines()[-1].strip()
        assert title_line.endswith("…") and cell_len(title_line) <= TITLE_WIDTH


async def test_a_narrow_status_line_keeps_the_tokens_line(api: FakeAPI, tmp_root: Root) -> None:
    """At 80 columns the status's first line (agent · model · mode, state, report) is longer
    than the view: it wrapped, ate the space before "report:" and pushed the tokens line out
    of its two rows. It is now cut with "…"."""
    from textual.widgets import Static

    from tests.helpers.app import launch

    agent = writer_agent(tmp_root, name="a-rather-long-agent-name-for-a-narrow-terminal")
    api.script(reply(text("Done.\n\nTASK_COMPLETE: t\nSTATUS: completed\nSUMMARY: s\n")))
    app = app_for(tmp_root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        work = tmp_root.path.parent / "work"
        work.mkdir()
        view = await launch(pilot, agent, "go", work)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: not live.running, what="turn")
        await pilot.pause()
        status = view.query_one("#session-status", Static)
        lines = [
            "".join(s.text for s in strip).rstrip()
            for strip in status.render_lines(status.region.reset_offset)
        ]
        assert lines[0].endswith("…"), lines
        assert lines[1].lstrip().startswith("tokens"), lines
