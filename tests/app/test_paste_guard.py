"""Textual's Input draws its value raw: a paste with escape sequences (a page can put them on
the clipboard) reached the terminal from any field, the agents filter and find bar included.
The app strips them from every paste (hostile review of issue 17)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.helpers.app import SIZE, app_for, settle
from tui.core.roots import Root


async def test_a_paste_into_a_field_reaches_it_without_escapes(tmp_root: Root) -> None:
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#filter-input", Input)
        field.focus()
        await pilot.pause()
        app.post_message(events.Paste("rev\x1b]0;PWNED\x07iew\x1b[2J"))
        await pilot.pause()
        assert field.value == "review"
        drawn = "".join(seg.text for seg in field.render_line(0))
        assert "\x1b" not in drawn and "\x07" not in drawn
