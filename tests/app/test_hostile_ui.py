"""Definition files are untrusted: escape sequences in them reach no terminal raw (tree labels,
preview tabs, editor, notifications) (issue 15 point 4)."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static, TextArea

from tests.helpers.app import SIZE, app_for, card_text, settle, wait_for, write_agent
from tui.core.roots import Root, RootKind
from tui.screens.editor import EditorScreen

HOSTILE_BODY = "# Body\n\nclear: \x1b[2J now\x1b]52;c;cHduZWQ=\x07 and \x9b31m done\n"


def raw_escapes(widget: Widget) -> list[str]:
    """Rendered lines of `widget` that carry a control character a terminal would act on."""
    width, height = widget.size
    strips = widget.render_lines(Region(0, 0, width, height))
    bad: list[str] = []
    for strip in strips:
        text = "".join(segment.text for segment in strip)
        if any(ch in text for ch in ("\x1b", "\x07", "\x9b")):
            bad.append(text)
    return bad


def hostile_root(tmp_path: Path) -> Root:
    folder = tmp_path / "agents"
    write_agent(
        folder,
        "hostile",
        description="sets the title \x1b]0;pwned\x07 quietly",
        body=HOSTILE_BODY,
    )
    # not an agent: the tree shows its file name, which carries an escape too
    (folder / "notes\x1b[2J.md").write_text("just notes\n", encoding="utf-8")
    return Root(folder, RootKind.EXTRA, 0)


async def test_preview_tabs_and_tree_show_escapes_visibly(tmp_path: Path) -> None:
    app = app_for(hostile_root(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.main_screen.agent_tree
        labels = [str(n.label) for n in tree.root.children for n in (n, *n.children)]
        assert any("notes\\x1b[2J.md" in label for label in labels), labels
        assert raw_escapes(tree) == []
        card = app.main_screen.query_one("#card", Static)
        assert raw_escapes(card) == []
        assert "\\x1b]0;pwned\\x07" in "".join(
            s.text for strip in card.render_lines(Region(0, 0, *card.size)) for s in strip
        )
        await pilot.press("right_square_bracket")  # Prompt
        await settle(pilot)
        prompt = app.main_screen.query_one("#prompt", Static)
        assert raw_escapes(prompt) == []
        await pilot.press("right_square_bracket")  # Source
        await settle(pilot)
        source = app.main_screen.query_one("#source", TextArea)
        await wait_for(pilot, lambda: "clear" in source.text, what="source loaded")
        assert raw_escapes(source) == []
        shown = "".join(s.text for y in range(source.size.height) for s in source.render_line(y))
        assert "\\x1b[2J" in shown


async def test_editor_shows_escapes_visibly_and_keeps_the_bytes(tmp_path: Path) -> None:
    root = hostile_root(tmp_path)
    path = root.path / "hostile.md"
    app = app_for(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        screen = app.screen
        assert isinstance(screen, EditorScreen)
        area = screen.area
        area.scroll_to(0, 0, animate=False)
        await pilot.pause()
        assert raw_escapes(area) == []
        # the text itself is untouched: saving writes the same bytes back
        assert "\x1b[2J" in area.text
        assert path.read_text(encoding="utf-8").endswith(HOSTILE_BODY)


async def test_notifications_show_escapes_visibly(tmp_path: Path) -> None:
    app = app_for(hostile_root(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify("file \x1b[2J.md changed", title="On \x1b]0;x\x07disk")
        await pilot.pause()
        shown = list(app._notifications)
        assert shown and all("\x1b" not in n.message and "\x07" not in n.title for n in shown)
        assert any("\\x1b[2J" in n.message for n in shown)


async def test_a_missing_root_is_a_warning_line_and_the_others_still_show(tmp_path: Path) -> None:
    here = hostile_root(tmp_path)
    gone = Root(tmp_path / "typo-agents", RootKind.EXTRA, 1)
    app = app_for(here, gone)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        warning = app.main_screen.query_one("#roots-warning", Static)
        assert warning.display
        assert "typo-agents does not exist" in str(warning.render())
        assert app.main_screen.agent_tree.agent_node(here.path / "hostile.md") is not None
    app = app_for(here)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.main_screen.query_one("#roots-warning", Static).display


async def test_inferred_level_and_domain_say_where_they_came_from(tmp_path: Path) -> None:
    folder = tmp_path / "agents"
    write_agent(folder, "react-expert", description="Builds React components and hooks")
    app = app_for(Root(folder, RootKind.EXTRA, 0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = card_text(app)
        domain_line = next(line for line in text.splitlines() if line.strip().startswith("domain"))
        assert "frontend" in domain_line
        assert "inferred from" in domain_line and "react" in domain_line, domain_line
        level_line = next(line for line in text.splitlines() if line.strip().startswith("level"))
        assert "inferred from" in level_line, level_line
