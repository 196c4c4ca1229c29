"""Hand-off to the user's own Claude Code: the `claude` command line that starts it with one
agent as the main-thread agent (`--agent NAME`). A definition outside the folders Claude Code
reads (the library, an `--agents-dir`) is passed on the command line too (`--agents JSON`)."""

from __future__ import annotations

import json
import shutil

from tui.core.definition import AgentDefinition

# One command-line argument may hold at most 128 KiB on Linux (MAX_ARG_STRLEN).
ARG_LIMIT = 120 * 1024


class HandoffError(Exception):
    """Why this agent cannot be handed to Claude Code (shown to the user)."""


def find_claude() -> str | None:
    return shutil.which("claude")


def claude_argv(claude: str, d: AgentDefinition, *, claude_reads: bool) -> list[str]:
    """`claude --agent NAME`, plus `--agents {...}` when Claude Code would not find the file."""
    if not d.loads_in_claude_code or not d.name:
        raise HandoffError(f"Claude Code skips {d.path.name}: {d.skip_reason or 'no name'}")
    argv = [claude]
    if not claude_reads:
        spec: dict[str, object] = {"description": d.description or "", "prompt": d.body}
        if d.tools is not None:
            spec["tools"] = list(d.tools)
        if d.model:
            spec["model"] = d.model
        inline = json.dumps({d.name: spec}, ensure_ascii=False)
        if len(inline.encode("utf-8")) > ARG_LIMIT:
            raise HandoffError(
                f"{d.name} is too large to pass on the command line "
                f"({len(inline) // 1024} KB); install it first (i), then hand it off"
            )
        argv += ["--agents", inline]
    argv += ["--agent", d.name]
    return argv
