"""The local tools a session offers, with Claude Code's names and input schemas."""

from __future__ import annotations

from collections.abc import Iterable

from .base import Tool, ToolContext, ToolError, ToolKind
from .bash import BashTool
from .bash_jobs import BashOutputTool, KillShellTool
from .edit import EditTool
from .glob import GlobTool
from .grep import GrepTool
from .read import ReadTool
from .write import WriteTool

ALL_TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        ReadTool(),
        WriteTool(),
        EditTool(),
        GlobTool(),
        GrepTool(),
        BashTool(),
        BashOutputTool(),
        KillShellTool(),
    )
}
ALIASES = {"Task": "Agent", "KillBash": "KillShell"}
# Offered with Bash (its background jobs are useless without them), never without it.
BASH_COMPANIONS = frozenset({"BashOutput", "KillShell"})


def base_name(entry: str) -> str:
    """`Bash(git *)` -> `Bash`."""
    entry = entry.strip()
    head = entry.split("(", 1)[0].strip()
    return ALIASES.get(head, head)


def select_tools(
    allowed: Iterable[str] | None, disallowed: Iterable[str] | None = None
) -> list[Tool]:
    """The tools a definition may use: `allowed` None = all, empty = none; denylist first.

    A disallowed entry with a specifier (`Bash(rm *)`) does not remove the whole tool.
    """
    denied = {base_name(e) for e in (disallowed or ()) if "(" not in e}
    names = set(ALL_TOOLS) if allowed is None else {base_name(e) for e in allowed}
    if "Bash" in names and "Bash" not in denied:
        names |= BASH_COMPANIONS
    else:
        names -= BASH_COMPANIONS
    return [tool for name, tool in ALL_TOOLS.items() if name in names and name not in denied]


def api_tool_params(tools: Iterable[Tool]) -> list[dict[str, object]]:
    return [
        {"name": t.name, "description": t.description, "input_schema": t.input_schema}
        for t in tools
    ]


__all__ = [
    "ALL_TOOLS",
    "Tool",
    "ToolContext",
    "ToolError",
    "ToolKind",
    "api_tool_params",
    "base_name",
    "select_tools",
]
