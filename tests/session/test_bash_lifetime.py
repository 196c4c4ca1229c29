"""Bash jobs end with Roster: interrupt, session end, exit, SIGTERM, SIGKILL; background jobs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError, procs
from tui.core.session.tools.output import OutputBuffer

AGENT = "---\nname: tester\ndescription: t\ntools: Bash\n---\nTest agent.\n"
# a plain step, a `&` child (no parent-death signal), and a child that left the group (setsid)
LATE_COMMAND = (
    "(sleep 4; touch LATE_CHILD) & setsid sh -c 'sleep 4; touch LATE_SETSID' & sleep 4; touch LATE"
)


def process_running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    return ToolContext.for_dir(workdir)


async def run(name: str, ctx: ToolContext, **args: object) -> str:
    return await ALL_TOOLS[name].run(dict(args), ctx)


def written_pid(path: Path) -> int:
    """The pid a command wrote to `path`, once it is there (a liveness bound of 10 s)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            return int(path.read_text())
        time.sleep(0.02)
    raise AssertionError(f"{path.name} was never written")


def wait_gone(pid: int, bound_s: float = 10) -> bool:
    deadline = time.monotonic() + bound_s  # a liveness bound, not a speed test
    while process_running(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not process_running(pid)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_a_killed_roster_never_touches_late(
    api: FakeAPI, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sig: int
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "tester.md").write_text(AGENT)
    command = f"echo $$ > shell.pid; {LATE_COMMAND}"
    api.script(reply(tool_use("b1", "Bash", {"command": command})), reply(text("done")))
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "tui", "run", "tester", "go", "--cwd", str(workdir)),
            *("--json", "--agents-dir", str(agents), "--permission-mode", "bypassPermissions"),
        ],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if json.loads(line)["type"] == "permission_decided":
            break
    shell = written_pid(workdir / "shell.pid")
    time.sleep(0.3)  # let the shell start its children
    os.kill(proc.pid, sig)
    proc.wait(timeout=10)
    assert wait_gone(shell)
    time.sleep(5)  # past the `sleep 4`
    assert sorted(p.name for p in workdir.iterdir()) == ["shell.pid"]


async def test_plain_ampersand_does_not_block_and_becomes_a_job(ctx: ToolContext) -> None:
    out = await asyncio.wait_for(
        run("Bash", ctx, command="sleep 30 & echo $! > child.pid; echo started"), 10
    )
    assert out.startswith("started") and "bash_1" in out
    child = int((ctx.root / "child.pid").read_text())
    assert process_running(child)
    assert "Successfully killed" in await run("KillShell", ctx, shell_id="bash_1")
    assert wait_gone(child)


async def read_until(ctx: ToolContext, wanted: str, **args: object) -> tuple[str, str]:
    """BashOutput until `wanted` has arrived: (the status line, everything read)."""
    seen = ""
    head = ""
    deadline = time.monotonic() + 10  # a liveness bound
    while wanted not in seen and time.monotonic() < deadline:
        head, body = (await run("BashOutput", ctx, bash_id="bash_1", **args)).split("\n\n", 1)
        seen += body + "\n"
        await asyncio.sleep(0.05)
    return head, seen


async def test_background_job_read_filter_and_kill(ctx: ToolContext) -> None:
    command = "echo start; for i in 1 2 3 4; do echo tick $i; echo tock $i; done"
    out = await run("Bash", ctx, command=f"{command}; sleep 30", run_in_background=True)
    assert "bash_1" in out
    head, ticks = await read_until(ctx, "tick 4", filter="tick")
    assert head.startswith("Status: running")
    assert "tick 1" in ticks and "tock" not in ticks and "start" not in ticks  # filtered
    rest = (await run("BashOutput", ctx, bash_id="bash_1")).split("\n\n", 1)[1]
    assert rest == "(no new output)"  # each read returns only what is new
    assert "Successfully killed" in await run("KillShell", ctx, shell_id="bash_1")
    assert "Status: killed" in await run("BashOutput", ctx, bash_id="bash_1")
    with pytest.raises(ToolError, match="No background shell"):
        await run("BashOutput", ctx, bash_id="bash_9")


async def test_session_end_kills_background_jobs(make_session: Callable[..., Any]) -> None:
    session = make_session()
    ctx = session.ctx
    await run("Bash", ctx, command="echo $$ > bg.pid; exec sleep 60", run_in_background=True)
    pid = await asyncio.to_thread(written_pid, ctx.root / "bg.pid")
    assert process_running(pid)
    await session.aclose()
    assert not process_running(pid)


def test_orphans_of_a_dead_roster_are_reaped_on_next_start(tmp_path: Path) -> None:
    """A group left behind by a Roster that died with its watchdog is killed next time."""
    token = "feedface00112233"
    orphan = subprocess.Popen(
        ["sleep", "60"], env={**os.environ, "ROSTER_JOB": token}, start_new_session=True
    )
    dead_owner = subprocess.Popen(["true"])
    dead_owner.wait()
    folder = tmp_path / "jobs"
    folder.mkdir()
    (folder / f"{orphan.pid}.job").write_text(f"{dead_owner.pid} {token}\n")
    (folder / "12345.job").write_text(f"{os.getpid()}0 unrelated-token\n")  # nothing tagged
    try:
        assert procs.reap_orphans(folder) == 1
        orphan.wait(timeout=10)
        assert orphan.returncode == -signal.SIGKILL
        assert not list(folder.iterdir())
    finally:
        orphan.kill()


@pytest.mark.parametrize("launch", ["nohup sleep 30", "setsid sleep 30"])
async def test_detached_children_are_tracked_and_killed(ctx: ToolContext, launch: str) -> None:
    """nohup/setsid children with their output redirected used to outlive everything."""
    out = await asyncio.wait_for(
        run("Bash", ctx, command=f"{launch} >/dev/null 2>&1 & echo $! > child.pid"), 10
    )
    assert "bash_1" in out
    child = int((ctx.root / "child.pid").read_text())
    assert process_running(child)
    assert "running" in (await run("BashOutput", ctx, bash_id="bash_1")).splitlines()[0]
    assert "Successfully killed" in await run("KillShell", ctx, shell_id="bash_1")
    assert wait_gone(child)


def test_background_jobs_end_when_roster_run_exits(
    api: FakeAPI, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "tester.md").write_text(AGENT)
    bg = {"command": "echo $$ > bg.pid; exec sleep 60", "run_in_background": True}
    wait = {"command": "while [ ! -s bg.pid ]; do sleep 0.05; done"}
    api.script(
        reply(tool_use("b1", "Bash", bg)),
        reply(tool_use("b2", "Bash", wait)),
        reply(text("done")),
    )
    done = subprocess.run(
        [
            *(sys.executable, "-m", "tui", "run", "tester", "go", "--cwd", str(workdir)),
            *("--agents-dir", str(agents), "--permission-mode", "bypassPermissions"),
        ],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=60,
    )
    assert done.returncode == 4, done.stderr  # finished; 4: no completion report
    assert wait_gone(int((workdir / "bg.pid").read_text()))


def test_output_past_the_kept_window_counts_every_omitted_line() -> None:
    buffer = OutputBuffer()
    data = "".join(f"{i}\n" for i in range(1, 1_000_001)).encode()  # 6.9 MB
    for start in range(0, len(data), 65536):
        buffer.feed(data[start : start + 65536])
    lines = buffer.text().splitlines()
    assert lines[:2] == ["1", "2"] and lines[-1] == "1000000"
    omitted = next(line for line in lines if "lines omitted" in line)
    assert omitted == f"… {1_000_000 - (len(lines) - 1)} lines omitted …"
