"""Each tool's success and failure, and confinement to the working directory."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from tests.helpers.session import process_running
from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError, select_tools
from tui.core.session.tools.bash import OUTPUT_CAP


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    return ToolContext.for_dir(workdir)


async def run(name: str, ctx: ToolContext, **args: object) -> str:
    return await ALL_TOOLS[name].run(dict(args), ctx)


async def test_read_numbers_and_pages(ctx: ToolContext) -> None:
    (ctx.root / "f.txt").write_text("".join(f"line {i}\n" for i in range(1, 2501)))
    out = await run("Read", ctx, file_path="f.txt")
    lines = out.splitlines()
    assert lines[0] == "     1\tline 1" and lines[1999] == "  2000\tline 2000"
    assert "500 more lines" in lines[-1] and "offset=2001" in lines[-1]
    out = await run("Read", ctx, file_path=str(ctx.root / "f.txt"), offset=2499, limit=5)
    assert out.splitlines() == ["  2499\tline 2499", "  2500\tline 2500"]


async def test_read_failures(ctx: ToolContext) -> None:
    (ctx.root / "bin").write_bytes(b"\x00\x01\x02")
    for args, message in [
        ({"file_path": "missing.txt"}, "does not exist"),
        ({"file_path": "bin"}, "binary"),
        ({"file_path": "."}, "directory"),
        ({}, "file_path"),
    ]:
        with pytest.raises(ToolError, match=message):
            await run("Read", ctx, **args)


async def test_write_creates_parents_and_overwrites(ctx: ToolContext) -> None:
    out = await run("Write", ctx, file_path="src/app/health.py", content="ok\n")
    assert "created" in out and (ctx.root / "src/app/health.py").read_text() == "ok\n"
    out = await run("Write", ctx, file_path="src/app/health.py", content="ok2\n")
    assert "updated" in out
    diff = ALL_TOOLS["Write"].preview({"file_path": "src/app/health.py", "content": "new\n"}, ctx)
    assert "-ok2" in diff and "+new" in diff
    with pytest.raises(ToolError, match="directory"):
        await run("Write", ctx, file_path="src", content="x")


async def test_edit_unique_replace_all_and_failures(ctx: ToolContext) -> None:
    f = ctx.root / "m.py"
    f.write_text("a = 1\nb = 1\n")
    await run("Read", ctx, file_path="m.py")
    with pytest.raises(ToolError, match="occurs 2 times"):
        await run("Edit", ctx, file_path="m.py", old_string="= 1", new_string="= 2")
    assert f.read_text() == "a = 1\nb = 1\n"
    await run("Edit", ctx, file_path="m.py", old_string="a = 1", new_string="a = 9")
    assert f.read_text() == "a = 9\nb = 1\n"
    out = await run("Edit", ctx, file_path="m.py", old_string="9", new_string="1", replace_all=True)
    assert "1 occurrence" in out
    with pytest.raises(ToolError, match="not found"):
        await run("Edit", ctx, file_path="m.py", old_string="zzz", new_string="y")
    with pytest.raises(ToolError, match="same"):
        await run("Edit", ctx, file_path="m.py", old_string="b", new_string="b")
    await run("Edit", ctx, file_path="new.txt", old_string="", new_string="fresh")
    assert (ctx.root / "new.txt").read_text() == "fresh"


async def test_glob(ctx: ToolContext) -> None:
    for rel in ("a.py", "pkg/b.py", "pkg/c.ts", "pkg/d.tsx", ".git/x.py"):
        p = ctx.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    os.utime(ctx.root / "a.py", (time.time() + 10, time.time() + 10))
    out = (await run("Glob", ctx, pattern="**/*.py")).splitlines()
    assert out == [str(ctx.root / "a.py"), str(ctx.root / "pkg/b.py")]
    assert (await run("Glob", ctx, pattern="*.py")).splitlines() == [str(ctx.root / "a.py")]
    out = await run("Glob", ctx, pattern="*.{ts,tsx}", path="pkg")
    assert sorted(out.splitlines()) == [str(ctx.root / "pkg/c.ts"), str(ctx.root / "pkg/d.tsx")]
    assert await run("Glob", ctx, pattern="*.rs") == "No files found"
    with pytest.raises(ToolError, match="outside"):
        await run("Glob", ctx, pattern="*", path="..")


async def test_grep_modes(ctx: ToolContext) -> None:
    (ctx.root / "a.py").write_text("def health():\n    return 'OK'\n\nx = 1\n")
    (ctx.root / "b.md").write_text("Health check docs\n")
    out = await run("Grep", ctx, pattern="health", **{"-i": True})
    assert out.startswith("Found 2 files")
    out = await run("Grep", ctx, pattern="health", glob="*.py", output_mode="content", **{"-A": 1})
    assert out.splitlines() == [
        f"{ctx.root / 'a.py'}:1:def health():",
        f"{ctx.root / 'a.py'}-2-    return 'OK'",
    ]
    assert await run("Grep", ctx, pattern="x", output_mode="count") == f"{ctx.root / 'a.py'}:1"
    assert await run("Grep", ctx, pattern="nope") == "No files found"
    with pytest.raises(ToolError, match="Invalid regular expression"):
        await run("Grep", ctx, pattern="(")


async def test_bash_success_failure_timeout_and_cap(
    ctx: ToolContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-secret-for-bash")
    assert await run("Bash", ctx, command="pwd") == str(ctx.root)
    assert await run("Bash", ctx, command="echo ${ANTHROPIC_API_KEY:-unset}") == "unset"
    with pytest.raises(ToolError, match="Exit code 3"):
        await run("Bash", ctx, command="echo oops; exit 3")
    started = time.perf_counter()
    with pytest.raises(ToolError, match="timed out"):
        await run("Bash", ctx, command="sleep 20", timeout=200)
    assert time.perf_counter() - started < 5
    out = await run("Bash", ctx, command="seq 1 100000; echo FAILED test_the_end")
    assert len(out) < OUTPUT_CAP + 100
    # the head AND the tail: the failure at the end reaches the model
    assert out.startswith("1\n2\n3\n") and out.endswith("100000\nFAILED test_the_end")
    omitted = next(line for line in out.splitlines() if "lines omitted" in line)
    shown = len(out.splitlines()) - 1
    assert omitted == f"… {100001 - shown} lines omitted …"


async def test_bash_cancel_kills_group(ctx: ToolContext) -> None:
    task = asyncio.create_task(run("Bash", ctx, command="sleep 30 & sleep 30; wait"))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.parametrize("yields", [0, 1, 2, 3, 5, 8])
async def test_bash_cancel_while_the_process_starts_is_prompt(
    ctx: ToolContext, yields: int
) -> None:
    """An interrupt landing during process setup must not wait for a background child that
    holds the output pipe (it used to wait the full 30 s), and leaves no child behind."""
    marker = ctx.root / f"child-{yields}.pid"
    task = asyncio.create_task(run("Bash", ctx, command=f"(sleep 30 & echo $! > {marker}; wait)"))
    for _ in range(yields):
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(asyncio.shield(task), 10)  # a liveness bound, not a speed test
    if marker.exists() and marker.read_text().strip():
        child = int(marker.read_text())
        deadline = time.monotonic() + 5
        while process_running(child) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert not process_running(child), "the background child survived the interrupt"


@pytest.mark.parametrize("tool", ["Read", "Write", "Edit"])
@pytest.mark.parametrize("raw", ["../outside.txt", "/etc/passwd", "sub/../../x", "link/secret"])
async def test_confinement_escapes_are_refused(
    ctx: ToolContext, tmp_path: Path, tool: str, raw: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret").write_text("s3cret")
    (ctx.root / "link").symlink_to(outside)
    args = {"file_path": raw, "content": "x", "old_string": "s3cret", "new_string": "y"}
    with pytest.raises(ToolError, match="Access denied"):
        await ALL_TOOLS[tool].run(args, ctx)
    assert (outside / "secret").read_text() == "s3cret"


async def test_symlinked_file_outside_is_refused_and_skipped(
    ctx: ToolContext, tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text("TOPSECRET")
    (ctx.root / "innocent.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(ToolError, match="symlink"):
        await run("Read", ctx, file_path="innocent.txt")
    assert await run("Grep", ctx, pattern="TOPSECRET") == "No files found"


def test_select_tools() -> None:
    names = lambda tools: [t.name for t in tools]  # noqa: E731
    assert names(select_tools(None)) == [  # (issue 14: TodoWrite joined)
        *("Read", "Write", "Edit", "Glob", "Grep", "Bash", "BashOutput", "KillShell", "TodoWrite")
    ]
    assert names(select_tools(())) == []
    assert names(select_tools(("Read", "Bash(git *)", "Agent"), ("Bash(rm *)",))) == [
        *("Read", "Bash", "BashOutput", "KillShell")
    ]
    assert names(select_tools(None, ("Bash", "Write"))) == [
        *("Read", "Edit", "Glob", "Grep", "TodoWrite")
    ]
