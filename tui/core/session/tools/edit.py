"""Edit: replace an exact string in a file; it must be unique unless replace_all is set.

The file keeps its encoding (BOM, UTF-16, Latin-1...) and its line endings: an old_string
written with `\\n` matches a CRLF file, and the replacement is stored with CRLF. Every byte
outside the replaced text stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from .base import ToolContext, ToolError, ToolKind, optional_bool, require_str
from .fileio import UTF8, TextCodec, encode, read_text, write_bytes
from .paths import confine, display
from .write import unified_diff


@dataclass(frozen=True, slots=True)
class _Change:
    path: Path
    before: str
    after: str
    count: int
    codec: TextCodec


class EditTool:
    name = "Edit"
    kind: ToolKind = "edit"
    description = (
        "Performs an exact string replacement in a file. old_string must appear exactly once "
        "unless replace_all is true; include more surrounding context to make it unique. "
        "An empty old_string on a file that does not exist creates it with new_string. "
        "The file's encoding and line endings are kept. The file must have been read with Read "
        "in this session, and not changed on disk since (else the edit is refused: read it "
        "again)."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "file_path": {"type": "string", "description": "The path of the file to modify"},
            "old_string": {"type": "string", "description": "The text to replace"},
            "new_string": {"type": "string", "description": "The text to replace it with"},
            "replace_all": {
                "type": "boolean",
                "default": False,
                "description": "Replace all occurrences of old_string",
            },
        },
        "required": ["file_path", "old_string", "new_string"],
        "additionalProperties": False,
    }

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        return confine(require_str(args, "file_path"), ctx)

    def _apply(self, args: dict[str, Any], ctx: ToolContext) -> _Change:
        path = confine(require_str(args, "file_path"), ctx)
        old = require_str(args, "old_string", allow_empty=True)
        new = require_str(args, "new_string", allow_empty=True)
        replace_all = optional_bool(args, "replace_all")
        if old == new:
            raise ToolError("old_string and new_string are the same; nothing to change.")
        if not old:
            try:
                text, codec = read_text(path, ctx.root)
            except ToolError as exc:
                if "does not exist" not in str(exc):
                    raise
                text, codec = "", UTF8
            if text:
                raise ToolError(
                    "old_string is empty but the file is not; give the text to replace."
                )
            ctx.reads.require_fresh(path, display(path, ctx))
            return _Change(path, "", new, 1, codec)
        ctx.reads.require_fresh(path, display(path, ctx))
        text, codec = read_text(path, ctx.root)
        count = text.count(old)
        if count == 0 and "\r\n" in text and "\n" in old and "\r\n" not in old:
            # the model writes \n; the file stores \r\n: match and write in the file's style
            old, new = old.replace("\n", "\r\n"), new.replace("\r\n", "\n").replace("\n", "\r\n")
            count = text.count(old)
        if count == 0:
            raise ToolError(f"old_string was not found in {display(path, ctx)}.")
        if count > 1 and not replace_all:
            raise ToolError(
                f"old_string occurs {count} times in {display(path, ctx)}. Add surrounding "
                "context so it is unique, or set replace_all to true to replace every one."
            )
        updated = text.replace(old, new) if replace_all else text.replace(old, new, 1)
        return _Change(path, text, updated, count if replace_all else 1, codec)

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        change = self._apply(args, ctx)
        return unified_diff(change.before, change.after, display(change.path, ctx))

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        change = self._apply(args, ctx)
        data = encode(change.after, change.codec, display(change.path, ctx))
        write_bytes(change.path, ctx.root, data)
        ctx.reads.wrote(change.path, data)
        noun = "occurrence" if change.count == 1 else "occurrences"
        return f"The file {change.path} has been updated ({change.count} {noun} replaced)."
