"""Pilot tests: navigate, filter, palette jump, grouping, help, marks, preview contents."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual import events
from textual.message import Message
from textual.widgets import Static

from tests.helpers.app import SIZE, app_for, bundled_root, card_text, settle, wait_for, write_agent
from tui.core.roots import Root, RootKind
from tui.core.tree_model import GroupBy
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.messages import CatalogChanged, JumpToAgent
from tui.widgets.agent_tree import PROBLEMS_KEY, AgentData, AgentTree
from tui.widgets.filter_bar import FilterBar
from tui.widgets.preview import PreviewInfo


def label_of(tree: AgentTree, path: Path) -> str:
    node = tree.agent_node(path)
    assert node is not None, path
    return str(node.label)


async def test_first_frame_then_tree_and_preview() -> None:
    messages: list[Message] = []
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        tree = app.main_screen.agent_tree
        assert tree.has_focus
        # groups start expanded (small catalog): level -> domain -> agent, with counts
        top = [str(n.label) for n in tree.root.children]
        assert top[0].startswith("L0 · Epic orchestrators")
        assert any(label.startswith("L2 · Specialists  ") for label in top)
        first = tree.highlighted_path
        assert first is not None and first.name == "l0-epic-orchestrator.md"
        assert app.main_screen.preview.shown is not None
        assert "l0-epic-orchestrator" in card_text(app)
        assert any(isinstance(m, CatalogChanged) and m.diff is None for m in messages)

        seen: list[Path] = []
        await pilot.press("down", "down", "down")
        await app.workers.wait_for_complete()
        seen = [
            m.definition.path
            for m in messages
            if isinstance(m, AgentTree.AgentHighlighted) and m.definition is not None
        ]
        assert len(seen) >= 2
        # the preview shows exactly what the cursor is on (no stale preview)
        info = app.main_screen.preview.info
        if tree.highlighted_path is not None:
            assert isinstance(info, PreviewInfo) and info.row.path == tree.highlighted_path


async def test_held_arrow_key_never_leaves_a_stale_preview() -> None:
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # a held key: 25 presses queued faster than the app handles them
        for _ in range(25):
            app.post_message(events.Key("down", None))
        await settle(pilot)
        tree = app.main_screen.agent_tree
        preview = app.main_screen.preview
        node = tree.cursor_node
        assert node is not None
        if isinstance(node.data, AgentData):
            d = node.data.row.definition
            assert preview.shown == (str(d.path), d.content_hash)
        else:
            assert preview.shown == ("group", node.data.key)  # type: ignore[union-attr]


async def test_filter_fuzzy_best_match_and_escape_clears() -> None:
    messages: list[Message] = []
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        screen = app.main_screen
        total = len(screen.agent_tree.visible_paths())
        await pilot.press("slash")
        assert screen.filter_bar.input.has_focus
        await pilot.press("b", "a", "c", "k")
        await settle(pilot)
        assert any(isinstance(m, FilterBar.Changed) and m.query == "back" for m in messages)
        assert screen.agent_tree.highlighted_path is not None
        assert screen.agent_tree.highlighted_path.stem == "l2-backend-specialist"
        assert len(screen.agent_tree.visible_paths()) < total
        # fuzzy on the name: "lsec" -> l2-security-auditor
        screen.filter_bar.input.value = "lse"
        await pilot.press("c")
        await settle(pilot)
        assert screen.agent_tree.highlighted_path is not None
        assert screen.agent_tree.highlighted_path.stem == "l2-security-auditor"
        # frameworks and tools are searched too
        screen.filter_bar.input.value = "fastapi"
        await settle(pilot)
        stems = {p.stem for p in screen.agent_tree.visible_paths()}
        assert "l2-backend-specialist" in stems and "l3-linter" not in stems
        # no match: an empty tree and an empty preview (the browse model's side of this is
        # in tests/core/test_browse.py)
        screen.filter_bar.input.value = "zzzq"
        await settle(pilot)
        assert screen.agent_tree.visible_paths() == set()
        assert screen.preview.info is None
        screen.filter_bar.input.value = "backend"
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.filter_bar.value == ""
        assert len(screen.agent_tree.visible_paths()) == total
        assert screen.agent_tree.has_focus
        # the cursor stays on the agent the filter found
        assert screen.agent_tree.highlighted_path is not None
        assert "backend" in screen.agent_tree.highlighted_path.stem


async def test_palette_jump_to_agent() -> None:
    messages: list[Message] = []
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen), what="palette")
        await pilot.press(*"chang")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(isinstance(m, JumpToAgent) for m in messages))
        await settle(pilot)
        path = app.main_screen.agent_tree.highlighted_path
        assert path is not None and path.stem == "l3-changelog-writer"
        assert "l3-changelog-writer" in card_text(app)


async def test_grouping_switch_by_key_and_palette_keeps_cursor() -> None:
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        await pilot.press("down", "down", "down")
        await settle(pilot)
        before = screen.agent_tree.highlighted_path
        assert before is not None
        await pilot.press("g")
        await settle(pilot)
        assert screen.browse.group_by is GroupBy.DOMAIN
        assert not any(str(n.label).startswith("L0") for n in screen.agent_tree.root.children)
        assert screen.agent_tree.highlighted_path == before
        # palette: "Group by model"
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen), what="palette")
        await pilot.press(*"by mod")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.browse.group_by is GroupBy.MODEL, what="grouping")
        await settle(pilot)
        titles = {str(n.label).split("  ")[0] for n in screen.agent_tree.root.children}
        assert {"haiku", "sonnet", "opus"} <= titles
        assert screen.agent_tree.highlighted_path == before


async def test_help_screen_lists_keys_and_closes() -> None:
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        console = Console(width=100, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(app.screen.query_one("#help-keys", Static).content)
        rendered = console.export_text()
        for needle in ("Filter agents", "Group by level", "Rescan every root", "Quit Roster"):
            assert needle in rendered
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="close help")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help f1")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="close f1")


async def test_every_main_binding_shows_in_footer() -> None:
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = {b.id for _node, b, _enabled, _tip in app.screen.active_bindings.values() if b.show}
        assert {"main.filter", "main.group", "main.reload", "main.next_tab"} <= shown
        assert {"app.quit", "app.help"} <= shown
        # Esc only appears while there is a filter to clear
        assert "main.clear_filter" not in shown
        await pilot.press("slash", "x")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        shown = {b.id for _n, b, _e, _t in app.screen.active_bindings.values() if b.show}
        assert "main.clear_filter" in shown


async def test_marks_problems_group_and_shadowing(tmp_path: Path) -> None:
    high = Root(tmp_path / "project", RootKind.PROJECT, 0)
    low = Root(tmp_path / "extra", RootKind.EXTRA, 1)
    write_agent(high.path, "twin", extra="color: red\n")
    shadowed = write_agent(low.path, "twin", description="the lower one")
    fine = write_agent(low.path, "fine", extra="color: blue\ntools: []\n")
    broken = low.path / "broken.md"
    broken.write_text("---\nname: broken\ndescription: x\ntools: [Read\n---\nbody\n")
    nameless = low.path / "nameless.md"
    nameless.write_text("---\ndescription: no name here\n---\nbody\n")
    empty = low.path / "empty.md"
    empty.write_bytes(b"")
    app = app_for(high, low)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.main_screen.agent_tree
        assert "shadowed by twin.md (project)" in label_of(tree, shadowed)
        assert label_of(tree, fine).startswith("● fine")
        assert label_of(tree, broken).startswith(("✗", "!"))
        problems = tree.group_node(PROBLEMS_KEY)
        assert problems is not None
        labels = {str(c.label) for c in problems.children}
        assert any("nameless.md" in s for s in labels)
        assert any("empty.md" in s for s in labels)
        # preview: "no tools" chip, shadowed file says where it is shadowed from
        tree.reveal(fine)
        await settle(pilot)
        assert "no tools" in card_text(app)
        tree.reveal(shadowed)
        await settle(pilot)
        text = card_text(app)
        assert "Shadowed by" in text and str(high.path) in text
        tree.reveal(nameless)
        await settle(pilot)
        text = card_text(app)
        assert "Claude Code skips this file" in text
        assert "Problems:" in text


async def test_all_tools_chip_workflows_and_tabs() -> None:
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.main_screen
        text = card_text(app)
        assert "Workflows (" in text
        assert "1." in text
        # Prompt tab: rendered Markdown without the frontmatter
        await pilot.press("right_square_bracket")
        await settle(pilot)
        from rich.markdown import Markdown
        from textual.widgets import TextArea

        md = screen.query_one("#prompt", Static).content
        assert isinstance(md, Markdown)
        assert md.markup.lstrip().startswith("# ")
        assert "\nname: " not in md.markup
        # Source tab: the raw file, frontmatter included
        await pilot.press("right_square_bracket")
        await settle(pilot)
        area = screen.query_one("#source", TextArea)
        assert area.text.startswith("---\nname: ")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert screen.preview.tabs.active == "tab-overview"


async def test_all_tools_when_absent(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "open-agent")
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main_screen.agent_tree.highlighted_path == path
        assert "all tools" in card_text(app)


async def test_empty_and_missing_roots_do_not_crash(tmp_path: Path) -> None:
    app = app_for(Root(tmp_path / "missing", RootKind.EXTRA, 0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.main_screen.agent_tree.visible_paths() == set()
        await pilot.press("down", "enter", "g", "slash", "x", "escape", "right_square_bracket")
        await settle(pilot)
