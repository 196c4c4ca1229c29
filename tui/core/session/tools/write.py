"""Write: create or overwrite a file (parents created), previewed as a unified diff."""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any, ClassVar

from .base import ToolContext, ToolError, ToolKind, require_str
from .paths import confine, display


def unified_diff(old: str, new: str, label: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{label}",
        tofile=f"b/{label}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def current_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return ""


def write_atomic(path: Path, content: str) -> None:
    """Temp file in the same folder, fsync, replace; keeps the old file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.roster-tmp-{os.getpid()}")
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


class WriteTool:
    name = "Write"
    kind: ToolKind = "edit"
    description = (
        "Writes a file in the working directory, replacing it if it exists and creating "
        "missing parent folders. file_path may be absolute or relative to the working directory."
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
        return unified_diff(current_text(path), content, display(path, ctx))

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        path = confine(require_str(args, "file_path"), ctx)
        content = require_str(args, "content", allow_empty=True)
        if path.is_dir():
            raise ToolError(f"{display(path, ctx)} is a directory.")
        existed = path.exists()
        try:
            write_atomic(path, content)
        except OSError as exc:
            raise ToolError(f"Could not write {display(path, ctx)}: {exc.strerror}") from exc
        verb = "updated" if existed else "created"
        lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
        return f"File {verb} successfully at: {path} ({lines} lines)"
