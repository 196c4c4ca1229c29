"""Issue 17 point 9 in the real app, with real watchfiles events: the conflict dialog's merge
(offered when the changes do not overlap, its result shown and then written; disabled with the
reason when they overlap), footer keys that match the dialog's variant, no toast over it."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button
from textual.widgets._toast import Toast

from tests.helpers.app import SIZE, app_for, plain, settle, wait_for, write_agent
from tui.app.app import RosterApp
from tui.core.roots import Root
from tui.screens.conflict import ConflictScreen
from tui.screens.editor import EditorScreen
from tui.screens.merge_view import MergeViewScreen

BODY = "# Body\n\none\ntwo\nthree\nfour\nfive\nsix\n"


async def open_editor(pilot: Pilot[None], app: RosterApp, path: Path) -> EditorScreen:
    await settle(pilot)
    await wait_for(pilot, lambda: app.watcher_ready, what="watcher")
    app.main_screen.agent_tree.reveal(path)
    app.main_screen.agent_tree.focus()
    await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == path)
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="editor")
    editor = app.screen
    assert isinstance(editor, EditorScreen)
    await wait_for(pilot, lambda: editor.loaded, what="editor loaded")
    return editor


def line_of(editor: EditorScreen, text: str) -> int:
    return editor.area.text.splitlines().index(text)


async def conflict_after(
    pilot: Pilot[None], app: RosterApp, path: Path, mine: tuple[str, str], theirs: tuple[str, str]
) -> tuple[EditorScreen, ConflictScreen]:
    """Open `path`, change one line in the editor, another writer changes the file (seen by
    the watcher), then ctrl+s: the conflict dialog."""
    editor = await open_editor(pilot, app, path)
    row = line_of(editor, mine[0])
    editor.area.replace(mine[1], (row, 0), (row, len(mine[0])))
    await wait_for(pilot, lambda: editor.dirty)
    path.write_text(path.read_text().replace(theirs[0], theirs[1]))
    await wait_for(pilot, lambda: editor.disk_changed, what="watcher saw the outside write")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen), what="conflict")
    conflict = app.screen
    assert isinstance(conflict, ConflictScreen)
    await pilot.pause()
    return editor, conflict


def footer_keys(app: RosterApp) -> set[str]:
    return {b.binding.id or "" for b in app.screen.active_bindings.values() if b.enabled}


async def test_merge_is_offered_shown_then_written(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "alpha", body=BODY)
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        editor, conflict = await conflict_after(
            pilot, app, path, mine=("one", "ONE (mine)"), theirs=("six", "SIX (theirs)")
        )
        merge = conflict.query_one("#conflict-merge", Button)
        assert not merge.disabled
        assert "do not overlap" in plain(conflict.query_one("#conflict-merge-state"))
        assert {"conflict.mine", "conflict.disk", "conflict.merge", "conflict.back"} <= (
            footer_keys(app)
        )
        assert "conflict.new" not in footer_keys(app)  # not this variant's key
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, MergeViewScreen), what="merge view")
        view = app.screen
        assert isinstance(view, MergeViewScreen)
        # Shown before written: the diff against the disk adds mine, the disk is untouched.
        assert "+ONE (mine)" in view.diff_text and "-one" in view.diff_text
        assert "SIX" not in view.diff_text.replace(" SIX (theirs)", "")  # unchanged context
        assert "ONE" not in path.read_text()
        await pilot.press("w")
        await wait_for(pilot, lambda: app.screen is editor, what="back in the editor")
        await wait_for(pilot, lambda: not editor.saving)
        on_disk = path.read_text()
        assert "ONE (mine)" in on_disk and "SIX (theirs)" in on_disk
        assert "\none\n" not in on_disk and "\nsix\n" not in on_disk
        assert editor.area.text == on_disk and not editor.dirty and not editor.disk_changed


async def test_overlapping_changes_disable_merge_with_the_reason(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "alpha", body=BODY)
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        editor, conflict = await conflict_after(
            pilot, app, path, mine=("three", "3"), theirs=("three", "III")
        )
        merge = conflict.query_one("#conflict-merge", Button)
        assert merge.disabled
        row = line_of(editor, "3") + 1
        state = plain(conflict.query_one("#conflict-merge-state"))
        assert "not possible" in state and f"line {row}" in state
        assert "conflict.merge" not in footer_keys(app)
        await pilot.press("g")
        await pilot.pause()
        assert app.screen is conflict  # nothing happens
        await pilot.press("b")
        await wait_for(pilot, lambda: app.screen is editor)
        assert "III" in path.read_text() and editor.dirty


async def test_deleted_variant_footer_offers_only_its_keys(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "alpha", body=BODY)
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, app, path)
        editor.area.insert("more\n", editor.area.document.end)
        path.unlink()
        await wait_for(pilot, lambda: editor.disk_deleted, what="watcher saw the delete")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.pause()
        keys = footer_keys(app)
        assert "conflict.new" in keys and "conflict.back" in keys
        assert not keys & {"conflict.mine", "conflict.disk", "conflict.merge"}


async def test_no_toast_over_the_conflict_dialog(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "alpha", body=BODY)
    other = write_agent(tmp_root.path, "beta")
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor, conflict = await conflict_after(
            pilot, app, path, mine=("one", "ONE"), theirs=("six", "SIX")
        )
        # Another agent changes on disk while the dialog is open: the app's "On disk" notice.
        other.write_text(other.read_text().replace("An agent", "A changed agent"))
        await wait_for(
            pilot,
            lambda: any("beta" in n.message for n in conflict.held),
            what="notice held by the dialog",
        )
        await pilot.pause()
        # Not a toast while the dialog is open (the dialog's own toast layer is hidden too).
        assert not any("beta" in n.message for n in app._notifications)
        rack = conflict.query_one("#textual-toastrack")
        assert rack.styles.visibility == "hidden"
        held = plain(conflict.query_one("#held-notices"))
        assert held.startswith("Meanwhile:") and "beta" in held
        await pilot.press("b")
        await wait_for(pilot, lambda: app.screen is editor)
        # It waited: shown now, over the editor.
        await wait_for(pilot, lambda: any("beta" in n.message for n in app._notifications))
        await pilot.pause()
        await wait_for(pilot, lambda: any("beta" in str(t.render()) for t in editor.query(Toast)))
