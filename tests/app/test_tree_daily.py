"""Issue 17 point 10, the browser's papercuts, in the real app: real files, the real watcher,
a real data folder shared by two runs."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Static

from tests.helpers.app import SIZE, app_for, card_text, settle, wait_for, write_agent
from tui.app.app import RosterApp
from tui.config import state_path
from tui.core.roots import Root, RootKind
from tui.core.tree_model import GroupBy
from tui.widgets.agent_tree import AgentData, GroupData

L2 = "level: L2\ndomain: backend\n"


async def _ready(pilot: object, app: RosterApp) -> None:
    await settle(pilot)  # type: ignore[arg-type]
    await wait_for(pilot, lambda: app.watcher_ready, what="watcher")  # type: ignore[arg-type]


def _label(app: RosterApp) -> str:
    node = app.main_screen.agent_tree.cursor_node
    assert node is not None
    return str(node.label)


async def test_deleting_the_highlighted_file_puts_the_cursor_on_a_sibling(tmp_root: Root) -> None:
    a1, a2, a3 = (write_agent(tmp_root.path, n, extra=L2) for n in ("a1", "a2", "a3"))
    lone = write_agent(tmp_root.path, "lone", extra="level: L2\ndomain: zeta\n")
    write_agent(tmp_root.path, "worker", extra="level: L3\ndomain: docs\n")
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        tree = app.main_screen.agent_tree

        async def delete(path: Path) -> None:
            tree.reveal(path)
            await settle(pilot)
            assert tree.highlighted_path == path
            path.unlink()
            await wait_for(pilot, lambda: tree.agent_node(path) is None, what="removed row")
            await settle(pilot)

        await delete(a2)
        assert tree.highlighted_path == a3  # the next sibling
        await delete(a3)
        assert tree.highlighted_path == a1  # no next one: the previous sibling
        # the only agent of its group: the group goes too, the cursor goes to that group's
        # sibling (the backend group), not to the top of the tree
        await delete(lone)
        node = tree.cursor_node
        assert node is not None and isinstance(node.data, GroupData)
        assert node.data.key == "level:L2/domain:backend" and tree.cursor_line > 0
        await delete(a1)  # nothing left at its level: the next group up
        node = tree.cursor_node
        assert node is not None and isinstance(node.data, GroupData)
        assert node.data.key == "level:L3", node.data


async def test_theme_and_grouping_come_back_after_a_restart(tmp_root: Root) -> None:
    write_agent(tmp_root.path, "api", extra=L2)
    write_agent(tmp_root.path, "docs-writer", extra="level: L3\ndomain: docs\n")
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        app.theme = "nord"  # what the palette's theme switcher does
        await pilot.press("g")  # level -> domain
        await settle(pilot)
        assert app.main_screen.browse.group_by is GroupBy.DOMAIN
        await wait_for(pilot, lambda: state_path().exists(), what="state file")
        await wait_for(pilot, lambda: "nord" in state_path().read_text(), what="theme saved")
    again = app_for(tmp_root)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
        assert again.main_screen.browse.group_by is GroupBy.DOMAIN
        tops = [str(n.label) for n in again.main_screen.agent_tree.root.children]
        assert [t.split()[0] for t in tops] == ["backend", "docs"]
        assert "by domain" in str(again.main_screen.query_one("#status", Static).content)
    assert not list(state_path().parent.glob("*.roster-tmp"))  # written atomically


async def test_a_corrupt_state_file_gives_defaults_and_says_so(tmp_root: Root) -> None:
    write_agent(tmp_root.path, "api", extra=L2)
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"theme": "nord", "grouping": ')  # cut short
    notes: list[str] = []
    app = app_for(tmp_root)
    app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert app.main_screen.browse.group_by is GroupBy.LEVEL
        assert any(str(path) in n and "not valid JSON" in n for n in notes), notes
        await pilot.press("g")  # the next change writes a good file over it
        await settle(pilot)
    assert '"grouping": "domain"' in path.read_text()


async def test_no_agents_in_any_root_says_how_to_make_one(tmp_path: Path) -> None:
    empty = Root(tmp_path / "agents", RootKind.EXTRA, 2)
    empty.path.mkdir()
    (empty.path / "README.txt").write_text("not an agent\n")
    app = app_for(empty, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, app)
        note = app.main_screen.query_one("#tree-empty", Static)
        assert note.display and str(note.content) == "no agents here: n creates one"
        assert note.region.height > 0
        made = write_agent(empty.path, "first")  # one arrives: the note goes
        await wait_for(pilot, lambda: app.main_screen.agent_tree.agent_node(made) is not None)
        await settle(pilot)
        assert not note.display
        made.unlink()
        await wait_for(pilot, lambda: note.display, what="the note back")


async def test_shadowed_row_names_the_winner_and_the_winner_lists_it(tmp_path: Path) -> None:
    high = Root(tmp_path / "project", RootKind.PROJECT, 0)
    low = Root(tmp_path / "extra", RootKind.EXTRA, 1)
    winner = write_agent(high.path / "review", "twin", filename="api-twin.md")
    hidden = write_agent(low.path, "twin", description="the lower one")
    app = app_for(high, low)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.main_screen.agent_tree
        node = tree.agent_node(hidden)
        assert node is not None and isinstance(node.data, AgentData)
        assert "shadowed by review/api-twin.md (project)" in str(node.label)
        tree.reveal(winner)
        await settle(pilot)
        text = card_text(app)
        assert "Hides 1 file with the same name" in text and str(hidden) in text
        assert os.fspath(winner) not in text.split("Hides", 1)[1]


def _text(renderable: object) -> str:
    from rich.console import Console

    console = Console(width=110, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


async def test_a_groups_prompt_and_source_tabs_summarise_the_group(tmp_root: Root) -> None:
    write_agent(tmp_root.path, "gen-10", extra="level: L2\ndomain: backend\nmodel: opus\n")
    write_agent(tmp_root.path, "gen-2", extra=L2)
    write_agent(tmp_root.path, "bad", extra="level: L2\ndomain: data\ntools: [Read\n")
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.main_screen.agent_tree
        group = tree.group_node("level:L2")
        assert group is not None
        tree.move_cursor(group)
        await settle(pilot)
        preview = app.main_screen.preview
        for tab, card in (("tab-prompt", "#prompt"), ("tab-source", "#source-group-card")):
            await pilot.press("right_square_bracket")
            await settle(pilot)
            assert preview.tabs.active == tab
            text = _text(preview.query_one(card, Static).content)
            assert "3 agents" in text
            assert "backend 2" in text and "data 1" in text  # by domain
            assert "L2 3" in text and "opus 1" in text and "inherit 2" in text
            assert "1 with ✗ or !" in text  # problems
            assert text.index("gen-2") < text.index("gen-10")  # listed, in natural order
        source = preview.query("#source-box TextArea")
        assert not source or not source.first().display  # no empty editor
        tree.move_cursor(tree.first_agent())  # an agent again: its file, not the summary
        await settle(pilot)
        area = preview.query_one("#source-box TextArea")
        assert area.display and "name: gen-2" in area.text  # type: ignore[attr-defined]
        assert not preview.query_one("#source-group").display


async def test_tab_from_the_tree_reaches_the_preview_content_in_one_press(
    tmp_root: Root,
) -> None:
    write_agent(tmp_root.path, "api", extra=L2)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is app.main_screen.agent_tree
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "overview-scroll"
        await pilot.press("shift+tab")
        assert app.focused is app.main_screen.agent_tree
        await pilot.press("right_square_bracket", "right_square_bracket")  # Source
        await settle(pilot)
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "source"


async def test_help_lists_roster_keys_first_without_contradicting_tree_keys(
    tmp_root: Root,
) -> None:
    from tui.screens.help import HelpScreen

    write_agent(tmp_root.path, "api", extra=L2)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is app.main_screen.agent_tree
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = _text(help_screen.query_one("#help-keys", Static).content)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == "Keys"
        assert lines[1].split()[-1].count(".") == 1  # a Roster key with its id, first
        for generic in ("Scroll Left", "Scroll Right", "Select", "Toggle", "Cursor Up"):
            assert not any(line.endswith(generic) for line in lines), generic
        assert text.index("Start a session") < text.index("In the tree")
        assert text.index("In the tree") < text.index("Other keys")
        assert "Collapse / expand a group" in text
    # ← and → do what the help says: close and open a group
    async with app_for(tmp_root).run_test(size=SIZE) as pilot:
        app2 = pilot.app
        assert isinstance(app2, RosterApp)
        await settle(pilot)
        tree = app2.main_screen.agent_tree
        await pilot.press("left")  # on an agent: to its group
        node = tree.cursor_node
        assert node is not None and isinstance(node.data, GroupData)
        await pilot.press("left")
        assert not node.is_expanded
        await pilot.press("right")
        assert node.is_expanded
