"""The message box is a TextArea, which draws its text raw: escape sequences in it reach the
terminal. A hostile file name offered by @path completion, or a paste, must not put any
there (issue 17 items 1-2, hostile review)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App, ComposeResult

from tui.core.session import completion
from tui.widgets.message_box import MessageBox

EVIL = "\x1b]0;PWNED\x07\x1b[2J"


def test_completion_leaves_out_names_with_control_characters(tmp_path: Path) -> None:
    (tmp_path / f"a{EVIL}.md").write_text("x\n")
    (tmp_path / "a\tb.md").write_text("x\n")
    (tmp_path / "ab.md").write_text("x\n")
    found = completion.candidates("read @a", completion.Sources(tmp_path))
    assert found is not None
    assert [c.label for c in found] == ["ab.md"]


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield MessageBox(id="box")


async def test_a_paste_keeps_its_lines_but_not_its_escapes() -> None:
    app = Host()
    async with app.run_test() as pilot:
        box = app.query_one(MessageBox)
        box.focus()
        # as the terminal sends it: to the app, which hands it to the focused widget
        app.post_message(events.Paste(f"look{EVIL} here\nsecond\tline"))
        await pilot.pause()
        assert box.text == "look here\nsecond\tline"
        drawn = "".join(seg.text for seg in box.render_line(0))
        assert "\x1b" not in drawn and "\x07" not in drawn


async def test_a_paste_whose_lines_end_in_a_lone_cr_keeps_its_lines() -> None:
    app = Host()
    async with app.run_test() as pilot:
        box = app.query_one(MessageBox)
        box.focus()
        app.post_message(events.Paste("one\rtwo\r\nthree"))  # as some terminals send it
        await pilot.pause()
        assert box.text == "one\ntwo\nthree"
