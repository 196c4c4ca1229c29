"""Quick fixes in the editor (issue 15 point 5): a diagnostic with a fix says which key applies
it; the key rewrites the buffer (not the file), the result loads, and undo brings it back."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from tests.helpers.app import wait_for
from tests.helpers.catalog import BROKEN_SHAPE, INTENDED
from tui.core.editing import analyse
from tui.screens.editor import EditorScreen


class Host(App[None]):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def on_mount(self) -> None:
        self.push_screen(EditorScreen(self.path, self.path.parent))


def problems_text(editor: EditorScreen) -> str:
    ol = editor.problems
    return "\n".join(str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count))


async def test_f9_applies_the_fix_shown_on_the_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "brand-guardian.md"
    path.write_text(BROKEN_SHAPE, encoding="utf-8")
    app = Host(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await wait_for(pilot, lambda: "F9 fix:" in problems_text(editor), what="fix offered")
        assert "block scalar" in problems_text(editor) or "description" in problems_text(editor)
        before = analyse(editor.area.text, "utf-8", path, tmp_path)
        assert not before.loads_in_claude_code
        await pilot.press("f9")
        await pilot.pause()
        after = analyse(editor.area.text, "utf-8", path, tmp_path)
        assert after.loads_in_claude_code
        assert after.description == INTENDED
        assert path.read_text(encoding="utf-8") == BROKEN_SHAPE  # the buffer, not the file
        assert editor.dirty
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.area.text == BROKEN_SHAPE


async def test_f9_without_a_fix_says_so_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "fine.md"
    text = "---\nname: fine\ndescription: A fine agent\n---\nBody.\n"
    path.write_text(text, encoding="utf-8")
    app = Host(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("f9")
        await pilot.pause()
        assert editor.area.text == text
        assert any("No fix" in n.message for n in app._notifications)


async def test_a_problem_quoting_a_markup_like_name_is_listed_as_written(tmp_path: Path) -> None:
    """A file whose name is `x[/]y:z` (R012 quotes it): the problems list crashed the editor
    with a MarkupError, as its lines were read as markup."""
    path = tmp_path / "odd.md"
    path.write_text('---\nname: "x[/]y:z"\ndescription: d\n---\nbody\n', encoding="utf-8")
    app = Host(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await wait_for(pilot, lambda: "x[/]y:z" in problems_text(editor), what="the R012 line")
        await pilot.pause()
        assert app.is_running
