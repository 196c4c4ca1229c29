"""The library in the browser (issue 16 points 1 and 2): your agents first, the library one
collapsed group below them; "loaded by Claude Code" only for project/user files."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.app import (
    SIZE,
    app_for,
    bundled_root,
    card_text,
    settle,
    wait_for,
    write_agent,
)
from tui.core.browse import LIBRARY_KEY
from tui.core.roots import Root, RootKind


def project(tmp_path: Path) -> Root:
    folder = tmp_path / ".claude" / "agents"
    write_agent(folder, "my-api", extra="level: L2\ndomain: backend\n")
    return Root(folder, RootKind.PROJECT, 0)


async def test_your_agents_first_the_library_collapsed_below(tmp_path: Path) -> None:
    app = app_for(project(tmp_path), bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.main_screen.agent_tree
        top = [n for n in tree.root.children]
        assert top[-1].data is not None and top[-1].data.key == LIBRARY_KEY  # type: ignore[union-attr]
        assert str(top[-1].label).startswith("Library")
        assert not top[-1].is_expanded
        assert tree.highlighted_path == project(tmp_path).path / "my-api.md"
        assert "Loaded by Claude Code" in card_text(app)
        assert "would load" not in card_text(app)


async def test_a_library_agent_is_valid_not_loaded(tmp_path: Path) -> None:
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = card_text(app)
        assert "Claude Code would load it from .claude/agents" in text
        assert "Loaded by Claude Code" not in text


async def test_palette_roots_panel_lists_every_root(tmp_path: Path) -> None:
    from tui.screens.main import MainScreen
    from tui.screens.roots import RootsScreen

    gone = Root(tmp_path / "typo", RootKind.EXTRA, 1)
    app = app_for(project(tmp_path), gone, bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen), what="palette")
        await pilot.press(*"roots sear")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RootsScreen), what="roots panel")
        screen = app.screen
        assert isinstance(screen, RootsScreen)
        kinds = {r.kind: r for r in screen.rows}
        assert kinds[RootKind.PROJECT].count == 1 and kinds[RootKind.PROJECT].claude_reads
        assert not kinds[RootKind.EXTRA].exists
        assert kinds[RootKind.BUNDLED].count >= 10 and not kinds[RootKind.BUNDLED].claude_reads
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="closed")
