"""Find in the browser (issue 16 point 5): the problems-only toggle, field filters typed in the
filter box, zero matches said so, the filter syntax in help."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Static

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tui.core.roots import Root, RootKind
from tui.screens.help import HelpScreen
from tui.widgets.agent_tree import AgentData, AgentTree


def shown_names(tree: AgentTree) -> set[str]:
    out: set[str] = set()

    def walk(node: object) -> None:
        for child in node.children:  # type: ignore[attr-defined]
            if isinstance(child.data, AgentData):
                out.add(child.data.row.definition.display_name)
            walk(child)

    walk(tree.root)
    return out


def root(tmp_path: Path) -> Root:
    folder = tmp_path / "agents"
    write_agent(folder, "good-one", extra="level: L2\ndomain: backend\ntools: Read, Bash\n")
    write_agent(folder, "other-good", extra="level: L3\ndomain: frontend\ntools: Read\n")
    write_agent(folder, "typo-tools", extra="level: L2\ndomain: backend\ntools: Raed\n")
    return Root(folder, RootKind.PROJECT, 0)


async def test_problems_only_toggle_and_field_filter(tmp_path: Path) -> None:
    app = app_for(root(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        tree = screen.agent_tree
        assert shown_names(tree) == {"good-one", "other-good", "typo-tools"}
        await pilot.press("p")
        await settle(pilot)
        assert shown_names(tree) == {"typo-tools"}
        assert tree.highlighted_path is not None and tree.highlighted_path.stem == "typo-tools"
        await pilot.press("p")
        await settle(pilot)
        assert len(shown_names(tree)) == 3
        await pilot.press("slash", *"tool:bash level:L2")
        await settle(pilot)
        assert shown_names(tree) == {"good-one"}
        assert screen.filter_bar.query_one("#filter-count", Static).render()  # "1/3"
        await pilot.press(*" zz")
        await settle(pilot)
        assert shown_names(tree) == set()
        status = str(screen.query_one("#status", Static).render())
        assert "No agent matches" in status


async def test_help_lists_the_filter_fields(tmp_path: Path) -> None:
    app = app_for(root(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys", Static).content)
        text = console.export_text()
        for field in ("level:", "tool:", "model:", "has:", "root:", "domain:"):
            assert field in text
        assert "Problems" in text or "problems" in text
