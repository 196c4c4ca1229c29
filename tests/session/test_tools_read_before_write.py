"""Read before write (Claude Code's rule): Write of an existing file and Edit need a Read of it in
this session, and are refused when the file changed on disk since; a successful Write/Edit counts
as a read, so consecutive edits work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.session import drain, make_definition, of_type
from tui.core.session.events import PermissionNeeded, ToolResult
from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    return ToolContext.for_dir(workdir)


async def run(name: str, ctx: ToolContext, **args: object) -> object:
    return await ALL_TOOLS[name].run(dict(args), ctx)


def later(path: Path) -> None:
    """Move the file's mtime on, as a save a moment later would."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))


async def test_write_of_an_unread_existing_file_is_refused(ctx: ToolContext) -> None:
    f = ctx.root / "config.toml"
    f.write_text("keep = true\n")
    with pytest.raises(ToolError, match=r"has not been read in this session\. Read it first"):
        await run("Write", ctx, file_path="config.toml", content="lost\n")
    with pytest.raises(ToolError, match="Read it first"):
        await run("Edit", ctx, file_path="config.toml", old_string="true", new_string="false")
    assert f.read_text() == "keep = true\n"
    out = await run("Write", ctx, file_path="brand-new.txt", content="fresh\n")  # no read needed
    assert "created" in str(out)


async def test_read_then_edit_then_edit_again(ctx: ToolContext) -> None:
    f = ctx.root / "app.py"
    f.write_text("a = 1\nb = 2\n")
    await run("Read", ctx, file_path="app.py", offset=2, limit=1)  # a partial read counts
    await run("Edit", ctx, file_path="app.py", old_string="a = 1", new_string="a = 10")
    await run("Edit", ctx, file_path="app.py", old_string="b = 2", new_string="b = 20")
    await run("Write", ctx, file_path="app.py", content="rewritten\n")
    await run("Edit", ctx, file_path="app.py", old_string="rewritten", new_string="again")
    assert f.read_text() == "again\n"


async def test_a_change_on_disk_since_the_read_refuses_the_edit(ctx: ToolContext) -> None:
    f = ctx.root / "notes.md"
    f.write_text("draft one\n")
    await run("Read", ctx, file_path="notes.md")
    f.write_text("the user's own edit\n")
    later(f)
    with pytest.raises(ToolError, match=r"changed on disk since you read it.*Read it again"):
        await run("Edit", ctx, file_path="notes.md", old_string="edit", new_string="x")
    with pytest.raises(ToolError, match="changed on disk"):
        await run("Write", ctx, file_path="notes.md", content="overwrite\n")
    assert f.read_text() == "the user's own edit\n"
    await run("Read", ctx, file_path="notes.md")  # the model re-reads: allowed again
    await run("Edit", ctx, file_path="notes.md", old_string="edit", new_string="text")
    assert f.read_text() == "the user's own text\n"


async def test_a_touch_without_a_change_is_not_a_change(ctx: ToolContext) -> None:
    f = ctx.root / "same.txt"
    f.write_text("same\n")
    await run("Read", ctx, file_path="same.txt")
    later(f)
    await run("Edit", ctx, file_path="same.txt", old_string="same", new_string="changed")
    assert f.read_text() == "changed\n"


async def test_each_session_has_its_own_reads(ctx: ToolContext) -> None:
    (ctx.root / "shared.txt").write_text("x\n")
    await run("Read", ctx, file_path="shared.txt")
    child = ToolContext.for_dir(ctx.root)  # a child session (or a resumed one) starts empty
    with pytest.raises(ToolError, match="reads made before the session was resumed"):
        await run("Edit", child, file_path="shared.txt", old_string="x", new_string="y")


async def test_the_model_is_told_to_read_first_and_then_succeeds(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    (workdir / "README.md").write_text("# Old title\n")
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "README.md", "content": "# New\n"})),
        reply(tool_use("r1", "Read", {"file_path": "README.md"})),
        reply(
            tool_use(
                "e1", "Edit", {"file_path": "README.md", "old_string": "Old", "new_string": "New"}
            )
        ),
        reply(
            tool_use(
                "e2", "Edit", {"file_path": "README.md", "old_string": "title", "new_string": "T"}
            )
        ),
        reply(text("done")),
    )
    session = make_session(make_definition(mode="acceptEdits"))
    events = await drain(session.send("retitle the readme"))
    results = {r.tool_use_id: r for r in of_type(events, ToolResult)}
    assert results["w1"].is_error and "Read it first" in results["w1"].output
    sent = api.requests[1].body["messages"][-1]["content"][0]
    assert sent["tool_use_id"] == "w1" and sent["is_error"] is True
    assert "Read it first" in sent["content"]
    assert not results["e1"].is_error and not results["e2"].is_error
    assert (workdir / "README.md").read_text() == "# New T\n"


async def test_an_unread_write_is_refused_before_anyone_is_asked(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    (workdir / "keep.txt").write_text("mine\n")
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "keep.txt", "content": "theirs\n"})),
        reply(text("ok")),
    )
    session = make_session(make_definition(mode="default"))
    events = await drain(session.send("overwrite it"))
    assert of_type(events, PermissionNeeded) == []  # no question for a call that cannot run
    assert of_type(events, ToolResult)[0].is_error
    assert (workdir / "keep.txt").read_text() == "mine\n"
