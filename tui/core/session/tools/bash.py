"""Bash: run a shell command in the working directory, in its own process group.

Timeout (ms, default 2 min, max 10 min); output capped at ~30,000 characters keeping the head
and the tail; the whole job killed on timeout, interrupt, session end and Roster's exit or death
(procs.py). The environment is scrubbed of ANTHROPIC_* and configured secrets.
`run_in_background: true` returns at once with an id for BashOutput / KillShell; so does a
plain `cmd &` whose children keep running after the shell exits.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, ClassVar

from ..progress import Throttle, reporter
from ..secrets import hide_from_proc, scrubbed_env
from .base import ToolContext, ToolError, ToolKind, optional_bool, optional_int, require_str
from .jobs import Job
from .output import OUTPUT_CAP

DEFAULT_TIMEOUT_MS = 120_000
MAX_TIMEOUT_MS = 600_000

__all__ = ["OUTPUT_CAP", "BashTool"]


class BashTool:
    name = "Bash"
    kind: ToolKind = "exec"
    description = (
        "Runs a bash command in the working directory and returns its combined stdout and "
        f"stderr (capped at {OUTPUT_CAP} characters: the start and the end are kept). timeout "
        f"is in milliseconds (default {DEFAULT_TIMEOUT_MS}, max {MAX_TIMEOUT_MS}). Each call "
        "starts a fresh shell. Set run_in_background to true for long-running commands (servers, "
        "watchers): it returns an id at once; read the output later with BashOutput and stop it "
        "with KillShell."
    )
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "command": {"type": "string", "description": "The command to execute"},
            "timeout": {"type": "number", "description": "Optional timeout in milliseconds"},
            "description": {
                "type": "string",
                "description": "Clear, concise description of what this command does",
            },
            "run_in_background": {
                "type": "boolean",
                "description": "Run the command in the background; read it with BashOutput",
            },
        },
        "required": ["command"],
        "additionalProperties": False,
    }

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        return None

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        return require_str(args, "command")

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        command = require_str(args, "command")
        timeout_ms = optional_int(args, "timeout", minimum=1) or DEFAULT_TIMEOUT_MS
        timeout_s = min(timeout_ms, MAX_TIMEOUT_MS) / 1000
        env = scrubbed_env(ctx.secrets)
        hide_from_proc(ctx.secrets)  # a child can read /proc/$PPID/environ
        job = await ctx.jobs.start(command, ctx.root, env)
        if optional_bool(args, "run_in_background"):
            job_id = ctx.jobs.name(job)
            return (
                f"Command running in background with ID: {job_id}. Read its output with "
                f"BashOutput (bash_id {job_id!r}); stop it with KillShell (shell_id {job_id!r})."
            )
        report = reporter()  # the output so far, to the screen while the command runs
        live = Throttle(job.buffer.text, report) if report is not None else None
        job.on_output = live.poke if live is not None else None
        try:
            closed = await asyncio.wait_for(job.settle(), timeout_s)
        except TimeoutError:
            await job.wait_killed()
            ctx.jobs.finished(job)
            raise ToolError(
                f"Command timed out after {timeout_s:g}s and was killed.\n{job.buffer.text()}"
            ) from None
        except asyncio.CancelledError:
            await job.wait_killed()
            ctx.jobs.finished(job)
            if live is not None:  # what arrived is kept (the interrupted result says it)
                live.flush()
            raise
        finally:
            job.on_output = None
            if live is not None:
                live.close()
        output = job.buffer.text()
        note = _leftover_note(job, ctx, closed)
        if job.proc.returncode:
            # "Exit code N" stays the last line: the transcript reads it from there
            raise ToolError(f"{output}{note}\nExit code {job.proc.returncode}".lstrip("\n"))
        return (output or "(no output)") + note


def _leftover_note(job: Job, ctx: ToolContext, closed: bool) -> str:
    """A `cmd &` that outlived the shell becomes a background job instead of blocking."""
    if closed and not job.leftovers():
        ctx.jobs.finished(job)
        return ""
    job.cursor = job.buffer.total
    job_id = ctx.jobs.name(job)
    return (
        f"\n(The shell exited but processes it started are still running as {job_id}: "
        f"read their output with BashOutput, stop them with KillShell. They end with the "
        "session.)"
    )
