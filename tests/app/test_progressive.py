"""The first scan of a big catalog fills the tree in steps, with "Reading n / N…" in the status
line, and ends in exactly the tree a one-step load gives; small catalogs arrive in one go."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual import events
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Static

from tests.helpers.app import SIZE, bundled_root, settle, wait_for
from tui.app.app import RosterApp, make_app
from tui.config import Settings
from tui.core.roots import Root, RootKind
from tui.screens.messages import ScanProgress
from tui.widgets.agent_tree import AgentTree, GroupData

N = 3000
DOMAINS = ("backend", "frontend", "data", "docs", "security")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Root, Root]:
    """N generated definitions (some leveled, some broken, one shadowed) in two roots."""
    base = tmp_path_factory.mktemp("big")
    high, low = base / "high", base / "low"
    for i in range(N):
        folder = low / f"team-{i % 12:02d}" / DOMAINS[i % len(DOMAINS)]
        folder.mkdir(parents=True, exist_ok=True)
        level = f"level: L{i % 4}\n" if i % 3 else ""
        text = f"---\nname: agent-{i:04d}\ndescription: Agent {i}\n{level}---\n\nBody {i}.\n"
        if i % 47 == 0:  # 64 broken files: "Not agents" opens while few, then closes
            text = f"no frontmatter {i}\n"
        (folder / f"agent-{i:04d}.md").write_text(text, encoding="utf-8")
    high.mkdir()
    (high / "agent-0001.md").write_text("---\nname: agent-0001\ndescription: wins\n---\nB\n")
    return Root(high, RootKind.PROJECT, 0), Root(low, RootKind.EXTRA, 1)


def app_with(roots: tuple[Root, Root], batch: int) -> RosterApp:
    return make_app(
        roots=list(roots), settings=Settings(), watch=False, scan_workers=1, scan_batch=batch
    )


def status(app: RosterApp) -> str:
    return str(app.main_screen.query_one("#status", Static).content)


def picture(tree: AgentTree) -> list[tuple[int, str, bool]]:
    """Every line of the tree: depth, label, expanded."""
    return [
        (len(line.path), str(line.node.label), line.node.is_expanded) for line in tree._tree_lines
    ]


async def fill(pilot: Pilot[None], timeout: float = 60.0) -> tuple[list[int], list[str]]:
    """Poll until the scan lands: the row counts and status lines seen on the way. (Polls with
    a short sleep: pause() waits for the CPU to go idle, which the scan thread prevents, and a
    bare yield in a tight loop starves that thread of the GIL — its first imports then take
    tens of seconds.)"""
    app = pilot.app
    assert isinstance(app, RosterApp)
    counts: list[int] = []
    statuses: list[str] = []
    deadline = time.monotonic() + timeout
    while not app.loaded:
        counts.append(len(app.main_screen.browse.rows))
        statuses.append(status(app))
        assert time.monotonic() < deadline, "the scan did not land"
        await asyncio.sleep(0.002)
    return counts, statuses


async def test_big_catalog_fills_in_steps_and_ends_like_a_one_step_load(
    big: tuple[Root, Root],
) -> None:
    app = app_with(big, 150)
    async with app.run_test(size=SIZE) as pilot:
        counts, statuses = await fill(pilot)
        await settle(pilot)
        partial = sorted({c for c in counts if 0 < c < N + 1})
        assert len(partial) >= 2, counts  # the tree grew in more than one step
        reading = [s for s in statuses if s.startswith("Reading ")]
        assert reading and reading[0].endswith(f" / {N + 1:,}…"), statuses
        stepped = picture(app.main_screen.agent_tree)
        stepped_cursor = app.main_screen.agent_tree.highlighted_path
        stepped_line = app.main_screen.agent_tree.cursor_line
        stepped_status = status(app)
        assert not stepped_status.startswith("Reading")
        # rows shown while filling knew nothing of shadowing; the full load does
        low_twin = big[1].path / "team-01" / "frontend" / "agent-0001.md"
        assert app.main_screen.browse.rows[low_twin].shadowed_by == "agent-0001.md (project)"

    one_step = app_with(big, 10 * N)
    async with one_step.run_test(size=SIZE) as pilot:
        counts, _statuses = await fill(pilot)
        await settle(pilot)
        assert set(counts) <= {0, N + 1}  # empty, then everything
        assert picture(one_step.main_screen.agent_tree) == stepped
        assert one_step.main_screen.agent_tree.highlighted_path == stepped_cursor
        assert one_step.main_screen.agent_tree.cursor_line == stepped_line
        assert status(one_step) == stepped_status


def until(pilot: Pilot[None], condition: Callable[[], object], what: str) -> Awaitable[None]:
    # not pause(): the scan thread keeps the CPU from idling
    return wait_for(pilot, condition, timeout=60, what=what, sleep=0.002)


async def test_the_row_and_group_you_choose_while_it_fills_stay(big: tuple[Root, Root]) -> None:
    app = app_with(big, 100)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        tree = screen.agent_tree
        await until(pilot, lambda: screen.browse.rows or app.loaded, "the first rows")
        if app.loaded:
            pytest.skip("the scan finished before the first step could be used")
        assert tree.cursor_node is None  # no cursor while it fills, until you move it
        for _ in range(2):
            app.post_message(events.Key("down", None))
        # the second row is a domain group; the next step may push it down the tree before this
        # poll sees line 1, so wait for the group itself (watching the line number was a race)
        await until(
            pilot,
            lambda: (
                tree.cursor_node is not None
                and isinstance(tree.cursor_node.data, GroupData)
                and "/domain:" in tree.cursor_node.data.key
            ),
            "the cursor on the second line",
        )
        node = tree.cursor_node
        assert node is not None and isinstance(node.data, GroupData)
        key = node.data.key  # a domain group: a big catalog opens only the levels
        app.post_message(events.Key("space", " "))
        await until(pilot, lambda: node.is_expanded, "the group to open")
        await fill(pilot)
        await settle(pilot)
        cursor = tree.cursor_node
        assert cursor is not None and isinstance(cursor.data, GroupData)
        assert cursor.data.key == key
        group = tree.group_node(key)
        assert group is not None and group.is_expanded


async def test_forked_scan_in_the_app_fills_and_lands(big: tuple[Root, Root]) -> None:
    """The default path on a multi-core machine: children forked from the scan thread."""
    tasks = Path("/proc/self/task")

    def children() -> set[str]:
        return {c for t in tasks.glob("*/children") for c in t.read_text().split()}

    before = children()  # (e.g. the Bash jobs' watchdog an earlier session test left running)
    app = make_app(roots=list(big), settings=Settings(), watch=False, scan_workers=2)
    async with app.run_test(size=SIZE) as pilot:
        await fill(pilot)
        await settle(pilot)
        assert len(app.main_screen.browse.rows) == N + 1
        assert app.catalog is not None and len(app.catalog) == N + 1
        assert not status(app).startswith("Reading")
    assert children() <= before  # every scan child reaped


async def test_small_catalog_arrives_in_one_go() -> None:
    messages: list[Message] = []
    app = make_app(roots=[bundled_root()], settings=Settings(), watch=False, scan_workers=1)
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        counts, statuses = await fill(pilot)
        await settle(pilot)
        total = len(app.main_screen.browse.rows)
        assert total >= 20
        assert set(counts) <= {0, total}
        assert not any(s.startswith("Reading") for s in statuses)
        assert not any(isinstance(m, ScanProgress) for m in messages)
