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
from textual.widgets import Static
from textual.worker import WorkerState

from tui.app.app import RosterApp, make_app
from tui.config import Settings
from tui.core.roots import Root, RootKind, bundled_agents_dir

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
