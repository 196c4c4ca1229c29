"""Write: create or overwrite a file (parents created), previewed as a unified diff."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, ClassVar

from ..secrets import REDACTED, Redactor
from .base import ToolContext, ToolError, ToolKind, require_str
from .fileio import UTF8, encode, existing_codec, read_text, write_bytes
from .paths import confine, display


def unified_diff(old: str, new: str, label: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{label}",
        tofile=f"b/{label}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def current_text(path: Path, ctx: ToolContext) -> str:
    """The file as the model would read it; "" if it is missing or not a readable file."""
    try:
        return read_text(path, ctx.root)[0]
    except ToolError:
        return ""


class WriteTool:
    name = "Write"
    kind: ToolKind = "edit"
    description = (
        "Writes a file in the working directory, replacing it if it exists and creating "
        "missing parent folders. file_path may be absolute or relative to the working directory. "
        "An existing file must have been read with Read in this session first, and not changed "
        "on disk since (else the Write is refused: read it again)."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "file_path": {"type": "string", "description": "The path of the file to write"},
            "content": {"type": "string", "description": "The content to write to the file"},
        },
        "required": ["file_path", "content"],
        "additionalProperties": False,
    }

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        return confine(require_str(args, "file_path"), ctx)

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        path = confine(require_str(args, "file_path"), ctx)
        content = require_str(args, "content", allow_empty=True)
        ctx.reads.require_fresh(path, display(path, ctx))  # refused before anyone is asked
        return unified_diff(current_text(path, ctx), content, display(path, ctx))

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        path = confine(require_str(args, "file_path"), ctx)
        content = require_str(args, "content", allow_empty=True)
        ctx.reads.require_fresh(path, display(path, ctx))
        _keep_secrets(path, content, ctx)
        codec = existing_codec(path, ctx.root) or UTF8  # an existing file keeps its encoding
        try:
            data = encode(content, codec, display(path, ctx))
        except ToolError:
            data = content.encode("utf-8")
        existed = write_bytes(path, ctx.root, data)
        ctx.reads.wrote(path, data)
        verb = "updated" if existed else "created"
        lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
        return f"File {verb} successfully at: {path} ({lines} lines)"


def _keep_secrets(path: Path, content: str, ctx: ToolContext) -> None:
    """The model saw this file with its secrets redacted: writing back what it saw would
    replace the real values with the placeholder."""
    if REDACTED not in content:
        return
    old = current_text(path, ctx)
    if old and REDACTED not in old and Redactor(ctx.secrets).redact(old) != old:
        raise ToolError(
            f"{display(path, ctx)} holds secrets that were shown to you as {REDACTED}; "
            "writing this content would replace them with the placeholder. The file was not "
            "changed: use Edit on the lines you need to change."
        )
