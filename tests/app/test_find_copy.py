"""Find and copy in a session (issue 17.3): Ctrl+F finds text in every block, also in one
pruned from the DOM and in folded ones; Enter/F3/n step forward, Shift+Enter/N back, the count
says where you are; the copy keys put the exact text on the app's clipboard (minus escape
sequences), a code block without its fences."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Collapsible, Static

from tests.helpers.app import plain, wait_for
from tui.core.session.transcript import Transcript, UserBlock
from tui.widgets.session_blocks import ResponseView, ThinkingView, ToolView
from tui.widgets.session_view import MAX_BLOCKS, SessionView

ANSWER = (
    "Here is the fix for the needle:\n\n```python\nprint('needle')\nx = 1\n```\n\n"
    "Run it with \x1b[31mred\x1b[0m care."
)


def build() -> Transcript:
    t = Transcript()

    def user(text: str) -> None:
        t.apply("user_message", {"content": [{"type": "text", "text": text}]})

    user("find the NEEDLE in the oldest block")  # pruned from the DOM below
    t.apply("thinking_delta", {"text": "Thinking about the needle quietly."})  # folded
    t.apply("tool_use_started", {"tool_use_id": "b1", "name": "Bash"})
    t.apply(
        "tool_input_complete",
        {"tool_use_id": "b1", "name": "Bash", "input": {"command": "grep -r haystack ."}},
    )
    t.apply(
        "tool_result",
        {
            "tool_use_id": "b1",
            "name": "Bash",
            "output": "a.txt: needle\x07 found",
            "is_error": False,
        },
    )
    for i in range(MAX_BLOCKS + 10):
        user(f"filler message {i}")
    t.apply("text_delta", {"text": ANSWER})
    t.finish("completed")
    return t


class Host(App[None]):
    def __init__(self, transcript: Transcript) -> None:
        super().__init__()
        self.transcript = transcript

    def compose(self) -> ComposeResult:
        yield SessionView(self.transcript, agent="tester", id="view")


def count_text(view: SessionView) -> str:
    return plain(view.find_bar.query_one(".find-count", Static))


async def test_ctrl_f_finds_in_pruned_and_folded_blocks_and_steps(monkeypatch: Any) -> None:
    app = Host(build())
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SessionView)
        await pilot.pause()
        assert view._first > 0 and 0 not in view._widgets  # the oldest blocks are pruned
        assert not view.find_bar.is_open
        await pilot.press("ctrl+f")
        assert view.find_bar.is_open and view.find_bar.input.has_focus
        await pilot.press(*"needle")
        await pilot.pause()
        # the prompt, the thinking, the tool output, the answer (twice: text and code)
        assert count_text(view) == "–/5"
        await pilot.press("enter")
        await wait_for(pilot, lambda: 0 in view._widgets, what="the pruned block back")
        assert count_text(view) == "1/5"
        first = view._widgets[0]
        assert first.has_class("-find-current")
        await pilot.pause()
        shown = view.scroll.region
        assert shown.y <= first.region.y < shown.bottom  # scrolled to it
        highlighted = first.content
        assert isinstance(highlighted, Text)
        assert any("#ffd75f" in str(span.style).lower() for span in highlighted.spans)
        await pilot.press("f3")
        await pilot.pause()
        assert count_text(view) == "2/5"
        thinking = view._widgets[1]
        assert isinstance(thinking, ThinkingView) and not thinking.collapsed  # unfolded
        assert thinking.has_class("-find-current") and not first.has_class("-find-current")
        view.scroll.focus()  # n / N step from the transcript too
        await pilot.press("n")
        await pilot.pause()
        assert count_text(view) == "3/5"
        tool = view._widgets[2]
        assert isinstance(tool, ToolView)
        await pilot.pause()
        assert shown.y <= tool.region.y < shown.bottom
        assert all(not c.collapsed for c in tool.query(Collapsible))
        await pilot.press("N", "N")
        await pilot.pause()
        assert count_text(view) == "1/5"
        await pilot.press("ctrl+f", "shift+enter")  # back in the bar: previous wraps to the end
        await pilot.pause()
        assert count_text(view) == "5/5"
        answer = view._widgets[len(view.transcript.blocks) - 1]
        assert isinstance(answer, ResponseView) and answer.has_class("-find-current")
        marked = [  # the rendered Markdown's words are highlighted too
            s.content for s in answer.query(Static) if isinstance(s.content, Content)
        ]
        assert any("#ffd75f" in str(span.style).lower() for c in marked for span in c.spans)
        await pilot.press("escape")
        await pilot.pause()
        assert not view.find_bar.is_open
        assert not view.query(".-find-hit") and not view.query(".-find-current")
        assert isinstance(first.content, Text) and not first.content.spans  # highlight gone


async def test_no_match_says_so() -> None:
    app = Host(build())
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SessionView)
        await pilot.press("ctrl+f", *"zebra")
        await pilot.pause()
        assert count_text(view) == "no matches"
        await pilot.press("enter")  # nothing to step to: no error
        await pilot.pause()
        assert view.find_bar.is_open


async def test_copy_block_answer_and_code_put_the_exact_text_on_the_clipboard() -> None:
    transcript = build()
    app = Host(transcript)
    told: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SessionView)
        original = app.notify

        def notify(message: str, **kw: Any) -> None:
            told.append(message)
            original(message, **kw)

        app.notify = notify  # type: ignore[method-assign]
        await pilot.pause()
        await pilot.press("alt+a")
        assert app.clipboard == ANSWER.replace("\x1b[31m", "").replace("\x1b[0m", "")
        assert told[-1] == "Copied 8 lines (the last answer)."
        await pilot.press("alt+k")
        assert app.clipboard == "print('needle')\nx = 1"
        assert told[-1] == "Copied 2 lines (the code block)."
        # the block of the current match: the tool's output, its BEL dropped
        await pilot.press("ctrl+f", *"haystack", "enter", "escape")
        await pilot.pause()
        view.scroll.focus()
        tool = next(w for w in view._widgets.values() if isinstance(w, ToolView))
        tool.query(Collapsible).first().query_one("CollapsibleTitle").focus()
        await pilot.pause()
        await pilot.press("alt+c")
        assert app.clipboard == "a.txt: needle found"
        assert told[-1] == "Copied 1 line (the block)."
        await pilot.press("alt+k")  # the focused Bash call: its command is the code
        assert app.clipboard == "grep -r haystack ."
        # with nothing focused inside a block, the newest block
        view.scroll.focus()
        await pilot.press("alt+c")
        assert app.clipboard == ANSWER.replace("\x1b[31m", "").replace("\x1b[0m", "")
        assert isinstance(transcript.blocks[3], UserBlock)


async def test_long_output_shows_its_tail_and_all_on_click() -> None:
    t = Transcript()
    t.apply("tool_use_started", {"tool_use_id": "b1", "name": "Bash"})
    t.apply("tool_input_complete", {"tool_use_id": "b1", "name": "Bash", "input": {"command": "x"}})
    lines = "\n".join(f"row {i}" for i in range(50))
    t.apply("tool_result", {"tool_use_id": "b1", "name": "Bash", "output": lines})
    app = Host(t)
    async with app.run_test(size=(100, 50)) as pilot:
        view = app.query_one(SessionView)
        await pilot.pause()
        tool = view.query_one(ToolView)
        result = tool.query_one(".tool-result", Static)
        shown = plain(result)
        assert shown.startswith("… 20 earlier lines (click to show all)") and "row 49" in shown
        assert "row 19" not in shown
        assert await pilot.click(result, offset=(2, 1))
        await pilot.pause()
        assert plain(result) == lines  # the whole output
