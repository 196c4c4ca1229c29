"""New agent / rename / duplicate dialogs in a tiny host app, plus the writes they lead to."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select, Static

from tests.helpers.app import wait_for
from tui.core.editing import duplicate_agent, rename_agent
from tui.core.parse import parse_file
from tui.core.storage import StorageError
from tui.screens.new_agent import NewAgentRequest, NewAgentScreen, create_agent
from tui.screens.rename import NameChoice, NameScreen


class Host(App[None]):
    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self._dialog = screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self._dialog, self.results.append)


def until(pilot: Pilot[None], cond: Callable[[], object], timeout: float = 5.0) -> Awaitable[None]:
    return wait_for(pilot, cond, timeout=timeout, delay=0.01)


def error_text(screen: Screen[Any], wid: str) -> str:
    return str(screen.query_one(wid, Static).render())


async def fill_new(pilot: Pilot[None], screen: NewAgentScreen, name: str) -> None:
    screen.query_one("#new-name", Input).value = name
    screen.query_one("#new-description", Input).value = "Reviews API changes"
    screen.query_one("#new-name", Input).focus()
    await pilot.press("enter")


@pytest.mark.parametrize(("name", "why"), [("a:b", "`:`"), ("-x", "`-`"), ("", "missing")])
async def test_new_agent_refuses_invalid_names(tmp_path: Path, name: str, why: str) -> None:
    screen = NewAgentScreen([tmp_path])
    app = Host(screen)
    async with app.run_test(size=(120, 50)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        await fill_new(pilot, screen, name)
        assert why in error_text(screen, "#new-error")
        assert app.screen is screen and not app.results
    assert list(tmp_path.iterdir()) == []


async def test_new_agent_refuses_collisions(tmp_path: Path) -> None:
    (tmp_path / "api-reviewer.md").write_text("taken")
    screen = NewAgentScreen([tmp_path], taken=frozenset({"used-name"}))
    app = Host(screen)
    async with app.run_test(size=(120, 50)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        await fill_new(pilot, screen, "api-reviewer")
        assert "already exists" in error_text(screen, "#new-error")
        await fill_new(pilot, screen, "used-name")
        assert "already exists" in error_text(screen, "#new-error")
        assert not app.results


async def test_new_agent_writes_a_valid_l2_file(tmp_path: Path) -> None:
    other = tmp_path / "other"
    screen = NewAgentScreen([tmp_path, other], level="L2", domain="backend")
    app = Host(screen)
    async with app.run_test(size=(120, 50)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        screen.query_one("#new-tools", Input).value = "Read, Grep"
        screen.query_one("#new-model", Select).value = "sonnet"
        screen.query_one("#new-root", Select).value = str(other)
        await fill_new(pilot, screen, "api-reviewer")
        await until(pilot, lambda: bool(app.results))
    request = app.results[0]
    assert isinstance(request, NewAgentRequest)
    assert request.path == other / "api-reviewer.md"
    path = create_agent(request)
    defn = parse_file(path, other)
    assert defn.name == "api-reviewer" and defn.level == "L2" and defn.domain == "backend"
    assert defn.tools == ("Read", "Grep") and defn.model == "sonnet"
    assert not defn.has_errors and defn.loads_in_claude_code
    body = path.read_text()
    assert "## Quality Checks" in body and "## Completion Report" in body
    with pytest.raises(StorageError, match="already exists"):
        create_agent(request)


AGENT = "---\nname: old-name\n# keep this comment\ndescription: Does things\n---\n\nBody\n"


@pytest.mark.parametrize("mode", ["rename", "duplicate"])
@pytest.mark.parametrize(("name", "why"), [("a:b", "`:`"), ("-x", "`-`")])
async def test_name_dialog_refuses_invalid_names(
    tmp_path: Path, mode: Any, name: str, why: str
) -> None:
    path = tmp_path / "old-name.md"
    path.write_text(AGENT)
    screen = NameScreen(mode, path, "old-name")
    app = Host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        screen.query_one("#name-input", Input).value = name
        await pilot.press("enter")
        assert why in error_text(screen, "#name-error") and not app.results


@pytest.mark.parametrize("mode", ["rename", "duplicate"])
async def test_name_dialog_refuses_collisions(tmp_path: Path, mode: Any) -> None:
    path = tmp_path / "old-name.md"
    path.write_text(AGENT)
    (tmp_path / "new-name.md").write_text(AGENT.replace("old-name", "new-name"))
    screen = NameScreen(mode, path, "old-name", taken=frozenset({"other-agent"}))
    app = Host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        screen.query_one("#name-input", Input).value = "new-name"
        await pilot.press("enter")
        assert "already exists" in error_text(screen, "#name-error")
        screen.query_one("#name-input", Input).value = "other-agent"
        await pilot.press("enter")
        assert "already exists" in error_text(screen, "#name-error") and not app.results
    with pytest.raises(StorageError, match="already exists"):
        if mode == "rename":
            rename_agent(path, "new-name", rename_file=True)
        else:
            duplicate_agent(path, "new-name")
    assert path.read_text() == AGENT


async def test_rename_in_place_and_with_file(tmp_path: Path) -> None:
    path = tmp_path / "old-name.md"
    path.write_text(AGENT)
    screen = NameScreen("rename", path, "old-name")
    app = Host(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen is screen)
        screen.query_one("#name-rename-file", Checkbox).value = False
        screen.query_one("#name-input", Input).value = "new-name"
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.results))
    assert app.results == [NameChoice("new-name", rename_file=False)]
    assert rename_agent(path, "new-name", rename_file=False) == path
    assert path.read_text() == AGENT.replace("name: old-name", "name: new-name")
    moved = rename_agent(path, "Newer Name", rename_file=True)
    assert moved == tmp_path / "newer-name.md" and not path.exists()
    assert moved.read_text() == AGENT.replace("name: old-name", "name: Newer Name")


def test_duplicate_and_invalid_names_in_core(tmp_path: Path) -> None:
    path = tmp_path / "old-name.md"
    path.write_text(AGENT)
    copy = duplicate_agent(path, "copy-agent")
    assert copy == tmp_path / "copy-agent.md" and path.read_text() == AGENT
    assert copy.read_text() == AGENT.replace("name: old-name", "name: copy-agent")
    for bad in ("a:b", "-x"):
        with pytest.raises(StorageError):
            rename_agent(path, bad, rename_file=True)
        with pytest.raises(StorageError):
            duplicate_agent(path, bad)
    latin = tmp_path / "latin.md"
    latin.write_bytes(AGENT.replace("Does", "Fait é").encode("latin-1"))
    with pytest.raises(StorageError, match="not UTF-8"):
        rename_agent(latin, "x-name", rename_file=False)
