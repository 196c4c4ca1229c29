"""Grep: search file contents with a Python regular expression (ripgrep-like options)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any, ClassVar

from . import grep_search
from .base import ToolContext, ToolError, ToolKind, optional_bool, optional_int, require_str
from .filetypes import type_globs
from .globbing import expand_braces
from .paths import confine, display
from .procs import pdeathsig_preexec

BUDGET_S = 4.0  # the worker is killed after this long
SOFT_DEADLINE_S = 3.0  # the worker stops itself, keeping what it found
PACKAGE_ROOT = str(Path(__file__).resolve().parents[4])  # the folder holding `tui`
WORKER = (  # -I -S: no site-packages but pathspec's folder (the gitignore matcher), added last
    "import sys; sys.path.insert(0, sys.argv[1]); sys.argv[2] and sys.path.append(sys.argv[2]); "
    "from tui.core.session.tools.grep_search import main; main()"
)


class GrepTool:
    name = "Grep"
    kind: ToolKind = "read"
    description = (
        "Searches file contents in the working directory with a regular expression (Python `re` "
        "syntax). output_mode: files_with_matches (default, file paths), content (matching "
        "lines; -n, -A, -B, -C apply), or count. Filter files with glob (e.g. `*.py`, "
        "`*.{ts,tsx}`) or type (ripgrep file types: py, js, ts, rust, go, java, c, cpp, md, json, "
        "yaml, html, css, sh, ...); -i for case-insensitive; multiline lets a match span lines "
        "(`.` matches newlines); head_limit caps the number of results. Like ripgrep, files "
        "that .gitignore ignores and hidden files and folders (names starting with `.`) are "
        "skipped unless path names them. "
        f"A search is stopped after {SOFT_DEADLINE_S:g} seconds."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "pattern": {"type": "string", "description": "The regular expression to search for"},
            "path": {"type": "string", "description": "File or directory to search in"},
            "glob": {"type": "string", "description": "Glob pattern to filter files"},
            "type": {
                "type": "string",
                "description": "File type to search (rg --type): py, js, ts, rust, go, java, "
                "c, cpp, md, json, yaml, html, css, sh, ...",
            },
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
            "multiline": {
                "type": "boolean",
                "description": "Patterns may span lines and `.` matches newlines (rg -U "
                "--multiline-dotall); default false",
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
        return f"/{args.get('pattern', '')}/ in {display(self._base(args, ctx), ctx)}"

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        pattern = require_str(args, "pattern")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ToolError(f"Invalid regular expression: {exc}") from exc
        except (RecursionError, OverflowError):  # `((((...` or `a{99999999999}`
            raise ToolError(
                "Invalid regular expression: nested too deeply, or a repeat count too large."
            ) from None
        multiline = optional_bool(args, "multiline")
        kind = args.get("type")
        if kind is not None and not isinstance(kind, str):
            raise ToolError("Invalid input: `type` must be a string such as `py`.")
        mode = args.get("output_mode") or "files_with_matches"
        if mode not in {"content", "files_with_matches", "count"}:
            raise ToolError("output_mode must be content, files_with_matches or count.")
        base = self._base(args, ctx)
        if not base.exists():
            raise ToolError(f"Path does not exist: {display(base, ctx)}")
        glob = args.get("glob")
        context = optional_int(args, "-C")
        options = grep_search.Options(
            pattern=pattern,
            ignore_case=optional_bool(args, "-i"),
            base=str(base),
            root=str(ctx.root),
            mode=mode,
            globs=expand_braces(glob) if isinstance(glob, str) and glob else [],
            numbers=optional_bool(args, "-n", True),
            after=optional_int(args, "-A") or context or 0,
            before=optional_int(args, "-B") or context or 0,
            head=optional_int(args, "head_limit", minimum=0) or 0,
            soft_deadline_s=SOFT_DEADLINE_S,
            hidden=list(ctx.hidden),
            home=ctx.home,
            types=type_globs(kind) if kind else [],
            multiline=multiline,
        )
        return await run_worker(dataclasses.asdict(options))


def _pathspec_folder() -> str:
    spec = importlib.util.find_spec("pathspec")
    origin = spec.origin if spec is not None else None
    return str(Path(origin).parents[1]) if origin else ""


async def run_worker(request: dict[str, Any]) -> str:
    """The search in a killable process: killed at BUDGET_S, or at once on cancel."""
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-I", "-S", "-c", WORKER, PACKAGE_ROOT, _pathspec_folder()),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=pdeathsig_preexec(),
    )
    payload = json.dumps(request).encode()
    try:
        out, _ = await asyncio.wait_for(proc.communicate(payload), BUDGET_S)
    except TimeoutError:
        raise ToolError(
            f"Grep was stopped after {BUDGET_S:g}s without finishing. The pattern may "
            "backtrack catastrophically (nested quantifiers like `(a+)+`), or the search is too "
            "wide: simplify the pattern, or narrow path and glob."
        ) from None
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            with contextlib.suppress(ProcessLookupError):
                await asyncio.shield(proc.wait())
    try:
        reply = json.loads(out.decode("utf-8", errors="replace"))
    except ValueError:
        raise ToolError(f"Grep failed (worker exit code {proc.returncode}).") from None
    if "error" in reply:
        raise ToolError(str(reply["error"]))
    return str(reply["ok"])
