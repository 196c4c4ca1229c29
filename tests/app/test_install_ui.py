"""`i` installs from the browser (issue 16 point 2), in a fresh git repository: a dialog with
both destinations, the diff when it would overwrite; `e` on a library agent edits a copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Static

from tests.helpers.app import SIZE, app_for, bundled_root, settle, wait_for
from tui.core.roots import Root, RootKind
from tui.screens.editor import EditorScreen
from tui.screens.install import InstallScreen
from tui.screens.main import MainScreen


@pytest.fixture
def fresh_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "src").mkdir()
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(repo / "src")  # from a subfolder: the repository root's .claude
    monkeypatch.setenv("HOME", str(home))
    return repo


def user_root(repo: Path) -> Root:
    return Root(repo.parent / "home" / ".claude" / "agents", RootKind.USER, 1)


async def test_i_installs_into_a_fresh_repo_and_shows_it(fresh_repo: Path) -> None:
    app = app_for(user_root(fresh_repo), bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        source = app.main_screen.agent_tree.highlighted_path
        assert source is not None
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, InstallScreen), what="dialog")
        dialog = app.screen
        assert isinstance(dialog, InstallScreen)
        target = fresh_repo / ".claude" / "agents" / source.name
        assert str(target) in str(dialog.query_one("#to-project").label)
        assert "A new file" in str(dialog.query_one("#install-state", Static).render())
        await pilot.click("#install-go")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="closed")
        await wait_for(pilot, lambda: target.exists(), what="installed")
        assert target.read_bytes() == source.read_bytes()
        # the new project folder is a root now: the copy shows, highlighted, loaded by CC
        await wait_for(
            pilot, lambda: app.main_screen.agent_tree.highlighted_path == target, what="revealed"
        )
        assert any(r.path == target.parent and r.kind is RootKind.PROJECT for r in app.roots)


async def test_overwrite_shows_the_diff_and_says_overwrite(fresh_repo: Path) -> None:
    app = app_for(user_root(fresh_repo), bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        source = app.main_screen.agent_tree.highlighted_path
        assert source is not None
        target = fresh_repo / ".claude" / "agents" / source.name
        target.parent.mkdir(parents=True)
        target.write_text("---\nname: mine\ndescription: my own\n---\nmine\n", encoding="utf-8")
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, InstallScreen), what="dialog")
        dialog = app.screen
        assert isinstance(dialog, InstallScreen)
        assert str(dialog.query_one("#install-go", Button).label) == "Overwrite"
        diff = dialog.diffs[dialog.scope]
        assert "-description: my own" in diff and "+name:" in diff
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="cancelled")
        assert "my own" in target.read_text(encoding="utf-8")  # nothing written


async def test_e_on_a_library_agent_offers_a_copy_and_edits_it(fresh_repo: Path) -> None:
    app = app_for(user_root(fresh_repo), bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        source = app.main_screen.agent_tree.highlighted_path
        assert source is not None
        before = source.read_bytes()
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, InstallScreen), what="dialog")
        assert app.screen.copy  # type: ignore[attr-defined]
        assert str(app.screen.query_one("#install-go", Button).label) == "Copy and edit"
        await pilot.click("#install-go")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="editor")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert editor.path == fresh_repo / ".claude" / "agents" / source.name
        assert source.read_bytes() == before
