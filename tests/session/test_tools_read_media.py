"""Read like Claude Code: images as image content, PDFs as document content, notebooks as
their cells; the kind told by the bytes, not the name; what the API would refuse is a clear
tool error (never a crash, never a block that breaks every later request)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import media_files as mf
from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError
from tui.core.session.tools.readstate import MAX_SESSION_MEDIA_B64


@pytest.fixture
def ctx(workdir: Path) -> ToolContext:
    return ToolContext.for_dir(workdir)


async def read(ctx: ToolContext, name: str) -> Any:
    return await ALL_TOOLS["Read"].run({"file_path": name}, ctx)


@pytest.mark.parametrize(
    ("name", "data", "media", "size"),
    [
        ("shot.png", mf.png(800, 3), "image/png", "800×3"),
        ("photo.jpg", mf.jpeg(640, 480), "image/jpeg", "640×480"),
        ("anim.gif", mf.gif(1, 1), "image/gif", "1×1"),
        ("pic.webp", mf.webp(300, 200), "image/webp", "300×200"),
    ],
)
async def test_images_come_back_as_image_blocks(
    ctx: ToolContext, name: str, data: bytes, media: str, size: str
) -> None:
    (ctx.root / name).write_bytes(data)
    out = await read(ctx, name)
    assert isinstance(out, list)
    note, image = out
    assert note["type"] == "text" and name in note["text"] and size in note["text"]
    assert image == {
        "type": "image",
        "source": {"type": "base64", "media_type": media, "data": base64.b64encode(data).decode()},
    }


async def test_the_bytes_decide_not_the_name(ctx: ToolContext) -> None:
    (ctx.root / "actually-a-png.dat").write_bytes(mf.png())
    out = await read(ctx, "actually-a-png.dat")
    assert out[1]["source"]["media_type"] == "image/png"
    (ctx.root / "notes.png").write_text("these are notes, not pixels\n")
    text = await read(ctx, "notes.png")
    assert isinstance(text, str) and "content is text" in text
    assert "     1\tthese are notes, not pixels" in text
    (ctx.root / "wrong.jpg").write_bytes(mf.png())  # a PNG named .jpg: sent as what it is
    assert (await read(ctx, "wrong.jpg"))[1]["source"]["media_type"] == "image/png"


async def test_pdf_comes_back_as_a_document_block(ctx: ToolContext) -> None:
    data = mf.pdf(3)
    (ctx.root / "spec.pdf").write_bytes(data)
    note, doc = await read(ctx, "spec.pdf")
    assert "PDF document" in note["text"] and "3 pages" in note["text"]
    assert doc == {
        "type": "document",
        "source": {
            "type": "base64",
            "media_type": "application/pdf",
            "data": base64.b64encode(data).decode(),
        },
    }


async def test_notebook_reads_as_cells_with_text_outputs(ctx: ToolContext) -> None:
    (ctx.root / "sales.ipynb").write_bytes(mf.notebook_bytes())
    out = await read(ctx, "sales.ipynb")
    assert isinstance(out, str)
    assert out.startswith("Notebook sales.ipynb: 3 cells (python)")
    assert "## Cell 1 · markdown · id intro\n# Sales" in out
    assert "## Cell 2 · code · id load · [3]\ntotal = 40 + 2\nprint(total)\n### Output\n42" in out
    assert "<Figure 4x4>" in out and "[image/png output" in out
    assert "ZeroDivisionError: division by zero" in out and "\x1b" not in out
    assert "iVBOR" not in out  # the plot's base64 is not pasted into the text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cut.png", mf.png(64, 64)[:-30], "truncated or corrupt"),
        ("cut.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "truncated or corrupt"),
        ("fake.pdf", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4, "not a PDF"),
        ("cut.pdf", mf.pdf(2)[:-200], "without `%%EOF`"),
        ("huge-side.png", mf.png(9000, 1), "over 8000 px"),
        ("broken.ipynb", b'{"cells": [\n  {"cell_type": "code",\n  oops}\n]}', "line 3, column 3"),
        ("plain.ipynb", b'{"not": "a notebook"}', "no `cells` list"),
    ],
    ids=["png", "jpeg", "zip-as-pdf", "cut-pdf", "wide", "ipynb-json", "json-not-notebook"],
)
async def test_bad_files_are_clear_tool_errors(
    ctx: ToolContext, name: str, data: bytes, message: str
) -> None:
    (ctx.root / name).write_bytes(data)
    with pytest.raises(ToolError, match=message) as caught:
        await read(ctx, name)
    assert name in str(caught.value)


async def test_a_50_mb_image_is_refused_before_it_is_read(ctx: ToolContext) -> None:
    big = ctx.root / "poster.png"
    with big.open("wb") as handle:  # sparse: a PNG header, then 50 MB of nothing on disk
        handle.write(mf.png(2, 2)[:33])
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ToolError, match=r"50\.0 MB PNG image.*up to 5 MB") as caught:
        await read(ctx, "poster.png")
    assert "resize" in str(caught.value)


async def test_an_image_just_over_the_api_limit_is_refused(ctx: ToolContext) -> None:
    data = mf.png(1200, 1200, noise=True)  # ~4.3 MB: over 5 MB once base64-encoded
    assert len(base64.b64encode(data)) > 5 * 1024 * 1024
    (ctx.root / "noise.png").write_bytes(data)
    with pytest.raises(ToolError, match="up to 5 MB base64"):
        await read(ctx, "noise.png")


async def test_a_pdf_over_100_pages_is_refused(ctx: ToolContext) -> None:
    (ctx.root / "book.pdf").write_bytes(mf.pdf(101))
    with pytest.raises(ToolError, match=r"101 pages.*up to 100"):
        await read(ctx, "book.pdf")
    packed = mf.pdf_object_streams(120)  # the pages compressed: counted all the same
    assert b"/Type /Page " not in packed
    (ctx.root / "packed.pdf").write_bytes(packed)
    with pytest.raises(ToolError, match=r"120 pages"):
        await read(ctx, "packed.pdf")
    (ctx.root / "short.pdf").write_bytes(mf.pdf_object_streams(7))
    assert "7 pages" in (await read(ctx, "short.pdf"))[0]["text"]


async def test_an_encrypted_pdf_is_refused(ctx: ToolContext) -> None:
    (ctx.root / "locked.pdf").write_bytes(mf.pdf_encrypted())
    with pytest.raises(ToolError, match="password-protected"):
        await read(ctx, "locked.pdf")


async def test_the_session_stops_reading_media_before_a_request_would_be_too_big(
    ctx: ToolContext,
) -> None:
    data = mf.png(1000, 900, noise=True)  # ~2.7 MB, ~3.6 MB base64
    (ctx.root / "a.png").write_bytes(data)
    reads = MAX_SESSION_MEDIA_B64 // len(base64.b64encode(data))
    for _ in range(reads):
        await read(ctx, "a.png")
    with pytest.raises(ToolError, match="32 MB limit"):
        await read(ctx, "a.png")
    fresh = ToolContext.for_dir(ctx.root)  # another session (or a child) has its own budget
    assert isinstance(await read(fresh, "a.png"), list)


async def test_notebook_json_error_names_the_place(ctx: ToolContext) -> None:
    bad = json.dumps(mf.notebook(), indent=1)[:-40]
    (ctx.root / "cut.ipynb").write_text(bad)
    with pytest.raises(ToolError, match="JSON does not parse at line"):
        await read(ctx, "cut.ipynb")
    os.chmod(ctx.root / "cut.ipynb", 0o644)
