"""How a parent's transcript follows its children: the Agent call's block (blocks.AgentRun)
gets the child's id, live state, latest line, tokens and report outcome. Fed with the
`to_json` form of `SubagentStarted` (stored: a reopened session shows the link) and of
`ChildEvent` (live only: the child has its own history). transcript.py calls these."""

from __future__ import annotations

from typing import Any

from .blocks import AgentRun, ToolBlock
from .conversation import INTERRUPTED_RESULT, INTERRUPTED_TOOL

_ENDED = {"completed", "interrupted", "error", "max_turns", "truncated", "refused"}


def new_run(p: dict[str, Any]) -> AgentRun:
    return AgentRun(
        agent=str(p.get("agent", "")),
        description=str(p.get("description", "")),
        session_id=str(p.get("child_session_id", "")),
        agent_path=tuple(str(x) for x in p.get("agent_path") or ()),
    )


def follow(runs: dict[str, AgentRun], p: dict[str, Any]) -> AgentRun | None:
    """One event of a child at any depth (a ChildEvent's JSON): the direct child's run shows
    it. None when it changes nothing shown."""
    run = runs.get(str(p.get("session_id", "")))
    if run is None:
        return None
    kind = p.get("type")
    if kind == "subagent_started":  # a grandchild: its events update the same block
        runs[str(p.get("child_session_id", ""))] = run
        run.latest = f"→ {p.get('agent', '')}: {p.get('description', '')}"
    elif kind == "text_delta":
        before = run.latest if not run.latest.startswith(("⏺", "→")) else ""
        lines = [x for x in (before + str(p.get("text", ""))).splitlines() if x.strip()]
        run.latest = lines[-1][-200:] if lines else ""
    elif kind == "tool_input_complete":
        run.latest = f"⏺ {p.get('name', '')}"
        todos = (p.get("input") or {}).get("todos")
        if p.get("name") == "TodoWrite" and isinstance(todos, list):
            run.todos = [t for t in todos if isinstance(t, dict)]
    elif kind == "permission_needed":
        run.state = "waiting for you"
    elif kind == "permission_decided":
        if run.state == "waiting for you":
            run.state = "running"
    elif kind == "usage":
        run.input_tokens += int(p.get("input_tokens") or 0)
        run.output_tokens += int(p.get("output_tokens") or 0)
    elif kind == "report_parsed" and p.get("session_id") == run.session_id:
        run.outcome = str(p.get("outcome", ""))
    else:
        return None
    return run


def ended(block: ToolBlock, p: dict[str, Any]) -> None:
    """The Agent call's tool result: the child is over (its status is in the result's head)."""
    if block.agent is None:
        return
    output = str(p.get("output", ""))
    if output in {INTERRUPTED_RESULT, INTERRUPTED_TOOL}:  # stopped with its parent
        block.agent.state = "interrupted"
        return
    parts = [x.strip() for x in output.split("]", 1)[0].split("·")]
    state = parts[2] if len(parts) > 2 else ""
    block.agent.state = state if state in _ENDED else ("error" if p.get("is_error") else "done")
