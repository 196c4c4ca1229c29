"""Grep: search file contents with a Python regular expression (ripgrep-like options)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any, ClassVar

from .base import ToolContext, ToolError, ToolKind, optional_bool, optional_int, require_str
from .globbing import expand_braces, matches, walk_files
from .paths import confine, display

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_OUTPUT_CHARS = 30_000


class GrepTool:
    name = "Grep"
    kind: ToolKind = "read"
    description = (
        "Searches file contents in the working directory with a regular expression (Python `re` "
        "syntax). output_mode: files_with_matches (default, file paths), content (matching "
        "lines; -n, -A, -B, -C apply), or count. Filter files with glob (e.g. `*.py`, "
        "`*.{ts,tsx}`); -i for case-insensitive; head_limit caps the number of results."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "pattern": {"type": "string", "description": "The regular expression to search for"},
            "path": {"type": "string", "description": "File or directory to search in"},
            "glob": {"type": "string", "description": "Glob pattern to filter files"},
            "output_mode": {
                "type": "string",
                "enum": ["content", "files_with_matches", "count"],
                "description": "What to return; defaults to files_with_matches",
            },
            "-i": {"type": "boolean", "description": "Case insensitive search"},
            "-n": {"type": "boolean", "description": "Show line numbers (content mode)"},
            "-A": {"type": "number", "description": "Lines to show after each match"},
            "-B": {"type": "number", "description": "Lines to show before each match"},
            "-C": {"type": "number", "description": "Lines to show before and after each match"},
            "head_limit": {"type": "number", "description": "Limit output to the first N entries"},
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
        return f"/{args.get('pattern', '')}/ in {display(self._base(args, ctx), ctx)}"

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        pattern = require_str(args, "pattern")
        flags = re.IGNORECASE if optional_bool(args, "-i") else 0
        try:
            regex = re.compile(pattern, flags | re.MULTILINE)
        except re.error as exc:
            raise ToolError(f"Invalid regular expression: {exc}") from exc
        mode = args.get("output_mode") or "files_with_matches"
        if mode not in {"content", "files_with_matches", "count"}:
            raise ToolError("output_mode must be content, files_with_matches or count.")
        base = self._base(args, ctx)
        if not base.exists():
            raise ToolError(f"Path does not exist: {display(base, ctx)}")
        glob = args.get("glob")
        options = _Options(
            mode=mode,
            globs=expand_braces(glob) if isinstance(glob, str) and glob else [],
            numbers=optional_bool(args, "-n", True),
            after=optional_int(args, "-A") or optional_int(args, "-C") or 0,
            before=optional_int(args, "-B") or optional_int(args, "-C") or 0,
            head=optional_int(args, "head_limit", minimum=0) or 0,
        )
        return await asyncio.to_thread(_search, regex, base, ctx, options)


class _Options:
    def __init__(
        self, *, mode: str, globs: list[str], numbers: bool, after: int, before: int, head: int
    ) -> None:
        self.mode, self.globs, self.numbers = mode, globs, numbers
        self.after, self.before, self.head = after, before, head


def _search(regex: re.Pattern[str], base: Path, ctx: ToolContext, opt: _Options) -> str:
    entries: list[str] = []
    total_matches = 0
    for path in walk_files(base, ctx):
        if opt.globs and not matches(path, base, opt.globs, any_depth=True):
            continue
        text = _text_or_none(path)
        if text is None:
            continue
        if opt.mode == "files_with_matches":
            if regex.search(text):
                entries.append(str(path))
        else:
            lines = text.splitlines()
            hits = [i for i, line in enumerate(lines) if regex.search(line)]
            if not hits:
                continue
            total_matches += len(hits)
            if opt.mode == "count":
                entries.append(f"{path}:{len(hits)}")
            else:
                entries.extend(_content_lines(path, lines, hits, opt))
        if opt.head and len(entries) >= opt.head:
            break
    if opt.head:
        entries = entries[: opt.head]
    if not entries:
        return "No matches found" if opt.mode != "files_with_matches" else "No files found"
    out = "\n".join(entries)
    if len(out) > MAX_OUTPUT_CHARS:
        out = out[:MAX_OUTPUT_CHARS] + "\n… (output truncated; narrow the search or use head_limit)"
    if opt.mode == "files_with_matches":
        return f"Found {len(entries)} file{'s' if len(entries) != 1 else ''}\n{out}"
    return out


def _text_or_none(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def _content_lines(path: Path, lines: list[str], hits: list[int], opt: _Options) -> list[str]:
    wanted: dict[int, bool] = {}
    for i in hits:
        for j in range(max(0, i - opt.before), min(len(lines), i + opt.after + 1)):
            wanted[j] = wanted.get(j, False) or j == i
    out = []
    previous = None
    for j in sorted(wanted):
        if previous is not None and j > previous + 1:
            out.append("--")
        sep = ":" if wanted[j] else "-"
        number = f"{j + 1}{sep}" if opt.numbers else ""
        out.append(f"{path}{sep}{number}{lines[j]}")
        previous = j
    return out
