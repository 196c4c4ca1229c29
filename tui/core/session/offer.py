"""The tools a session will offer, by name, before it starts (the launch dialog lists them):
the definition's tools after narrowing (disallowedTools and deny rules remove whole tools),
the Agent tool when delegation is on, the API's web tools when listed and enabled."""

from __future__ import annotations

from collections.abc import Sequence

from .tools import SERVER_TOOLS, select_tools, server_tools


def offered_tools(
    allowed: Sequence[str] | None,
    denied: Sequence[str],
    *,
    delegation: bool = True,
    web: bool = True,
) -> list[str]:
    names = [tool.name for tool in select_tools(allowed, denied)]
    if delegation:
        from .delegation import agent_tool
        from .options import Subagents

        if agent_tool(allowed, denied, Subagents(lambda _name: None, list)) is not None:
            names.append("Agent")
    if web:
        given = server_tools(allowed, denied)
        names += [name for name, spec in SERVER_TOOLS.items() if spec in given]
    return names
