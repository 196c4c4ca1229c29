"""Bash: run a shell command in the working directory, in its own process group.

Timeout (ms, default 2 min, max 10 min), output capped at ~30,000 characters, and the whole
process group killed on timeout or when the session is cancelled. The API key variables are
removed from the command's environment.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import Any, ClassVar

from .base import ToolContext, ToolError, ToolKind, optional_int, require_str

DEFAULT_TIMEOUT_MS = 120_000
MAX_TIMEOUT_MS = 600_000
OUTPUT_CAP = 30_000
SECRET_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")


class BashTool:
    name = "Bash"
    kind: ToolKind = "exec"
    description = (
        "Runs a bash command in the working directory and returns its combined stdout and "
        f"stderr (capped at {OUTPUT_CAP} characters). timeout is in milliseconds (default "
        f"{DEFAULT_TIMEOUT_MS}, max {MAX_TIMEOUT_MS}). Each call starts a fresh shell."
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
        env = {k: v for k, v in os.environ.items() if k not in SECRET_ENV}
        spawn = asyncio.ensure_future(
            asyncio.create_subprocess_exec(
                "/bin/bash",
                "-c",
                command,
                cwd=ctx.root,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        )
        try:
            # shielded: a cancel that lands while the process is being set up would make
            # asyncio kill only the shell and then wait for the pipe, which a background child
            # (`sleep 30 &`) holds open: the interrupt would take as long as the command
            proc = await asyncio.shield(spawn)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                started = await spawn
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(started.pid, signal.SIGKILL)
                await started.wait()
            raise
        collector = _Collector()
        assert proc.stdout is not None
        reader = asyncio.create_task(collector.drain(proc.stdout))
        try:
            await asyncio.wait_for(_wait(proc, reader), timeout_s)
        except TimeoutError:
            await _kill_group(proc, reader)
            raise ToolError(
                f"Command timed out after {timeout_s:g}s and was killed.\n{collector.text()}"
            ) from None
        except asyncio.CancelledError:
            await _kill_group(proc, reader)
            raise
        output = collector.text()
        if proc.returncode:
            raise ToolError(f"{output}\nExit code {proc.returncode}".lstrip("\n"))
        return output if output else "(no output)"


async def _wait(proc: asyncio.subprocess.Process, reader: asyncio.Task[None]) -> None:
    await proc.wait()
    # A background child may keep the pipe open: give it a moment, then end the group.
    done, _ = await asyncio.wait({reader}, timeout=1.0)
    if not done:
        await _kill_group(proc, reader)


async def _kill_group(proc: asyncio.subprocess.Process, reader: asyncio.Task[None]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    reader.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await reader
    with contextlib.suppress(ProcessLookupError):
        await proc.wait()


class _Collector:
    """Keeps the first OUTPUT_CAP characters and keeps draining so the pipe never blocks."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._kept = 0
        self._dropped = 0

    async def drain(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(65536):
            room = OUTPUT_CAP * 4 - self._kept
            if room > 0:
                self._parts.append(chunk[:room])
                self._kept += min(len(chunk), room)
            self._dropped += max(0, len(chunk) - max(room, 0))

    def text(self) -> str:
        text = b"".join(self._parts).decode("utf-8", errors="replace").rstrip("\n")
        if len(text) > OUTPUT_CAP or self._dropped:
            text = text[:OUTPUT_CAP] + "\n… (output truncated)"
        return text
