"""Read: a text file with `cat -n` style line numbers, paged by offset/limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from .base import ToolContext, ToolError, ToolKind, optional_int, require_str
from .fileio import read_text
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
        "like `cat -n`; lines longer than 2000 characters are truncated."
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

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        path = confine(require_str(args, "file_path"), ctx)
        offset = optional_int(args, "offset", minimum=0) or 1
        limit = optional_int(args, "limit", minimum=1) or DEFAULT_LIMIT
        text, _ = read_text(path, ctx.root)
        if not text:
            return f"<system-reminder>{display(path, ctx)} exists but is empty.</system-reminder>"
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
        return "\n".join(out)


def _clip(line: str) -> str:
    if len(line) <= MAX_LINE_CHARS:
        return line
    return line[:MAX_LINE_CHARS] + f"… [{len(line) - MAX_LINE_CHARS} more characters]"
