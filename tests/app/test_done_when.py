"""Issue 4's "done when", end to end in the real app with the real watcher:

create a new L2 agent with `n`, change its tools through the metadata form, edit its body, save;
it shows in the tree under L2 and its domain. Then an outside write while editing produces the
conflict view instead of a lost edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, SelectionList

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tui.core.parse import parse_file
from tui.core.roots import Root
from tui.screens.conflict import ConflictScreen
from tui.screens.editor import EditorScreen
from tui.screens.new_agent import NewAgentScreen


async def test_create_edit_save_then_conflict(
    tmp_root: Root, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROSTER_DATA_DIR", str(tmp_path / "data"))
    write_agent(tmp_root.path, "existing", extra="level: L3\ndomain: testing\n")
    app = app_for(tmp_root, watch=True)
    path = tmp_root.path / "api-reviewer.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.watcher_ready, what="watcher")

        # 1. `n`: the new-agent form, filled in as a person would
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewAgentScreen))
        form = app.screen
        await pilot.press(*"api-reviewer")
        form.query_one("#new-description", Input).focus()
        await pilot.press(*"Reviews API changes for breaking changes")
        form.query_one("#new-level", Select).value = "L2"
        form.query_one("#new-domain", Input).value = ""
        form.query_one("#new-domain", Input).focus()
        await pilot.press(*"backend")
        form.query_one("#new-tools", Input).focus()
        await pilot.press(*"Read, Grep", "enter")

        # 2. the editor opens on the new file
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="editor")
        editor = app.screen
        assert isinstance(editor, EditorScreen) and editor.path == path
        await wait_for(pilot, lambda: editor.loaded)
        assert "tools: Read, Grep" in editor.area.text

        # 3. tools through the metadata form: add Glob, drop Grep
        await pilot.press("f2")
        tools: SelectionList[str] = editor.query_one("#md-tools", SelectionList)
        await wait_for(pilot, lambda: set(tools.selected) == {"Read", "Grep"}, what="form sync")
        tools.focus()
        tools.select("Glob")
        await wait_for(pilot, lambda: "tools: Read, Grep, Glob" in editor.area.text)
        tools.deselect("Grep")
        await wait_for(pilot, lambda: "tools: Read, Glob\n" in editor.area.text)

        # 4. the body, typed in the text
        await pilot.press("f5")
        lines = editor.area.text.splitlines()
        row = lines.index("## Quality Checks")
        editor.area.move_cursor((row, 0))
        await pilot.press(*"Check every public endpoint.", "enter", "enter")
        assert editor.dirty

        # 5. save: on disk, valid, and in the tree under L2 -> backend at once
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not editor.dirty and not editor.saving, what="saved")
        saved = parse_file(path, tmp_root.path)
        assert saved.tools == ("Read", "Glob") and saved.level == "L2"
        assert saved.domain == "backend" and not saved.has_errors
        assert "Check every public endpoint." in saved.body
        await wait_for(
            pilot,
            lambda: (
                app.main_screen.browse.chains.get(path) == ("level:L2", "level:L2/domain:backend")
            ),
            what="tree",
        )
        assert app.main_screen.agent_tree.highlighted_path == path

        # 6. keep editing; meanwhile another program rewrites the file
        editor.area.focus()
        editor.area.move_cursor((row, 0))
        await pilot.press(*"MY UNSAVED LINE", "enter")
        theirs = path.read_text().replace("Reviews API changes", "THEIR VERSION of API reviews")
        path.write_text(theirs)
        await wait_for(pilot, lambda: editor.disk_changed, what="watcher tells the editor")
        assert "MY UNSAVED LINE" in editor.area.text  # nothing reloaded over the edit
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen), what="conflict")
        conflict = app.screen
        assert isinstance(conflict, ConflictScreen)
        assert "THEIR VERSION" in conflict.diff_text and "MY UNSAVED LINE" in conflict.diff_text
        assert path.read_text() == theirs  # the disk is untouched until the user chooses

        # back to editing: both versions still exist, nothing lost
        await pilot.press("b")
        await wait_for(pilot, lambda: app.screen is editor)
        assert "MY UNSAVED LINE" in editor.area.text and path.read_text() == theirs
        # keep mine: now it lands
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("m")
        await wait_for(pilot, lambda: app.screen is editor and not editor.dirty, what="kept")
        assert "MY UNSAVED LINE" in path.read_text()
