"""The first frame shows the agents: the early scan's rows go into the tree before the screen
is first painted; the watcher then catches what changed meanwhile; a failed child falls back to
the app's own scan. Real files, a real fork, the real app."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

import tui.core.catalog
import tui.core.parse
import tui.core.scan_fork
import tui.core.wire  # (the child runs only code imported before the fork)
from tests.helpers.app import settle, wait_for, write_agent
from tui.app.app import make_app
from tui.config import Settings
from tui.core.early_scan import FIRST_BATCH, EarlyScan
from tui.core.roots import Root, RootKind
from tui.screens.main import MainScreen

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture
def first_frame_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Tree rows present when the main screen is mounted, i.e. before its first paint."""
    seen: list[int] = []
    mounted = MainScreen.on_mount

    def on_mount(self: MainScreen) -> None:
        mounted(self)
        seen.append(len(self.agent_tree.root.children))

    monkeypatch.setattr(MainScreen, "on_mount", on_mount)
    return seen


def _root(tmp_path: Path) -> Root:
    return Root(tmp_path / "agents", RootKind.PROJECT, 0)


def _many(root: Root, n: int) -> None:
    for i in range(n):
        level = ("L1", "L2", "L3")[i % 3]
        write_agent(root.path / f"g{i % 5}", f"agent-{i}", extra=f"level: {level}\n")


async def test_the_first_frame_has_the_rows(tmp_path: Path, first_frame_rows: list[int]) -> None:
    root = _root(tmp_path)
    _many(root, 12)
    early = EarlyScan.start([root])
    app = make_app(roots=[root], settings=Settings(), watch=False, early=early)
    async with app.run_test(size=(120, 36)) as pilot:
        assert first_frame_rows and first_frame_rows[0] > 0, "an empty tree was painted first"
        await settle(pilot)
        assert len(app.catalog or ()) == 12
        assert not [w for w in app.workers if w.group == "scan"], "read the disk twice"
        assert app.early is None, "the child is reaped"


async def test_without_the_early_scan_the_first_frame_is_empty(
    tmp_path: Path, first_frame_rows: list[int]
) -> None:
    """The control: what the test above rules out does happen without the early scan."""
    root = _root(tmp_path)
    _many(root, 12)
    app = make_app(roots=[root], settings=Settings(), watch=False, scan_workers=1)
    async with app.run_test(size=(120, 36)) as pilot:
        assert first_frame_rows == [0]
        await settle(pilot)
        assert len(app.catalog or ()) == 12


async def test_a_big_catalog_shows_its_first_rows_then_fills(
    tmp_path: Path, first_frame_rows: list[int]
) -> None:
    root = _root(tmp_path)
    n = FIRST_BATCH * 2 + 11
    _many(root, n)
    early = EarlyScan.start([root])
    app = make_app(roots=[root], settings=Settings(), watch=False, early=early)
    async with app.run_test(size=(120, 36)) as pilot:
        assert first_frame_rows[0] > 0
        await settle(pilot)
        catalog = app.catalog
        assert catalog is not None and len(catalog) == n
        here = tui.core.catalog.Catalog([root])
        here.scan(workers=1)
        assert catalog.paths() == here.paths()


async def test_changes_made_while_starting_are_caught(tmp_path: Path) -> None:
    root = _root(tmp_path)
    _many(root, 4)
    early = EarlyScan.start([root])
    assert early is not None
    assert early.first(30) is not None  # the child has read the folder as it was
    write_agent(root.path, "late-arrival")
    write_agent(root.path / "g1", "agent-1", description="edited after the scan")
    os.unlink(root.path / "g2" / "agent-2.md")
    app = make_app(roots=[root], settings=Settings(), watch=True, early=early)
    async with app.run_test(size=(120, 36)) as pilot:

        def caught_up() -> bool:
            catalog = app.catalog
            if catalog is None:
                return False
            names = {d.name for d in catalog.agents()}
            edited = catalog.find("agent-1")
            return (
                "late-arrival" in names
                and "agent-2" not in names
                and edited is not None
                and edited.description == "edited after the scan"
            )

        await wait_for(pilot, caught_up, what="the changes made before the watcher ran")


async def test_a_dead_child_falls_back_to_the_apps_own_scan(tmp_path: Path) -> None:
    root = _root(tmp_path)
    _many(root, FIRST_BATCH + 40)
    early = EarlyScan.start([root])
    assert early is not None
    os.kill(early.pid, signal.SIGKILL)
    app = make_app(roots=[root], settings=Settings(), watch=False, early=early)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert len(app.catalog or ()) == FIRST_BATCH + 40


async def test_a_stalled_child_is_stopped_before_the_apps_own_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child sends nothing for STALL_S (stopped, or lost in a huge walk): the app scans
    by itself, and the child is ended first, not left reading the same files beside it."""
    import tui.core.early_scan as early_scan
    from tui.app.catalog_service import CatalogService

    root = _root(tmp_path)
    _many(root, 30)
    early = EarlyScan.start([root])
    assert early is not None
    os.kill(early.pid, signal.SIGSTOP)
    monkeypatch.setattr(early_scan, "STALL_S", 0.3)
    child_alive: list[bool] = []
    scan = CatalogService._read_progressively

    def spy(self: CatalogService, *args: object) -> None:
        try:
            os.waitpid(early.pid, os.WNOHANG)
            child_alive.append(True)
        except ChildProcessError:  # reaped: gone
            child_alive.append(False)
        scan(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(CatalogService, "_read_progressively", spy)
    app = make_app(roots=[root], settings=Settings(), watch=False, early=early)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: app.loaded, what="the app's own scan")
            assert len(app.catalog or ()) == 30
            assert child_alive == [False], "the stalled child still ran beside the scan"
    finally:
        early.close()


async def test_a_quit_asked_before_the_first_frame_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+Q pressed while the screen still mounts (it waits for the early rows) used to end
    in Textual's Header failing; the quit now happens once the first frame is up."""
    root = _root(tmp_path)
    _many(root, 3)
    mounted = MainScreen.on_mount
    asked: list[bool] = []

    def on_mount(self: MainScreen) -> None:
        mounted(self)
        self.app.call_later(self.app.action_quit)  # queued before the first frame
        asked.append(True)

    monkeypatch.setattr(MainScreen, "on_mount", on_mount)
    early = EarlyScan.start([root])
    app = make_app(roots=[root], settings=Settings(), watch=False, early=early)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: not app.is_running, what="the app to quit")
    assert asked and app.return_code in (0, None)


async def test_the_collector_paused_for_startup_runs_again_after_the_first_frame(
    tmp_path: Path,
) -> None:
    """`roster` pauses the garbage collector until the first frame; the app turns it back on
    then, or memory would grow for the whole run."""
    import gc

    from tui.core import startup_gc

    root = _root(tmp_path)
    _many(root, 3)
    startup_gc.pause()
    try:
        app = make_app(roots=[root], settings=Settings(), watch=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            assert gc.isenabled(), "the collector stayed off after the first frame"
            assert not startup_gc.paused()
    finally:
        startup_gc.resume()
        gc.unfreeze()
        gc.enable()


def test_a_heap_freeze_due_before_the_first_frame_ends_the_collector_pause(
    tmp_path: Path,
) -> None:
    """The early scan's whole catalog arms `freeze_heap` FREEZE_DELAY_S after the main screen
    mounts; on a loaded machine the first frame can come later. The freeze then must end the
    startup pause itself: else the first frame's `resume` froze everything made in between,
    garbage included, out of every later collection's reach."""
    import gc
    import weakref

    from tui.core import startup_gc

    class Cycle:
        me: object

    def garbage() -> weakref.ref[Cycle]:
        cycle = Cycle()
        cycle.me = cycle  # only the cycle collector frees it
        return weakref.ref(cycle)

    app = make_app(roots=[_root(tmp_path)], settings=Settings(), watch=False)
    startup_gc.pause()
    try:
        app.freeze_heap()  # the timer fired before the first frame
        after_freeze = garbage()
        startup_gc.resume()  # on_ready
        assert gc.isenabled()
        gc.collect()
        assert after_freeze() is None, "garbage made before the first frame stayed frozen"
    finally:
        startup_gc.resume()
        gc.unfreeze()
        gc.enable()
