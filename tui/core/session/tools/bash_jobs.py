"""BashOutput and KillShell: Claude Code's tools for background shell jobs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from .base import ToolContext, ToolError, ToolKind, require_str
from .grep import run_worker
from .jobs import Job


def _job(args: dict[str, Any], ctx: ToolContext, key: str) -> Job:
    job_id = require_str(args, key)
    job = ctx.jobs.get(job_id)
    if job is None:
        known = ", ".join(j.id or "" for j in ctx.jobs.running()) or "none running"
        raise ToolError(f"No background shell with id {job_id!r} ({known}).")
    return job


class BashOutputTool:
    name = "BashOutput"
    kind: ToolKind = "read"
    description = (
        "Returns the new output of a background shell (started with Bash run_in_background, "
        "or left running by a command) since the last time it was read, and its status. "
        "filter: an optional regular expression; only matching lines are returned (the others "
        "are consumed)."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "bash_id": {"type": "string", "description": "The id of the background shell"},
            "filter": {"type": "string", "description": "Only lines matching this regex"},
        },
        "required": ["bash_id"],
        "additionalProperties": False,
    }

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        return None

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        return str(args.get("bash_id", ""))

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        job = _job(args, ctx, "bash_id")
        raw_filter = args.get("filter")
        pattern = raw_filter if isinstance(raw_filter, str) and raw_filter else None
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ToolError(f"Invalid filter regular expression: {exc}") from exc
            except (RecursionError, OverflowError):  # `((((...` or `a{99999999999}`
                raise ToolError(
                    "Invalid filter regular expression: nested too deeply, or a repeat count "
                    "too large."
                ) from None
        status = job.status()  # before reading: a job that ended has all its output in
        total = job.buffer.total
        text = job.buffer.text(since=job.cursor)
        job.cursor = total
        if pattern is not None and text:
            # in the killable Grep worker: a catastrophic filter cannot freeze Roster
            text = await run_worker({"filter": pattern, "text": text})
        if not job.running:
            ctx.jobs.finished(job)
        body = text if text else "(no new output)"
        return f"Status: {status}\nCommand: {job.command}\n\n{body}"


class KillShellTool:
    name = "KillShell"
    kind: ToolKind = "read"  # it only ends a job this session started
    description = "Kills a background shell (and everything it started) by its id."
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "shell_id": {"type": "string", "description": "The id of the background shell"}
        },
        "required": ["shell_id"],
        "additionalProperties": False,
    }

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        return None

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        return str(args.get("shell_id", ""))

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        job = _job(args, ctx, "shell_id")
        was = job.status()
        await job.wait_killed()
        ctx.jobs.finished(job)
        if not was.startswith("running"):
            return f"Shell {job.id} had already ended: {was}."
        return f"Successfully killed shell: {job.id} ({job.command})"
