"""A definition's file name and text are untrusted: the editor's title and its dialogs (conflict,
unsaved changes, confirm) show their control characters as escapes, never raw (a file named
`b<ESC>]0;HACK<BEL>.md` retitled the terminal; a disk version with `<ESC>[41m` painted the
conflict dialog)."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from tests.helpers.app import plain
from tests.helpers.editor import AGENT, Host, loaded, until
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflict import ConflictScreen
from tui.screens.unsaved import UnsavedScreen

RAW = ("\x1b", "\x07", "\x9b")
NAME = "b\x1b]0;HACK\x07.md"


def raw_lines(widget: Widget) -> list[str]:
    """Rendered lines of `widget` that carry a control character a terminal would act on."""
    width, height = widget.size
    bad: list[str] = []
    for strip in widget.render_lines(Region(0, 0, width, height)):
        text = "".join(segment.text for segment in strip)
        if any(ch in text for ch in RAW):
            bad.append(text)
    return bad


def raw_in_dialog(screen: Widget) -> list[str]:
    bad = [line for w in screen.query(Static) for line in raw_lines(w)]
    title = str(screen.query_one("Vertical").border_title or "")
    if any(ch in title for ch in RAW):
        bad.append(title)
    return bad


async def test_conflict_and_unsaved_dialogs_show_escapes_from_name_and_disk(
    tmp_path: Path,
) -> None:
    path = tmp_path / NAME
    path.write_text(AGENT, encoding="utf-8")
    app = Host(path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        assert not any(ch in str(editor.title) for ch in RAW), editor.title
        editor.area.insert("mine ", (11, 0))
        path.write_text(AGENT.replace("Review the diff.", "Review \x1b[41mRED\x1b]0;PWN\x07."))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.pause()
        conflict = app.screen
        assert raw_in_dialog(conflict) == []
        assert "\\x1b[41m" in plain(conflict.query_one("#conflict-diff-text", Static))
        await pilot.press("escape")  # back to editing
        await until(pilot, lambda: not isinstance(app.screen, ConflictScreen))
        await pilot.press("escape")  # leave: unsaved changes
        await until(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.pause()
        assert raw_in_dialog(app.screen) == []


async def test_confirm_dialog_shows_escapes(tmp_path: Path) -> None:
    path = tmp_path / "utf16.md"
    path.write_bytes(AGENT.encode("utf-16"))
    app = Host(path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot, app)
        app.push_screen(ConfirmScreen("file \x1b[2J.md?", title="T\x1b]0;x\x07"))
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause()
        assert raw_in_dialog(app.screen) == []


async def test_a_toast_up_before_the_conflict_dialog_opens_does_not_cover_it(
    tmp_path: Path,
) -> None:
    """The usual flow: the disk changes (the editor says so in a toast), the user presses
    ctrl+s at once: the toast was drawn over the dialog's buttons. It now waits and comes back
    when the dialog closes."""
    from textual.widgets._toast import Toast

    path = tmp_path / "a.md"
    path.write_text(AGENT, encoding="utf-8")
    app = Host(path, tmp_path)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        editor = await loaded(pilot, app)
        editor.area.insert("mine ", (11, 0))
        app.notify("earlier notice", timeout=30)
        await until(pilot, lambda: bool(editor.query(Toast)))
        path.write_text(AGENT.replace("Review the diff.", "Review it."), encoding="utf-8")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.pause()
        assert not any(
            t.region.overlaps(app.screen.query_one("Vertical").region)
            for s in app.screen_stack
            for t in s.query(Toast)
            if t.display
        )
        assert not list(app._notifications)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is editor)
        await until(pilot, lambda: any("earlier" in n.message for n in app._notifications))


async def test_read_only_banner_shows_escapes_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_text(AGENT, encoding="utf-8")
    path.chmod(0o444)
    app = Host(path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        banner = editor.query_one("#editor-banner", Static)
        await until(pilot, lambda: "read-only" in plain(banner))
        await pilot.pause()
        assert not any(ch in plain(banner) for ch in RAW) and raw_lines(banner) == []


async def test_disk_changing_again_while_the_merge_view_is_open_is_not_overwritten(
    tmp_path: Path,
) -> None:
    """Merge shown, then another writer saves again before `w`: the merged text (built on the
    older disk version) is not written over the newer one; the conflict view comes back."""
    from tui.screens.merge_view import MergeViewScreen

    path = tmp_path / "a.md"
    path.write_text(AGENT, encoding="utf-8")
    app = Host(path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        editor.area.insert("mine ", (11, 0))
        path.write_text(AGENT.replace("Review the diff.", "Review it."), encoding="utf-8")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        first = app.screen
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, MergeViewScreen))
        newer = AGENT.replace("Review the diff.", "Review it twice.")
        path.write_text(newer, encoding="utf-8")
        await pilot.press("w")
        await until(
            pilot, lambda: isinstance(app.screen, ConflictScreen) and app.screen is not first
        )
        assert path.read_text(encoding="utf-8") == newer
        assert not app.saved
