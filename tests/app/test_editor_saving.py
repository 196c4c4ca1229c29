"""Issue 17 point 9 and issue 16 point 2, the editor's saving: a Save button in both
unsaved-changes dialogs, ctrl+s converting an unchanged UTF-16 file, a save note naming why
Claude Code would skip the file, a read-only file or folder saved as a copy where Claude Code
reads it, and the F2 form leaving the bytes alone when nothing was typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.helpers.app import SIZE, app_for, settle, wait_for, write_agent
from tests.helpers.editor import AGENT, Host, loaded, until
from tui.core.roots import Root
from tui.screens.confirm import ConfirmScreen
from tui.screens.editor import EditorScreen
from tui.screens.install import InstallScreen
from tui.screens.unsaved import UnsavedScreen


@pytest.fixture
def agent(tmp_path: Path) -> Path:
    root = tmp_path / "agents"
    root.mkdir()
    path = root / "code-reviewer.md"
    path.write_text(AGENT)
    return path


async def test_save_button_when_leaving_saves_then_closes(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        editor.area.insert("Also check tests.\n", editor.area.document.end)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedScreen))
        await pilot.click("#unsaved-save")
        await until(pilot, lambda: editor not in app.screen_stack)
        assert agent.read_text() == AGENT + "Also check tests.\n"
        assert app.saved and app.saved[0].path == agent


async def test_save_and_quit_button_saves_then_quits(tmp_root: Root) -> None:
    path = write_agent(tmp_root.path, "alpha", extra="level: L2\n")
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(path)
        app.main_screen.agent_tree.focus()
        await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == path)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await wait_for(pilot, lambda: editor.loaded)
        editor.area.insert("More.\n", editor.area.document.end)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedScreen), what="quit prompt")
        await pilot.click("#unsaved-save")
        await wait_for(pilot, lambda: app.return_code is not None, what="exit")
    assert path.read_text().endswith("Do the work.\nMore.\n")


async def test_ctrl_s_on_an_unchanged_utf16_file_writes_utf8(tmp_path: Path) -> None:
    path = tmp_path / "wide.md"
    text = AGENT.replace("Reviews code", "Revue du code — été")
    path.write_bytes(text.encode("utf-16"))  # with its BOM
    app = Host(path, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        assert "UTF-16" in str(editor.query_one("#editor-banner").render())
        assert not editor.dirty
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")  # Save as UTF-8
        await until(pilot, lambda: bool(app.saved))
    assert path.read_bytes() == text.encode("utf-8")


async def test_save_note_says_why_claude_code_would_skip_the_file(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        row = editor.area.text.splitlines().index("description: Reviews code for bugs")
        editor.area.delete((row, 0), (row + 1, 0))
        await until(pilot, lambda: editor.dirty)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(app.saved))
        notes = [n for n in app._notifications if n.message.startswith("Saved")]
        assert notes and notes[-1].severity == "warning"
        assert "Claude Code would skip it" in notes[-1].message
        assert "description" in notes[-1].message  # the reason, not just "skipped"
    assert "description:" not in agent.read_text()


@pytest.mark.parametrize("how", ["file", "folder"])
async def test_read_only_says_so_on_open_and_saves_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    monkeypatch.chdir(project)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    library = tmp_path / "library"
    library.mkdir()
    source = library / "code-reviewer.md"
    source.write_text(AGENT)
    if how == "file":
        source.chmod(0o444)
    else:
        library.chmod(0o555)
    try:
        app = Host(source, library)
        async with app.run_test(size=(140, 40)) as pilot:
            editor = await loaded(pilot, app)
            banner = str(editor.query_one("#editor-banner").render())
            assert banner.startswith("read-only: code-reviewer.md")
            assert ("its folder" in banner) == (how == "folder")
            assert "save a copy" in banner.replace("saves a copy", "save a copy")
            editor.area.insert("Mine.\n", editor.area.document.end)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, InstallScreen))
            await pilot.click("#install-go")  # project, the default
            await until(pilot, lambda: bool(app.saved))
            copy = project / ".claude" / "agents" / "code-reviewer.md"
            assert copy.read_text() == AGENT + "Mine.\n"
            assert source.read_text() == AGENT  # the installation is untouched
            assert editor.path == copy and not editor.dirty and app.saved[0].copied
            # Further saves go to the copy.
            editor.area.insert("More.\n", editor.area.document.end)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: len(app.saved) == 2)
            assert copy.read_text().endswith("Mine.\nMore.\n")
    finally:
        library.chmod(0o755)
        source.chmod(0o644)


async def test_read_only_copy_declined_keeps_the_edits(agent: Path) -> None:
    app = Host(agent, agent.parent)
    async with app.run_test(size=(140, 40)) as pilot:
        editor = await loaded(pilot, app)
        agent.chmod(0o444)
        editor.area.insert("EDIT ", (13, 0))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, InstallScreen))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is editor and not editor.saving)
        assert any("read-only" in n.message for n in app._notifications)
        assert "EDIT" in editor.area.text and editor.dirty
        assert agent.read_text() == AGENT
    agent.chmod(0o644)


FORM_AGENT = (
    "---\n"
    "name: 3d-printer\n"
    "description: Use this agent for 3D printing. Knows PLA, PETG and ABS.\n"
    "tools: Read, Grep, Bash(git:*)\n"
    "model: sonnet\n"
    "color: blue\n"
    "level: L2\n"
    "domain: 3d.printing\n"
    "---\n"
    "\n"
    "Print.\n"
)


async def test_form_round_trip_leaves_the_bytes_and_edits_one_line(tmp_path: Path) -> None:
    path = tmp_path / "3d-printer.md"
    path.write_text(FORM_AGENT)
    app = Host(path, tmp_path)
    async with app.run_test(size=(140, 50)) as pilot:
        editor = await loaded(pilot, app)
        await pilot.press("f2")
        name = editor.query_one("#md-name", Input)
        await until(pilot, lambda: name.value == "3d-printer")
        for field in editor.form.query("Input, Select, SelectionList, Checkbox"):
            field.focus()  # through every field of the form, typing nothing
            await pilot.pause()
        editor.area.focus()
        await pilot.pause()
        assert editor.area.text == FORM_AGENT and not editor.dirty
        domain = editor.query_one("#md-domain", Input)
        domain.focus()
        await pilot.press("end", *"-fdm")
        await until(pilot, lambda: "3d.printing-fdm" in editor.area.text)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(app.saved))
    after = path.read_text()
    assert after == FORM_AGENT.replace("domain: 3d.printing\n", "domain: 3d.printing-fdm\n")


async def test_read_only_folder_copy_in_the_real_app_becomes_a_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the real app (real watcher): the copy lands in a new project `.claude/agents`, which
    the app then reads as a root, and the tree shows the copy."""
    from tui.core.roots import RootKind

    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    monkeypatch.chdir(project)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    shared = tmp_path / "shared-agents"
    source = write_agent(shared, "alpha")
    shared.chmod(0o555)
    try:
        app = app_for(Root(shared, RootKind.EXTRA, 2), watch=True)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await wait_for(pilot, lambda: app.watcher_ready, what="watcher")
            app.main_screen.agent_tree.reveal(source)
            app.main_screen.agent_tree.focus()
            await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == source)
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
            editor = app.screen
            assert isinstance(editor, EditorScreen)
            await wait_for(pilot, lambda: editor.loaded)
            assert str(editor.query_one("#editor-banner").render()).startswith("read-only:")
            editor.area.insert("Mine.\n", editor.area.document.end)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, InstallScreen))
            await pilot.click("#install-go")
            copy = project / ".claude" / "agents" / "alpha.md"
            await wait_for(pilot, lambda: copy.exists(), what="the copy")
            catalog = app.main_screen
            await wait_for(
                pilot,
                lambda: catalog.catalog is not None and copy in catalog.catalog,
                what="the copy in the tree",
            )
            assert any(r.path == copy.parent and r.kind is RootKind.PROJECT for r in app.roots)
            assert copy.read_text().endswith("Mine.\n") and "Mine." not in source.read_text()
            assert editor.path == copy and not editor.dirty
    finally:
        shared.chmod(0o755)


async def test_unchanged_utf16_crlf_file_in_the_real_app_becomes_utf8(tmp_root: Root) -> None:
    text = "---\r\nname: wide\r\ndescription: Revue du code — été\r\n---\r\n\r\nBody.\r\n"
    path = tmp_root.path / "wide.md"
    path.write_bytes(text.encode("utf-16"))
    app = app_for(tmp_root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: app.watcher_ready, what="watcher")
        app.main_screen.agent_tree.reveal(path)
        app.main_screen.agent_tree.focus()
        await wait_for(pilot, lambda: app.main_screen.agent_tree.highlighted_path == path)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await wait_for(pilot, lambda: editor.loaded)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: not editor.saving and app.screen is editor)
        await wait_for(pilot, lambda: path.read_bytes() == text.encode("utf-8"), what="UTF-8")
        assert "UTF-16" not in str(editor.query_one("#editor-banner").render())
        assert not editor.disk_changed  # the watcher's echo of our own save is not a change
