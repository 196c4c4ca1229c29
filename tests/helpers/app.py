"""Driving the real app: explicit roots, no sleeps (poll with pilot.pause())."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.worker import WorkerState

from tui.app.app import RosterApp, make_app
from tui.config import Settings
from tui.core.roots import Root, RootKind, bundled_agents_dir
from tui.screens.launch import LaunchScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.session_view import SessionView

SIZE = (120, 36)
# The SVG snapshots were drawn by this Textual; another release draws slightly differently
# (pyproject allows >=8.2,<9), so snapshot tests skip there instead of failing.
SNAPSHOT_TEXTUAL = "8.2.8"
snapshots_match_textual = pytest.mark.skipif(
    version("textual") != SNAPSHOT_TEXTUAL,
    reason=f"snapshots drawn with Textual {SNAPSHOT_TEXTUAL}, installed {version('textual')}",
)


def bundled_root() -> Root:
    path = bundled_agents_dir()
    assert path is not None
    return Root(path, RootKind.BUNDLED, 9)


def app_for(*roots: Root, watch: bool = False) -> RosterApp:
    # scan_workers=1: no forked processes inside the test run
    return make_app(roots=list(roots), settings=Settings(), watch=watch, scan_workers=1)


async def wait_for(
    pilot: Pilot[None],
    condition: Callable[[], object],
    *,
    timeout: float = 8.0,
    what: str = "",
    delay: float | None = None,
    sleep: float | None = None,
) -> None:
    """The one polling helper: let the app run until `condition` holds (fails after `timeout`
    seconds: a bound against hangs, not a timed assertion). Between polls it waits for the app
    to go idle (`pilot.pause(delay)`), or with `sleep` only yields for that long: a scan
    thread keeps the CPU busy, so "idle" would come late."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        if sleep is not None:
            await asyncio.sleep(sleep)
        else:
            await pilot.pause(delay)


async def settle(pilot: Pilot[None]) -> None:
    """Catalog loaded, the tree built and every preview load finished."""
    app = pilot.app
    assert isinstance(app, RosterApp)
    await wait_for(pilot, lambda: app.loaded and app.main_screen.catalog is not None, what="load")
    await pilot.pause()

    def idle() -> bool:  # the watcher runs for the app's lifetime: it never completes
        return not any(
            w.group != "watcher" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for w in app.workers
        )

    await wait_for(pilot, idle, what="workers")
    await pilot.pause()


def write_agent(
    folder: Path,
    name: str,
    *,
    description: str = "An agent for tests",
    extra: str = "",
    body: str = "# Body\n\nDo the work.\n",
    filename: str | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (filename or f"{name}.md")
    path.write_text(
        f"---\nname: {name}\ndescription: {description}\n{extra}---\n\n{body}", encoding="utf-8"
    )
    return path


def card_text(app: RosterApp) -> str:
    """The preview's overview card as plain text."""
    card = app.main_screen.query_one("#card", Static)
    console = Console(width=100, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(card.content)
    return console.export_text()


def plain(widget: object) -> str:
    """The text a Static shows (Rich Text, Syntax or a Group of them)."""
    from rich.console import Group
    from rich.syntax import Syntax
    from rich.text import Text
    from textual.widgets import Static

    assert isinstance(widget, Static)

    def flat(content: object) -> str:
        if isinstance(content, Syntax):
            return content.code
        if isinstance(content, Text):
            return content.plain
        if isinstance(content, Group):
            return "\n".join(flat(r) for r in content.renderables)
        return str(content)

    return flat(widget.content)


def writer_agent(root: Root, name: str = "note-writer") -> Path:
    return write_agent(
        root.path,
        name,
        extra="tools: Read, Write, Bash\nlevel: L2\ndomain: docs\nmodel: sonnet\n",
        body="# Notes\n\nYou write notes.\n\n## Completion Report\n\n"
        "TASK_COMPLETE: {id}\nSTATUS: x\nARTIFACTS: [f]\nSUMMARY: s\n",
    )


async def launch(pilot: Pilot[None], agent: Path, task: str, cwd: Path) -> SessionView:
    app = pilot.app
    assert isinstance(app, RosterApp)
    if not isinstance(app.screen, type(app.main_screen)):
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="main screen")
    app.main_screen.agent_tree.reveal(agent)
    app.main_screen.agent_tree.focus()
    await pilot.pause()
    before = len(app.sessions.sessions)
    await pilot.press("l")
    await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="launch dialog")
    app.screen.query_one("#cwd", Input).value = str(cwd)
    await pilot.press(*task)
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: len(app.sessions.sessions) == before + 1 and isinstance(app.screen, SessionsScreen),
        what="sessions screen",
    )
    screen = app.screen
    assert isinstance(screen, SessionsScreen)
    live = app.sessions.sessions[-1]
    await wait_for(pilot, lambda: screen.view(live.id) is not None, what="session view")
    view = screen.view(live.id)
    assert view is not None
    return view
