"""New (`n`), duplicate (`d`), rename (`R`/F2), delete (`Del`/`x`) and restore from the palette,
driven through the real app on real files. No sleeps: every wait polls a condition."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tui.app.app import RosterApp
from tui.core import storage
from tui.core.roots import Root
from tui.core.storage import list_trash
from tui.screens.confirm import ConfirmScreen
from tui.screens.editor import EditorScreen
from tui.screens.new_agent import NewAgentScreen
from tui.screens.rename import NameScreen


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("ROSTER_DATA_DIR", str(path))
    return path


@pytest.fixture
def two(tmp_root: Root) -> Root:
    write_agent(tmp_root.path, "alpha", extra="level: L2\ndomain: backend\n")
    write_agent(tmp_root.path, "beta", extra="level: L3\ndomain: testing\n")
    return tmp_root


def messages(app: RosterApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def text_of(screen: object, wid: str) -> str:
    from textual.screen import Screen

    assert isinstance(screen, Screen)
    return str(screen.query_one(wid, Static).render())


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Folders added to the list become read-only. chmod is enough for ordinary users; root
    ignores it, so for root the calls that would fail are made to fail the same way."""
    folders: list[Path] = []
    if os.geteuid() == 0:
        real_access, real_mkstemp, real_unlink = os.access, storage.tempfile.mkstemp, Path.unlink

        def locked(p: object) -> bool:
            return any(Path(str(p)).resolve() == f.resolve() for f in folders)

        def access(p: object, mode: int, **kw: object) -> bool:
            if locked(p) and mode & os.W_OK:
                return False
            return real_access(p, mode)  # type: ignore[arg-type]

        def mkstemp(*args: object, dir: str | Path | None = None, **kw: object) -> object:
            if dir is not None and locked(dir):
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_mkstemp(*args, dir=dir, **kw)  # type: ignore[call-overload]

        def unlink(self: Path, missing_ok: bool = False) -> None:
            if locked(self.parent):
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            real_unlink(self, missing_ok=missing_ok)

        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(storage.tempfile, "mkstemp", mkstemp)
        monkeypatch.setattr(Path, "unlink", unlink)
    yield folders
    for f in folders:
        f.chmod(0o755)


def lock(folders: list[Path], folder: Path) -> None:
    folder.chmod(0o555)
    folders.append(folder)


async def highlight(pilot: Pilot[None], app: RosterApp, path: Path) -> None:
    app.main_screen.agent_tree.reveal(path)
    app.main_screen.agent_tree.focus()
    await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == path)


# ---- new -----------------------------------------------------------------------------------


async def open_new(pilot: Pilot[None], app: RosterApp) -> NewAgentScreen:
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, NewAgentScreen), what="new dialog")
    screen = app.screen
    assert isinstance(screen, NewAgentScreen)
    return screen


async def submit_new(pilot: Pilot[None], screen: NewAgentScreen, name: str) -> None:
    screen.query_one("#new-name", Input).value = name
    screen.query_one("#new-description", Input).value = "Reviews API changes"
    screen.query_one("#new-name", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_n_creates_from_the_template_opens_the_editor_and_lists_it(
    two: Root, data: Path
) -> None:
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, app, two.path / "alpha.md")
        screen = await open_new(pilot, app)
        # the highlighted agent's level and domain are the starting point
        assert screen.query_one("#new-level", Select).value == "L2"
        assert screen.query_one("#new-domain", Input).value == "backend"
        await submit_new(pilot, screen, "api-reviewer")
        path = two.path / "api-reviewer.md"
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="editor")
        editor = app.screen
        assert isinstance(editor, EditorScreen) and editor.path == path
        await wait_for(pilot, lambda: editor.loaded)
        assert "## Completion Report" in editor.area.text and not editor.dirty
        assert app.catalog is not None and app.catalog.get(path) is not None
        assert any("Created api-reviewer.md" in m for m in messages(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main_screen)
        await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == path)
        assert app.main_screen.browse.chains[path] == ("level:L2", "level:L2/domain:backend")


@pytest.mark.parametrize(
    ("name", "why"),
    [("bad:name", "`:`"), ("-dash", "`-`"), ("alpha", "already exists"), ("Alpha", "already")],
)
async def test_n_refuses_invalid_and_taken_names_in_the_form(
    two: Root, data: Path, name: str, why: str
) -> None:
    # "Alpha" is a new name but its file alpha.md is taken
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_new(pilot, app)
        await submit_new(pilot, screen, name)
        assert why in text_of(screen, "#new-error")
        assert app.screen is screen  # still open, nothing typed is lost
        assert screen.query_one("#new-description", Input).value == "Reviews API changes"
    assert sorted(p.name for p in two.path.iterdir()) == ["alpha.md", "beta.md"]


async def test_n_into_a_read_only_folder_says_so_and_keeps_the_form(
    two: Root, data: Path, read_only: list[Path]
) -> None:
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_new(pilot, app)
        lock(read_only, two.path)
        await submit_new(pilot, screen, "api-reviewer")
        error = text_of(screen, "#new-error")
        assert "api-reviewer.md" in error and "read-only" in error
        assert app.screen is screen
        assert screen.query_one("#new-name", Input).value == "api-reviewer"
    assert not (two.path / "api-reviewer.md").exists()


# ---- duplicate -----------------------------------------------------------------------------


async def open_name(pilot: Pilot[None], app: RosterApp, key: str) -> NameScreen:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, NameScreen), what="name dialog")
    screen = app.screen
    assert isinstance(screen, NameScreen)
    return screen


async def test_d_duplicates_and_highlights_the_copy(two: Root, data: Path) -> None:
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, app, two.path / "alpha.md")
        screen = await open_name(pilot, app, "d")
        assert screen.query_one("#name-input", Input).value == "alpha-copy"
        await pilot.press("enter")
        copy = two.path / "alpha-copy.md"
        await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == copy)
        assert "name: alpha-copy" in copy.read_text()
        assert "name: alpha\n" in (two.path / "alpha.md").read_text()
        assert any("Duplicated alpha as alpha-copy" in m for m in messages(app))


@pytest.mark.parametrize(
    ("name", "why"), [("beta", "already exists"), ("a:b", "`:`"), ("-x", "`-`")]
)
async def test_d_refuses_collisions_and_invalid_names(
    two: Root, data: Path, name: str, why: str
) -> None:
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, app, two.path / "alpha.md")
        screen = await open_name(pilot, app, "d")
        screen.query_one("#name-input", Input).value = name
        await pilot.press("enter")
        await pilot.pause()
        assert why in text_of(screen, "#name-error") and app.screen is screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main_screen)
    assert sorted(p.name for p in two.path.iterdir()) == ["alpha.md", "beta.md"]


async def test_d_into_a_read_only_folder_is_a_message_not_a_crash(
    two: Root, data: Path, read_only: list[Path]
) -> None:
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, app, two.path / "alpha.md")
        await open_name(pilot, app, "d")
        lock(read_only, two.path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("read-only" in m for m in messages(app)))
        assert any("alpha-copy.md" in m for m in messages(app))
        assert app.screen is app.main_screen
    assert not (two.path / "alpha-copy.md").exists()


# ---- rename --------------------------------------------------------------------------------


async def test_R_renames_the_agent_and_its_file(two: Root, data: Path) -> None:
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, app, two.path / "alpha.md")
        screen = await open_name(pilot, app, "R")
        screen.query_one("#name-input", Input).value = "gamma"
        await pilot.press("enter")
        moved = two.path / "gamma.md"
        await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == moved)
        assert not (two.path / "alpha.md").exists()
        assert "name: gamma" in moved.read_text()
        assert app.catalog is not None and app.catalog.get(two.path / "alpha.md") is None
        assert any("alpha.md → gamma.md" in m for m in messages(app))


async def test_f2_renames_in_place_when_asked(two: Root, data: Path) -> None:
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        path = two.path / "alpha.md"
        await highlight(pilot, app, path)
        screen = await open_name(pilot, app, "f2")
        screen.query_one("#name-rename-file", Checkbox).value = False
        screen.query_one("#name-input", Input).value = "gamma"
        screen.query_one("#name-input", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is app.main_screen)
        await wait_for(
            pilot,
            lambda: (
                app.catalog is not None
                and (d := app.catalog.get(path)) is not None
                and d.name == "gamma"
            ),
        )
        assert "name: gamma" in path.read_text() and not (two.path / "gamma.md").exists()
        assert app.main_screen.agent_tree.highlighted_path == path


@pytest.mark.parametrize(
    ("name", "why"), [("beta", "already exists"), ("x:y", "`:`"), ("-y", "`-`")]
)
async def test_R_refuses_collisions_and_invalid_names(
    two: Root, data: Path, name: str, why: str
) -> None:
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, app, two.path / "alpha.md")
        screen = await open_name(pilot, app, "R")
        screen.query_one("#name-input", Input).value = name
        await pilot.press("enter")
        await pilot.pause()
        assert why in text_of(screen, "#name-error") and app.screen is screen
    assert "name: alpha\n" in (two.path / "alpha.md").read_text()


async def test_R_in_a_read_only_folder_keeps_the_file(
    two: Root, data: Path, read_only: list[Path]
) -> None:
    app = app_for(two)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await highlight(pilot, app, two.path / "alpha.md")
        screen = await open_name(pilot, app, "R")
        screen.query_one("#name-input", Input).value = "gamma"
        lock(read_only, two.path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("read-only" in m for m in messages(app)))
        assert any("gamma.md" in m for m in messages(app))
    assert "name: alpha\n" in (two.path / "alpha.md").read_text()
    assert not (two.path / "gamma.md").exists()


# ---- delete and restore --------------------------------------------------------------------


async def delete(pilot: Pilot[None], app: RosterApp, path: Path, key: str = "delete") -> None:
    await highlight(pilot, app, path)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
    assert path.name in text_of(app.screen, "#confirm-message")


async def restore_from_palette(pilot: Pilot[None], app: RosterApp, name: str) -> None:
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
    await pilot.press(*f"restore {name}")
    palette = app.screen

    def offered() -> bool:
        from textual.command import CommandList

        found = palette.query(CommandList)
        return bool(found) and any(
            "Restore from trash" in str(found.first().get_option_at_index(i).prompt)
            for i in range(found.first().option_count)
        )

    await wait_for(pilot, offered, what="restore command")
    await pilot.press("down", "enter")
    await wait_for(pilot, lambda: app.screen is app.main_screen, what="palette closed")


async def test_delete_moves_to_trash_and_the_palette_restores_it(two: Root, data: Path) -> None:
    app = app_for(two)
    path = two.path / "alpha.md"
    original = path.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await delete(pilot, app, path)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.catalog is not None and app.catalog.get(path) is None)
        assert not path.exists()
        assert [e.original for e in list_trash(data)] == [path]
        assert path not in app.main_screen.agent_tree.visible_paths()
        assert any("trash" in m and "Restore from trash: alpha" in m for m in messages(app))

        await restore_from_palette(pilot, app, "alpha")
        await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == path)
        assert path.read_bytes() == original and list_trash(data) == []
        assert any(f"Restored alpha.md to {two.path}" in m for m in messages(app))


async def test_x_then_no_keeps_the_file(two: Root, data: Path) -> None:
    app = app_for(two)
    path = two.path / "beta.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await delete(pilot, app, path, key="x")
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is app.main_screen)
        assert path.exists() and list_trash(data) == []
        assert app.main_screen.agent_tree.highlighted_path == path


async def test_delete_in_a_read_only_folder_leaves_file_and_trash_alone(
    two: Root, data: Path, read_only: list[Path]
) -> None:
    app = app_for(two)
    path = two.path / "alpha.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await delete(pilot, app, path)
        lock(read_only, two.path)
        await pilot.press("y")
        await wait_for(pilot, lambda: any("read-only" in m for m in messages(app)))
        note = next(m for m in messages(app) if "read-only" in m)
        assert str(path) in note and "writable" in note
        assert path.exists() and list_trash(data) == []
        assert app.catalog is not None and app.catalog.get(path) is not None


async def test_restore_beside_a_file_that_took_the_name(two: Root, data: Path) -> None:
    app = app_for(two)
    path = two.path / "alpha.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await delete(pilot, app, path)
        await pilot.press("y")
        await wait_for(pilot, lambda: not path.exists())
        write_agent(two.path, "alpha", description="a new alpha took the file")
        await restore_from_palette(pilot, app, "alpha")
        beside = two.path / "alpha.restored-1.md"
        await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == beside)
        assert "new alpha" in path.read_text() and "new alpha" not in beside.read_text()
        assert any("alpha.restored-1.md" in m and "taken" in m for m in messages(app))


async def test_restore_into_a_read_only_folder_keeps_it_in_the_trash(
    two: Root, data: Path, read_only: list[Path]
) -> None:
    app = app_for(two)
    path = two.path / "alpha.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await delete(pilot, app, path)
        await pilot.press("y")
        await wait_for(pilot, lambda: not path.exists())
        lock(read_only, two.path)
        await restore_from_palette(pilot, app, "alpha")
        await wait_for(pilot, lambda: any("cannot restore" in m for m in messages(app)))
        assert any("read-only" in m and "stays in the trash" in m for m in messages(app))
        assert not path.exists() and len(list_trash(data)) == 1
