"""Grep cannot run away: a catastrophic pattern ends in an error, cancel works, -C is linear."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    return ToolContext.for_dir(workdir)


def in_daemon_thread(make: Callable[[], Coroutine[Any, Any, Any]], bound_s: float) -> Any:
    """Run a coroutine on its own loop in a daemon thread; fail if it is not done in bound_s
    (a liveness bound: the old Grep never finished and froze its event loop)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(make())
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(bound_s)
    assert not thread.is_alive(), "Grep did not come back"
    if "error" in box:
        raise box["error"]
    return box["value"]


def grep_workers() -> list[int]:
    """Our child processes that are Grep workers."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and b"grep_search" in cmdline:
            found.append(int(name))
    return found


def test_catastrophic_pattern_ends_in_an_error(ctx: ToolContext) -> None:
    (ctx.root / "long.txt").write_text("a" * 5000 + "!\n")
    args = {"pattern": "(a+)+$", "output_mode": "content"}
    with pytest.raises(ToolError, match="stopped after"):
        in_daemon_thread(lambda: ALL_TOOLS["Grep"].run(args, ctx), 30)
    assert grep_workers() == []


def test_cancel_stops_a_runaway_grep_at_once(ctx: ToolContext) -> None:
    (ctx.root / "long.txt").write_text("a" * 5000 + "!\n")

    async def scenario() -> bool:
        task = asyncio.create_task(ALL_TOOLS["Grep"].run({"pattern": "(a+)+$"}, ctx))
        await asyncio.sleep(0.5)  # the loop still runs while the search burns
        assert grep_workers(), "the search runs in a worker process"
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            return True
        return False

    assert in_daemon_thread(scenario, 30)
    assert grep_workers() == []  # killed, not left burning a core


def test_context_is_linear_and_results_are_capped(ctx: ToolContext) -> None:
    (ctx.root / "big.txt").write_text("x\n" * 20_000)
    args = {"pattern": "x", "output_mode": "content", "-C": 20_000}
    out = in_daemon_thread(lambda: ALL_TOOLS["Grep"].run(args, ctx), 60)
    assert out.startswith(f"{ctx.root / 'big.txt'}:1:x\n")
    assert "results capped" in out.splitlines()[-1]


async def test_context_lines_are_each_shown_once(ctx: ToolContext) -> None:
    lines = [f"{'hit' if i in (3, 5, 12) else 'l'}{i}" for i in range(1, 16)]
    (ctx.root / "f.txt").write_text("\n".join(lines) + "\n")
    out = await ALL_TOOLS["Grep"].run(
        {"pattern": "hit", "output_mode": "content", "-C": 2, "path": "f.txt", "-n": False}, ctx
    )
    prefix = str(ctx.root / "f.txt")
    assert [line.removeprefix(prefix)[1:] for line in out.splitlines()] == [
        *("l1", "l2", "hit3", "l4", "hit5", "l6", "l7", "-"),  # "--" between groups
        *("l10", "l11", "hit12", "l13", "l14"),
    ]


async def test_many_files_are_capped_and_said_so(ctx: ToolContext) -> None:
    for i in range(1500):
        (ctx.root / f"file_with_a_rather_long_name_{i:04}.txt").write_text("needle\n")
    out = await ALL_TOOLS["Grep"].run({"pattern": "needle"}, ctx)
    assert "results capped" in out.splitlines()[-1]
    out = await ALL_TOOLS["Glob"].run({"pattern": "*.txt"}, ctx)
    assert "Results truncated: 1400 more" in out.splitlines()[-1]
