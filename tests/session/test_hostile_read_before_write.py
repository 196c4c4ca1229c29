"""Read-before-write against a file changed behind the session's back with the same size and
the same mtime (`touch -r`, `cp -p`, an editor restoring times, a swap by rename): before, the
mtime+size stat said "unchanged" and the Write/Edit silently replaced the user's change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    return ToolContext.for_dir(workdir)


async def run(name: str, ctx: ToolContext, **args: object) -> object:
    return await ALL_TOOLS[name].run(dict(args), ctx)


def keep_times(path: Path, like: os.stat_result) -> None:
    os.utime(path, ns=(like.st_atime_ns, like.st_mtime_ns))


async def test_an_in_place_change_with_the_mtime_restored_refuses_the_write(
    ctx: ToolContext,
) -> None:
    f = ctx.root / "plan.md"
    f.write_text("AAAA\n")
    await run("Read", ctx, file_path="plan.md")
    before = f.stat()
    with f.open("r+") as handle:
        handle.write("BBBB\n")  # the user's change, same size
    keep_times(f, before)
    with pytest.raises(ToolError, match="has changed on disk since you read it"):
        await run("Write", ctx, file_path="plan.md", content="model\n")
    assert f.read_text() == "BBBB\n"


async def test_a_file_swapped_by_rename_with_the_same_size_and_mtime_refuses_the_edit(
    ctx: ToolContext,
) -> None:
    f = ctx.root / "plan.md"
    f.write_text("AAAA\n")
    await run("Read", ctx, file_path="./plan.md")
    swap = ctx.root / "plan.md.new"
    swap.write_text("BBBB\n")
    keep_times(swap, f.stat())
    os.replace(swap, f)
    with pytest.raises(ToolError, match="has changed on disk since you read it"):
        await run("Edit", ctx, file_path="plan.md", old_string="BBBB", new_string="CCCC")
    assert f.read_text() == "BBBB\n"


async def test_a_touch_or_a_chmod_alone_is_still_no_change(ctx: ToolContext) -> None:
    f = ctx.root / "plan.md"
    f.write_text("AAAA\n")
    await run("Read", ctx, file_path="plan.md")
    os.chmod(f, 0o600)  # changes the ctime, not the bytes
    os.utime(f)
    await run("Edit", ctx, file_path="plan.md", old_string="AAAA", new_string="CCCC")
    assert f.read_text() == "CCCC\n"
