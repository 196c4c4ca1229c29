"""Write/Edit cannot be redirected, keep encodings byte for byte; special files are refused."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    return ToolContext.for_dir(workdir)


async def run(name: str, ctx: ToolContext, **args: object) -> str:
    return await ALL_TOOLS[name].run(dict(args), ctx)


def test_no_write_escapes_a_folder_swapped_for_a_symlink(ctx: ToolContext, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    sub, saved = ctx.root / "sub", ctx.root / "sub.saved"
    sub.mkdir()
    stop = threading.Event()
    swaps = 0

    def swapper() -> None:
        nonlocal swaps
        while not stop.is_set():
            for step in (
                lambda: os.rename(sub, saved),
                lambda: os.symlink(outside, sub),
                lambda: os.unlink(sub) if sub.is_symlink() else None,
                lambda: os.rename(saved, sub),
            ):
                with contextlib.suppress(OSError):
                    step()
            swaps += 1
            time.sleep(0)  # let the writer run between swaps

    async def writes() -> int:
        ok = 0
        for i in range(3000):
            try:
                await run("Write", ctx, file_path=f"sub/f{i % 50}.txt", content=f"write {i}\n")
                ok += 1
            except (ToolError, OSError):  # refused (the engine reports an OSError as an error)
                pass
        return ok

    thread = threading.Thread(target=swapper, daemon=True)
    thread.start()
    try:
        written = asyncio.run(writes())
    finally:
        stop.set()
        thread.join()
    assert swaps > 100 and written > 0  # the race really ran
    assert list(outside.iterdir()) == []  # 0 escapes
    leftovers = [p for p in ctx.root.rglob("*") if "roster-tmp" in p.name]
    assert leftovers == []


async def test_a_planted_symlink_at_a_temp_name_does_not_redirect(
    ctx: ToolContext, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    target = ctx.root / "notes.txt"
    target.write_text("old\n")
    # the old predictable name, and a few guesses around it
    for pid in (os.getpid(), os.getpid() + 1, 1):
        (ctx.root / f".notes.txt.roster-tmp-{pid}").symlink_to(victim)
    await run("Read", ctx, file_path="notes.txt")  # Write of an existing file needs a Read
    await run("Write", ctx, file_path="notes.txt", content="new\n")
    await run("Edit", ctx, file_path="notes.txt", old_string="new", new_string="newer")
    assert victim.read_text() == "precious\n"
    assert target.read_text() == "newer\n" and not target.is_symlink()


async def test_symlinked_target_inside_is_followed_and_mode_kept(ctx: ToolContext) -> None:
    real = ctx.root / "real.sh"
    real.write_text("echo 1\n")
    real.chmod(0o750)
    (ctx.root / "link.sh").symlink_to("real.sh")
    await run("Read", ctx, file_path="link.sh")
    await run("Edit", ctx, file_path="link.sh", old_string="1", new_string="2")
    assert (ctx.root / "link.sh").is_symlink() and real.read_text() == "echo 2\n"
    assert real.stat().st_mode & 0o777 == 0o750


async def test_edit_keeps_latin1_bytes(ctx: ToolContext) -> None:
    f = ctx.root / "legacy.txt"
    before = b"caf\xe9 cr\xe8me\nline two \xff\xfe\ntrois \xe0 la fin\n"
    f.write_bytes(before)
    assert "café crème" in await run("Read", ctx, file_path="legacy.txt")
    await run("Edit", ctx, file_path="legacy.txt", old_string="line two", new_string="ligne 2")
    assert f.read_bytes() == before.replace(b"line two", b"ligne 2")
    await run("Edit", ctx, file_path="legacy.txt", old_string="café", new_string="thé")
    assert f.read_bytes().startswith(b"th\xe9 cr\xe8me\n")
    with pytest.raises(ToolError, match="latin-1"):
        await run("Edit", ctx, file_path="legacy.txt", old_string="thé", new_string="€")
    assert f.read_bytes().startswith(b"th\xe9 cr\xe8me\n")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-8"])
async def test_edit_keeps_bom_encoding_and_crlf(ctx: ToolContext, codec: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(
        codec, codecs.BOM_UTF8
    )
    f = ctx.root / "win.txt"
    text = "first line\r\nwörld\r\nkeep\nthis mixed\r\nend\r\n"
    f.write_bytes(bom + text.encode(codec))
    await run("Read", ctx, file_path="win.txt")
    await run("Edit", ctx, file_path="win.txt", old_string="first line\nwörld", new_string="A\nB")
    expected = text.replace("first line\r\nwörld", "A\r\nB")
    assert f.read_bytes() == bom + expected.encode(codec)


async def test_edit_keeps_crlf_bytes_outside_the_edit(ctx: ToolContext) -> None:
    f = ctx.root / "crlf.txt"
    before = b"a\r\nb\r\nc\r\nlone\rcr\nunix\n"
    f.write_bytes(before)
    await run("Read", ctx, file_path="crlf.txt")
    await run("Edit", ctx, file_path="crlf.txt", old_string="a\nb", new_string="x\ny\nz")
    assert f.read_bytes() == b"x\r\ny\r\nz\r\nc\r\nlone\rcr\nunix\n"


@pytest.fixture
def specials(ctx: ToolContext) -> Iterator[dict[str, Path]]:
    fifo = ctx.root / "pipe"
    os.mkfifo(fifo)
    sock_path = ctx.root / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    (ctx.root / "plain.txt").write_text("needle\n")
    device = ctx.root / "zero"
    with contextlib.suppress(OSError):  # needs CAP_MKNOD
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # like /dev/zero
    yield {"fifo": fifo, "socket": sock_path, "device": device}
    # release a reader that an old version left blocked on the FIFO
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    server.close()


@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
@pytest.mark.parametrize("tool", ["Read", "Edit", "Write"])
async def test_special_files_are_refused_without_hanging(
    ctx: ToolContext, specials: dict[str, Path], kind: str, tool: str
) -> None:
    if not specials[kind].exists():
        pytest.skip("cannot create a device node here (needs CAP_MKNOD)")
    args = {"file_path": specials[kind].name, "old_string": "a", "new_string": "b"}
    args["content"] = "x"
    if tool == "Write":
        args.pop("old_string"), args.pop("new_string")
    else:
        args.pop("content")
    call = asyncio.to_thread(asyncio.run, ALL_TOOLS[tool].run(args, ctx))
    with pytest.raises(ToolError, match=r"FIFO|socket|device"):
        await asyncio.wait_for(call, 10)  # a liveness bound: it used to block forever


async def test_grep_skips_special_files(ctx: ToolContext, specials: dict[str, Path]) -> None:
    call = asyncio.to_thread(asyncio.run, run("Grep", ctx, pattern="needle"))
    out = await asyncio.wait_for(call, 20)
    assert out.splitlines()[1:] == [str(ctx.root / "plain.txt")]


async def test_a_symlink_loop_is_a_tool_error_not_a_crash(ctx: ToolContext) -> None:
    # Python 3.11 raises RuntimeError (not OSError) for a loop: it ended the whole session
    (ctx.root / "loopa").symlink_to("loopb")
    (ctx.root / "loopb").symlink_to("loopa")
    (ctx.root / "ok.txt").write_text("fine\n")
    for name, args in (
        ("Read", {"file_path": "loopa"}),
        ("Write", {"file_path": "loopa", "content": "x"}),
        ("Edit", {"file_path": "loopb/x", "old_string": "a", "new_string": "b"}),
    ):
        with pytest.raises(ToolError):
            await run(name, ctx, **args)
    assert "ok.txt" in await run("Glob", ctx, pattern="**/*")
    assert "fine" in await run("Grep", ctx, pattern="fine", output_mode="content")
