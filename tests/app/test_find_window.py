"""Find in a long session (issue 17.3, review): stepping to a match far up a pruned
transcript mounts a window of blocks around it, not every block between it and the screen, and
Ctrl+End (or sending) goes back to the newest blocks, which keep streaming correctly."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Button

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, launch, settle, wait_for, writer_agent
from tui.app.app import RosterApp
from tui.core.roots import Root
from tui.core.session.transcript import TextBlock, Transcript
from tui.screens.history import SESSIONS_CSS
from tui.widgets.permission_prompt import PermissionPrompt
from tui.widgets.session_blocks import ResponseView
from tui.widgets.session_view import MAX_BLOCKS, SessionView

BLOCKS = 600
NEAR = BLOCKS - MAX_BLOCKS - 10  # just above the blocks a session opens with


def build() -> Transcript:
    t = Transcript()
    for i in range(BLOCKS):
        word = "the NEEDLE is here" if i in (10, NEAR) else "plain words"
        t.apply("user_message", {"content": [{"type": "text", "text": f"message {i}: {word}"}]})
    t.finish("completed")
    return t


class Host(App[None]):
    CSS_PATH: ClassVar = [RosterApp.CSS_PATH, SESSIONS_CSS]  # (scrolls as in the app)

    def __init__(self, transcript: Transcript) -> None:
        super().__init__()
        self.transcript = transcript

    def compose(self) -> ComposeResult:
        yield SessionView(self.transcript, agent="tester", id="view")


def later_bar(view: SessionView) -> Button:
    return view.query_one("#later", Button)


async def test_a_far_match_mounts_a_window_around_it_and_ctrl_end_goes_back() -> None:
    app = Host(build())
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SessionView)
        await pilot.pause()
        assert 10 not in view._widgets
        await pilot.press("ctrl+f", *"needle", "enter")
        await wait_for(pilot, lambda: 10 in view._widgets, what="the match mounted")
        await pilot.pause()
        # a window around the match, not the 590 blocks from it to the screen
        assert len(view._widgets) < 60
        assert BLOCKS - 1 not in view._widgets
        match = view._widgets[10]
        assert match.has_class("-find-current")
        content = match.content  # type: ignore[attr-defined]
        assert isinstance(content, Text)
        assert any("#ffd75f" in str(span.style).lower() for span in content.spans)
        shown = view.scroll.region
        assert shown.y <= match.region.y < shown.bottom  # on screen
        bar = later_bar(view)
        assert bar.display and "later blocks hidden" in str(bar.label)
        hidden = BLOCKS - max(view._widgets) - 1
        assert f"{hidden:,} later" in str(bar.label)
        earlier = view.query_one("#earlier", Button)
        assert earlier.display and f"{view._first:,} earlier" in str(earlier.label)
        # back to the newest blocks: the same window a session opens with
        view.scroll.focus()
        await pilot.press("ctrl+end")
        await wait_for(pilot, lambda: BLOCKS - 1 in view._widgets, what="the newest block")
        await pilot.pause()
        assert 10 not in view._widgets and len(view._widgets) < 200
        assert not later_bar(view).display
        newest = view._widgets[BLOCKS - 1]
        shown = view.scroll.region
        assert shown.y <= newest.region.y < shown.bottom
        # a match near the end is mounted the old way: contiguous with the live tail
        assert NEAR not in view._widgets
        await pilot.press("ctrl+f", "shift+enter")
        await wait_for(pilot, lambda: NEAR in view._widgets, what="the near match")
        assert not later_bar(view).display and BLOCKS - 1 in view._widgets
        assert set(view._widgets) == set(range(NEAR, BLOCKS))


async def test_page_down_past_a_far_window_brings_the_next_blocks() -> None:
    """After a jump to a far match, Page Down at the window's bottom mounts the next blocks
    (it used to stop there: only Ctrl+End went on), keeps the DOM bounded, does not jump, and
    joins the live tail when it gets there."""
    app = Host(build())
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SessionView)
        await pilot.pause()
        await pilot.press("ctrl+f", *"needle", "enter")
        await wait_for(pilot, lambda: 10 in view._widgets, what="the match mounted")
        await pilot.press("escape")
        view.scroll.focus()
        await pilot.pause()
        last = max(view._widgets)
        for _ in range(400):  # (a page of blocks every few presses; the tail within 400)
            await pilot.press("pagedown")
            await pilot.pause()
            shown = [i for i, w in view._widgets.items() if view.scroll.region.overlaps(w.region)]
            assert shown, "the view jumped past every mounted block"
            assert len(view._widgets) <= MAX_BLOCKS
            if view.at_tail:
                break
        assert view.at_tail and not later_bar(view).display
        assert BLOCKS - 1 in view._widgets and max(view._widgets) > last
        assert sorted(view._widgets) == list(range(min(view._widgets), BLOCKS))  # contiguous


def rendered(widget: ResponseView) -> str:
    return widget.source


async def test_output_while_a_far_match_is_shown_appears_once_back_at_the_end(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "scratch"
    work.mkdir()
    (work / "seed.txt").write_text("seed\n")
    agent = writer_agent(tmp_root)
    api.script(
        reply(*[tool_use(f"r{i}", "Read", {"file_path": "seed.txt"}) for i in range(160)]),
        reply(
            text("Streaming part one, then part two, then part three of the answer.", chunk=4),
            tool_use("g1", "Glob", {"pattern": "*"}),
            stall_after=4,
        ),
        reply(text("The final words.")),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "find the needle", work)
        live = view.live
        assert live is not None
        blocks = live.transcript.blocks
        await wait_for(
            pilot,
            lambda: any(isinstance(b, TextBlock) for b in blocks) and view.caught_up,
            timeout=60,
            what="the stalled answer on screen",
        )
        assert 0 not in view._widgets
        await pilot.press("ctrl+f", *"needle", "enter")
        await wait_for(pilot, lambda: 0 in view._widgets, what="the match mounted")
        assert len(view._widgets) < 60 and later_bar(view).display
        mounted = len(view._widgets)
        api.release()  # the rest of the answer, a tool call and a last answer stream meanwhile
        await wait_for(pilot, lambda: live.transcript.state == "done", timeout=30, what="done")
        await wait_for(pilot, lambda: view.caught_up, what="caught up")
        await pilot.pause()
        assert len(view._widgets) == mounted  # nothing was mounted below the detached window
        hidden = len(blocks) - max(view._widgets) - 1
        assert f"{hidden:,} later" in str(later_bar(view).label)
        await pilot.press("escape")  # close the find bar: the keyboard is in the message box
        await pilot.press("ctrl+end")
        last = len(blocks) - 1
        await wait_for(pilot, lambda: last in view._widgets, what="the newest block")
        await pilot.pause()
        assert not later_bar(view).display and 0 not in view._widgets
        answers = [i for i, b in enumerate(blocks) if isinstance(b, TextBlock)]
        assert len(answers) == 2
        for index in answers:  # each answer's text exactly once, whole
            widget = view._widgets[index]
            assert isinstance(widget, ResponseView)
            block = blocks[index]
            assert isinstance(block, TextBlock)
            assert rendered(widget) == block.text
        assert blocks[answers[-1]].text == "The final words."  # type: ignore[attr-defined]


async def test_a_permission_request_while_a_far_match_is_shown_brings_the_prompt_back(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "scratch"
    work.mkdir()
    (work / "seed.txt").write_text("seed\n")
    agent = writer_agent(tmp_root)
    api.script(
        reply(*[tool_use(f"r{i}", "Read", {"file_path": "seed.txt"}) for i in range(160)]),
        reply(
            text("Writing the notes now."),
            tool_use("w1", "Write", {"file_path": "notes.txt", "content": "remember\n"}),
            stall_after=2,
        ),
        reply(text("All written.")),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "find the needle", work)
        live = view.live
        assert live is not None
        await wait_for(
            pilot,
            lambda: len(live.transcript.blocks) > 160 and view.caught_up,
            timeout=60,
            what="the reads on screen",
        )
        await pilot.press("ctrl+f", *"needle", "enter")
        await wait_for(pilot, lambda: 0 in view._widgets, what="the match mounted")
        assert later_bar(view).display
        api.release()  # the Write call asks for permission while the old blocks are shown
        await wait_for(pilot, lambda: bool(view.query(PermissionPrompt)), what="prompt widget")
        prompt = view.query_one(PermissionPrompt)
        await wait_for(pilot, lambda: prompt.has_focus, what="prompt focus")
        assert not later_bar(view).display and 0 not in view._widgets
        await pilot.press("a")
        await wait_for(pilot, lambda: live.transcript.state == "done", timeout=30, what="done")
        assert (work / "notes.txt").read_text() == "remember\n"
