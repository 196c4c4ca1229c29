"""Helpers for driving the real app: explicit roots, no sleeps (poll with pilot.pause())."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerState

from tests.fakeapi import FakeAPI
from tui.app.app import RosterApp, make_app
from tui.config import Settings
from tui.core.roots import Root, RootKind, bundled_agents_dir

SIZE = (120, 36)


def bundled_root() -> Root:
    path = bundled_agents_dir()
    assert path is not None
    return Root(path, RootKind.BUNDLED, 9)


def app_for(*roots: Root, watch: bool = False) -> RosterApp:
    # scan_workers=1: no forked processes inside the test run
    return make_app(roots=list(roots), settings=Settings(), watch=watch, scan_workers=1)


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], object], *, timeout: float = 8.0, what: str = ""
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause()


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


@pytest.fixture(autouse=True)
def _no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def tmp_root(tmp_path: Path) -> Root:
    path = tmp_path / "agents"
    path.mkdir()
    return Root(path, RootKind.EXTRA, 2)


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAPI]:
    """The loopback fake Messages API, with the app's environment pointed at it."""
    with FakeAPI() as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
        yield server
