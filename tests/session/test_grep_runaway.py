"""Grep cannot run away: a catastrophic pattern ends in an error, cancel works, -C is linear."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.core.session.tools import ALL_TOOLS, ToolContext


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    return ToolContext.for_dir(workdir)


SCENARIO = """
import asyncio, json, sys
from pathlib import Path
from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError
import os

def grep_workers() -> list[int]:
    # our child processes that are Grep workers
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


async def main(root, args, cancel_after):
    ctx = ToolContext.for_dir(root)
    task = asyncio.create_task(ALL_TOOLS["Grep"].run(args, ctx))
    if cancel_after:
        await asyncio.sleep(cancel_after)  # the loop still runs while the search burns
        running = bool(grep_workers())
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            return {"cancelled": True, "worker_was_running": running}
    try:
        return {"ok": await task}
    except ToolError as exc:
        return {"error": str(exc)}

result = asyncio.run(main(sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3])))
result["workers_left"] = grep_workers()
print(json.dumps(result))
"""


def grep_in_subprocess(root: Path, args: dict[str, Any], cancel_after: float = 0) -> Any:
    """Run Grep in a fresh Python (the old Grep froze its whole process and ignored
    cancellation: a subprocess with a liveness bound makes that a failure, not a hang)."""
    project = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", SCENARIO, str(root), json.dumps(args), str(cancel_after)],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_catastrophic_pattern_ends_in_an_error(ctx: ToolContext) -> None:
    (ctx.root / "long.txt").write_text("a" * 5000 + "!\n")
    result = grep_in_subprocess(ctx.root, {"pattern": "(a+)+$", "output_mode": "content"})
    assert "stopped after" in result["error"] and result["workers_left"] == []


def test_cancel_stops_a_runaway_grep_at_once(ctx: ToolContext) -> None:
    (ctx.root / "long.txt").write_text("a" * 5000 + "!\n")
    result = grep_in_subprocess(ctx.root, {"pattern": "(a+)+$"}, cancel_after=0.5)
    assert result["cancelled"] and result["worker_was_running"]
    assert result["workers_left"] == []  # killed, not left burning a core


def test_context_is_linear_and_results_are_capped(ctx: ToolContext) -> None:
    (ctx.root / "big.txt").write_text("x\n" * 20_000)
    args = {"pattern": "x", "output_mode": "content", "-C": 20_000}
    out = grep_in_subprocess(ctx.root, args)["ok"]
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
