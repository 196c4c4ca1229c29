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
from .todo import TodoWriteTool
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
        TodoWriteTool(),
    )
}
ALIASES = {"Task": "Agent", "KillBash": "KillShell"}
# What the session provides apart from ALL_TOOLS: the Agent tool (delegation.py) and the API's
# server tools (server_tools below). Anything else a definition names cannot be provided.
SERVER_TOOLS = {
    "WebSearch": {"type": "web_search_20250305", "name": "web_search"},
    "WebFetch": {"type": "web_fetch_20250910", "name": "web_fetch"},
}
PROVIDED_ELSEWHERE = frozenset({"Agent", *SERVER_TOOLS})
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


def server_tools(
    allowed: Iterable[str] | None, disallowed: Iterable[str] | None
) -> list[dict[str, str]]:
    """The API's server tools a definition names (WebSearch, WebFetch): run by the API, their
    results arrive as content blocks. Only when listed by name (they cost per use)."""
    denied = {base_name(e) for e in (disallowed or ()) if "(" not in e}
    names = {base_name(e) for e in allowed or ()}
    return [dict(p) for n, p in SERVER_TOOLS.items() if n in names and n not in denied]


def unsupported(allowed: Iterable[str] | None) -> list[str]:
    """Tools a definition names that Roster cannot provide (`mcp__*`, NotebookEdit, ...)."""
    out: list[str] = []
    for entry in allowed or ():
        name = base_name(entry)
        if name and name not in ALL_TOOLS and name not in PROVIDED_ELSEWHERE and name not in out:
            out.append(name)
    return out


def api_tool_params(tools: Iterable[Tool]) -> list[dict[str, object]]:
    return [
        {"name": t.name, "description": t.description, "input_schema": t.input_schema}
        for t in tools
    ]


__all__ = [
    "ALL_TOOLS",
    "SERVER_TOOLS",
    "Tool",
    "ToolContext",
    "ToolError",
    "ToolKind",
    "api_tool_params",
    "base_name",
    "select_tools",
    "server_tools",
    "unsupported",
]
