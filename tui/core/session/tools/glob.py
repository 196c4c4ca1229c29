"""Glob: files matching a pattern (`**/*.py`), newest first."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, ClassVar

from .base import ToolContext, ToolError, ToolKind, require_str
from .globbing import expand_braces, hidden_note, matches, walk_files
from .paths import confine, display

MAX_RESULTS = 100
DEADLINE_S = 10.0  # the walk stops here, keeping what it found (a thread cannot be killed)


class GlobTool:
    name = "Glob"
    kind: ToolKind = "read"
    description = (
        "Finds files by glob pattern such as `**/*.js` or `src/**/*.{ts,tsx}`, inside the "
        "working directory. Returns matching file paths, most recently modified first. Files "
        "that .gitignore ignores are left out (name an ignored folder as path to list it); "
        "hidden files (names starting with `.`) are included. "
        f"A search is stopped after {DEADLINE_S:g} seconds."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "pattern": {"type": "string", "description": "The glob pattern to match files against"},
            "path": {
                "type": "string",
                "description": "The directory to search in; defaults to the working directory",
            },
        },
        "required": ["pattern"],
        "additionalProperties": False,
    }

    def _base(self, args: dict[str, Any], ctx: ToolContext) -> Path:
        raw = args.get("path")
        if raw is None or raw == "":
            return ctx.root
        if not isinstance(raw, str):
            raise ToolError("Invalid input: `path` must be a string.")
        return confine(raw, ctx)

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        return self._base(args, ctx)

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        return f"{args.get('pattern', '')} in {display(self._base(args, ctx), ctx)}"

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        pattern = require_str(args, "pattern")
        base = self._base(args, ctx)
        if not base.is_dir():
            raise ToolError(f"{display(base, ctx)} is not a directory.")
        return await asyncio.to_thread(_glob, pattern, base, ctx)


def _glob(pattern: str, base: Path, ctx: ToolContext) -> str:
    if pattern.startswith("/"):
        confine(pattern.split("*", 1)[0] or "/", ctx)
        pattern_path = Path(pattern)
        try:
            pattern = pattern_path.relative_to(base).as_posix()
        except ValueError as exc:
            raise ToolError("An absolute pattern must lie under the search path.") from exc
    patterns = expand_braces(pattern)
    found: list[tuple[float, Path]] = []
    hidden, hide = 0, ctx.hidden_paths()
    deadline, stopped = time.monotonic() + DEADLINE_S, False
    for path in walk_files(base, ctx.root, gitignore=True):
        if time.monotonic() > deadline:
            stopped = True
            break
        if matches(path, base, patterns):
            if hide.hides(path):
                hidden += 1
                continue
            try:
                found.append((path.stat().st_mtime, path))
            except OSError:
                continue
    found.sort(key=lambda item: (-item[0], str(item[1])))
    lines = [str(path) for _, path in found[:MAX_RESULTS]] or ["No files found"]
    if len(found) > MAX_RESULTS:
        more = len(found) - MAX_RESULTS
        lines.append(f"(Results truncated: {more} more. Use a narrower pattern.)")
    if stopped:
        lines.append(
            f"(Search stopped after {DEADLINE_S:g}s: results are incomplete. Narrow the path "
            "or the pattern.)"
        )
    if hidden:
        lines.append(hidden_note(hidden))
    return "\n".join(lines)
