"""Fit any terminal (issue 16 point 6): at 80×24 the footer keeps F1, and every dialog shows
its buttons and messages inside the screen."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from tests.helpers.app import app_for, bundled_root, settle, write_agent
from tui.core.roots import Root, RootKind

SMALL = (80, 24)


def inside(widget: Widget) -> bool:
    region = widget.region
    return (
        region.width > 0
        and region.height > 0
        and region.right <= SMALL[0]
        and region.bottom <= SMALL[1]
    )


async def test_footer_keeps_f1_at_80_columns() -> None:
    app = app_for(bundled_root())
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        keys = [w for w in app.screen.query("FooterKey") if getattr(w, "action", "") == "help"]
        assert keys and inside(keys[0])


async def test_long_names_end_with_an_ellipsis_in_a_narrow_tree(tmp_path: Path) -> None:
    folder = tmp_path / "agents"
    long_name = "a-very-long-agent-name-that-cannot-fit-in-the-sidebar"
    write_agent(folder, long_name, extra="level: L2\ndomain: backend\n")
    app = app_for(Root(folder, RootKind.PROJECT, 0))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        tree = app.main_screen.agent_tree
        node = tree.agent_node(folder / f"{long_name}.md")
        assert node is not None
        strip = tree.render_line(node.line - int(tree.scroll_y))
        text = "".join(segment.text for segment in strip).rstrip()
        assert text.endswith("…"), text
        assert "a-very-long" in text


async def test_a_cut_group_title_keeps_its_count(tmp_path: Path) -> None:
    folder = tmp_path / ".claude" / "agents"
    write_agent(folder, "mine", extra="level: L2\ndomain: backend\n")
    app = app_for(Root(folder, RootKind.PROJECT, 0), bundled_root())
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        tree = app.main_screen.agent_tree
        library = tree.root.children[-1]
        strip = tree.render_line(library.line - int(tree.scroll_y))
        text = "".join(segment.text for segment in strip).rstrip()
        assert "…" in text and text.endswith(f"  {app.main_screen.browse.n_library}"), text
