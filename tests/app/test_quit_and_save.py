"""In the real app: ctrl+q and Esc never drop an unsaved edit without asking, and the app reacts
to the editor's own save (tree updated at once, not reported as a change "On disk")."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tui.app.app import RosterApp
from tui.core.roots import Root
from tui.screens.editor import EditorScreen
from tui.screens.unsaved import UnsavedScreen


def level_line(path: Path) -> int:
    return path.read_text().splitlines().index("level: L2")


async def open_editor(pilot: Pilot[None], app: RosterApp, path: Path) -> EditorScreen:
    await settle(pilot)
    app.main_screen.agent_tree.reveal(path)
    app.main_screen.agent_tree.focus()
    await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == path)
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="editor")
    editor = app.screen
    assert isinstance(editor, EditorScreen)
    await wait_for(pilot, lambda: editor.loaded, what="editor loaded")
    return editor


async def make_level_l3(pilot: Pilot[None], editor: EditorScreen, path: Path) -> None:
    editor.area.move_cursor((level_line(path), len("level: L2")))
    await pilot.press("backspace", "3")
    await wait_for(pilot, lambda: editor.dirty)


async def test_ctrl_q_with_unsaved_edits_asks_and_stay_keeps_them(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "alpha", extra="level: L2\n")
    before = path.read_text()
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, app, path)
        await make_level_l3(pilot, editor, path)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen), what="quit prompt")
        assert "alpha.md has unsaved changes" in str(
            app.screen.query_one("#unsaved-message").render()
        )
        await pilot.press("ctrl+q")  # a second ctrl+q does not stack another prompt
        await pilot.pause()
        assert sum(isinstance(s, UnsavedScreen) for s in app.screen_stack) == 1
        await pilot.press("n")  # Stay
        await wait_for(pilot, lambda: app.screen is editor)
        assert app.return_code is None and editor.dirty and "level: L3" in editor.area.text
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.press("y")  # Quit without saving
        await wait_for(pilot, lambda: app.return_code is not None, what="exit")
    assert app.return_code == 0 and path.read_text() == before


async def test_ctrl_q_with_a_clean_editor_quits_at_once(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "alpha", extra="level: L2\n")
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot, app, path)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None, what="exit")
    assert app.return_code == 0


async def test_escape_with_unsaved_edits_asks_in_the_real_app(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "alpha", extra="level: L2\n")
    before = path.read_text()
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, app, path)
        await make_level_l3(pilot, editor, path)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.press("n")  # Keep editing
        await wait_for(pilot, lambda: app.screen is editor)
        assert editor.dirty
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.press("y")  # Discard
        await wait_for(pilot, lambda: app.screen is app.main_screen)
        assert app.main_screen.agent_tree.highlighted_path == path
    assert path.read_text() == before


async def test_save_moves_the_agent_in_the_tree_at_once(tmp_root: Root) -> None:
    """No watcher at all: the tree follows the save because the app handles EditorSaved."""
    path = write_agent(tmp_root.path, "alpha", extra="level: L2\ndomain: backend\n")
    app = app_for(tmp_root, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, app, path)
        assert app.main_screen.browse.chains[path][0] == "level:L2"
        await make_level_l3(pilot, editor, path)
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: app.main_screen.browse.chains.get(path, ("",))[0] == "level:L3"
        )
        assert app.main_screen.agent_tree.highlighted_path == path
        await pilot.press("escape")  # clean now: closes without asking
        await wait_for(pilot, lambda: app.screen is app.main_screen)
        assert app.main_screen.agent_tree.highlighted_path == path
        assert app.main_screen.browse.chains[path] == ("level:L3", "level:L3/domain:backend")


async def test_own_save_is_not_reported_as_a_change_on_disk(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "alpha", extra="level: L2\n")
    other = write_agent(tmp_root.path, "beta")
    app = app_for(tmp_root, watch=True)
    seen: list[set[Path]] = []
    async with app.run_test(size=SIZE) as pilot:
        real = app._tell_editors

        def spy(paths: set[Path]) -> set[Path]:
            seen.append(set(paths))
            return real(paths)

        app._tell_editors = spy  # type: ignore[method-assign]
        await wait_for(pilot, lambda: app.watcher_ready, what="watcher")
        editor = await open_editor(pilot, app, path)
        await make_level_l3(pilot, editor, path)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any(path in s for s in seen), what="watcher echo")
        await pilot.pause()
        on_disk = [n for n in app._notifications if n.title == "On disk"]
        assert on_disk == [], [n.message for n in on_disk]
        assert any(n.message == "Saved alpha.md" for n in app._notifications)
        assert not editor.disk_changed and not editor.dirty
        # control: a real outside change to another file is still reported
        other.write_text(other.read_text().replace("An agent", "A changed agent"))
        await wait_for(
            pilot, lambda: any(n.title == "On disk" for n in app._notifications), what="notice"
        )
        assert any("beta changed" in n.message for n in app._notifications)
