"""Read: a text file with `cat -n` style line numbers, paged by offset/limit; an image or PDF
(told by its first bytes) as image or document content; a notebook as its cells."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from . import notebook
from .base import ToolContext, ToolError, ToolKind, ToolOutput, optional_int, require_str
from .fileio import decode, read_file
from .media import IMAGE_SUFFIXES, Media, check_size, image_content, pdf_content, sniff
from .paths import confine, display

DEFAULT_LIMIT = 2000
MAX_LINE_CHARS = 2000


class ReadTool:
    name = "Read"
    kind: ToolKind = "read"
    description = (
        "Reads a file from the working directory. file_path may be absolute or relative to the "
        f"working directory. By default reads up to {DEFAULT_LIMIT} lines from the start; use "
        "offset (1-based line number) and limit to page through long files. Output is numbered "
        "like `cat -n`; lines longer than 2000 characters are truncated. Images (PNG, JPEG, "
        "GIF, WebP; up to 3.75 MB and 8000 px a side) are returned as images you can see, PDFs "
        "(up to 18 MB, 100 pages) as documents, Jupyter notebooks (.ipynb) as their cells "
        "with outputs. Write of an existing file and Edit need a Read of it in this session."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "file_path": {"type": "string", "description": "The path of the file to read"},
            "offset": {"type": "integer", "description": "The line number to start reading from"},
            "limit": {"type": "integer", "description": "The number of lines to read"},
        },
        "required": ["file_path"],
        "additionalProperties": False,
    }

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        return confine(require_str(args, "file_path"), ctx)

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        path = self.target(args, ctx)
        return display(path, ctx) if path else ""

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> ToolOutput:
        path = confine(require_str(args, "file_path"), ctx)
        offset = optional_int(args, "offset", minimum=0) or 1
        limit = optional_int(args, "limit", minimum=1) or DEFAULT_LIMIT
        label = display(path, ctx)
        data, info = read_file(
            path, ctx.root, check=lambda head, size: check_size(sniff(head), size, label)
        )
        kind = sniff(data[:64])
        if kind is not None:
            media = pdf_content(data, label) if kind == "PDF" else image_content(kind, data, label)
            return _sent(media, path, info, data, ctx)
        if path.suffix.lower() == ".ipynb":
            text = notebook.render(data, label)
            ctx.reads.saw(path, info, data)
            return text
        claimed = (
            "PDF" if path.suffix.lower() == ".pdf" else IMAGE_SUFFIXES.get(path.suffix.lower())
        )
        try:
            text, _ = decode(data, str(path))
        except ToolError:
            if claimed is None:
                raise
            raise ToolError(
                f"{label} is named like a {claimed} file but is not a {claimed}: its first "
                f"bytes are not a {claimed} signature, and it is not text either. Nothing was "
                "sent; the file may be damaged or misnamed."
            ) from None
        ctx.reads.saw(path, info, data)
        note = (
            f"<system-reminder>{label} is named like a {claimed} file but its content is text; "
            "it is shown as text.</system-reminder>\n"
            if claimed
            else ""
        )
        if not text:
            return f"<system-reminder>{label} exists but is empty.</system-reminder>"
        lines = text.splitlines()
        if offset > len(lines):
            raise ToolError(f"offset {offset} is past the end of the file ({len(lines)} lines).")
        chosen = lines[offset - 1 : offset - 1 + limit]
        out = [f"{n:>6}\t{_clip(line)}" for n, line in enumerate(chosen, start=offset)]
        remaining = len(lines) - (offset - 1 + len(chosen))
        if remaining > 0:
            next_offset = offset + len(chosen)
            out.append(
                f"… {remaining} more lines. Read again with offset={next_offset} to continue."
            )
        return note + "\n".join(out)


def _sent(
    media: Media, path: Path, info: os.stat_result, data: bytes, ctx: ToolContext
) -> ToolOutput:
    ctx.reads.add_media(media.b64_size, display(path, ctx))
    ctx.reads.saw(path, info, data)
    return media.blocks


def _clip(line: str) -> str:
    if len(line) <= MAX_LINE_CHARS:
        return line
    return line[:MAX_LINE_CHARS] + f"… [{len(line) - MAX_LINE_CHARS} more characters]"
