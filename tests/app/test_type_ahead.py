"""Keys typed right behind `/` land in the filter box. `focus()` waits for a refresh, and the
keys already queued behind the slash went to the tree: "/py" typed fast (or sent by a
terminal in one read) toggled "problems only" with its p instead of filtering."""

from __future__ import annotations

from pathlib import Path

from textual import events

from tests.helpers.app import app_for, settle, write_agent
from tui.core.roots import Root, RootKind


def burst(app: object, text: str) -> None:
    """Keys as a terminal delivers one read: queued together, before any is handled."""
    for char in text:
        key = "slash" if char == "/" else char
        app.post_message(events.Key(key, char))  # type: ignore[attr-defined]


async def test_keys_typed_behind_the_slash_reach_the_filter(tmp_path: Path) -> None:
    root = Root(tmp_path / "agents", RootKind.PROJECT, 0)
    write_agent(root.path, "python-helper")
    write_agent(root.path, "other")
    app = app_for(root)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        burst(app, "/py")
        await pilot.pause(0.3)
        assert app.main_screen.filter_bar.input.value == "py"
        assert not app.main_screen.browse.problems_only
        burst(app, "/x")  # in the box, a slash is text
        await pilot.pause(0.3)
        assert app.main_screen.filter_bar.input.value == "py/x"
