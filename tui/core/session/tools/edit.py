"""Edit: replace an exact string in a file; it must be unique unless replace_all is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from .base import ToolContext, ToolError, ToolKind, optional_bool, read_text, require_str
from .paths import confine, display
from .write import unified_diff, write_atomic


class EditTool:
    name = "Edit"
    kind: ToolKind = "edit"
    description = (
        "Performs an exact string replacement in a file. old_string must appear exactly once "
        "unless replace_all is true; include more surrounding context to make it unique. "
        "An empty old_string on a file that does not exist creates it with new_string."
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

    def _apply(self, args: dict[str, Any], ctx: ToolContext) -> tuple[Path, str, str, int]:
        path = confine(require_str(args, "file_path"), ctx)
        old = require_str(args, "old_string", allow_empty=True)
        new = require_str(args, "new_string", allow_empty=True)
        replace_all = optional_bool(args, "replace_all")
        if old == new:
            raise ToolError("old_string and new_string are the same; nothing to change.")
        if not old:
            if path.exists() and path.read_bytes():
                raise ToolError(
                    "old_string is empty but the file is not; give the text to replace."
                )
            return path, "", new, 1
        text = read_text(path)
        count = text.count(old)
        if count == 0:
            raise ToolError(f"old_string was not found in {display(path, ctx)}.")
        if count > 1 and not replace_all:
            raise ToolError(
                f"old_string occurs {count} times in {display(path, ctx)}. Add surrounding "
                "context so it is unique, or set replace_all to true to replace every one."
            )
        updated = text.replace(old, new) if replace_all else text.replace(old, new, 1)
        return path, text, updated, count if replace_all else 1

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        path, before, after, _ = self._apply(args, ctx)
        return unified_diff(before, after, display(path, ctx))

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        path, _, after, count = self._apply(args, ctx)
        try:
            write_atomic(path, after)
        except OSError as exc:
            raise ToolError(f"Could not write {display(path, ctx)}: {exc.strerror}") from exc
        noun = "occurrence" if count == 1 else "occurrences"
        return f"The file {path} has been updated ({count} {noun} replaced)."
