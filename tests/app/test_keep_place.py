"""Keep place (issue 16 point 4): an external change to the highlighted agent keeps the preview
tab and its scroll position (clamped), and the tree cursor."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import TextArea

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tui.core.roots import Root, RootKind

LONG = "# Long\n\n" + "".join(f"Paragraph {i}: do the step carefully.\n\n" for i in range(200))


async def test_an_external_save_keeps_the_tab_and_the_scroll(tmp_path: Path) -> None:
    folder = tmp_path / "agents"
    write_agent(folder, "aaa-first")
    path = write_agent(folder, "long-one", body=LONG)
    app = app_for(Root(folder, RootKind.EXTRA, 0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        screen.agent_tree.reveal(path)
        await settle(pilot)
        assert screen.agent_tree.highlighted_path == path
        await pilot.press("right_square_bracket")  # Prompt
        await settle(pilot)
        scroll = screen.query_one("#prompt-scroll", VerticalScroll)
        scroll.scroll_to(y=120, animate=False)
        await pilot.pause()
        assert scroll.scroll_y == 120
        # the file changes on disk (your editor saved it)
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        app.apply_own_changes([path])
        await wait_for(pilot, lambda: "One more line" in screen.preview.info.row.definition.body)  # type: ignore[union-attr]
        await settle(pilot)
        assert screen.preview.tabs.active == "tab-prompt"
        assert scroll.scroll_y == 120
        assert screen.agent_tree.highlighted_path == path
        # Source: the cursor line and scroll stay too
        await pilot.press("right_square_bracket")
        await settle(pilot)
        area = screen.query_one("#source", TextArea)
        area.cursor_location = (150, 0)
        area.scroll_to(y=100, animate=False)
        await pilot.pause()
        path.write_text(path.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
        app.apply_own_changes([path])
        await wait_for(pilot, lambda: "And another" in area.text)
        await settle(pilot)
        assert area.cursor_location == (150, 0)
        assert area.scroll_y == 100
        # shorter now: the place is clamped, not an error
        path.write_text("---\nname: long-one\ndescription: short now\n---\nshort\n")
        app.apply_own_changes([path])
        await wait_for(pilot, lambda: "short now" in area.text)
        await settle(pilot)
        assert area.cursor_location[0] <= 5  # the last line
