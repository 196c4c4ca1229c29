"""The Agent tool (Claude Code's name; `Task` accepted): a session runs another definition as
a child session and reads its final answer and completion report as the tool result.

A child is a full AgentSession: the child definition's body as its system prompt, its tools
and model (`inherit` or none: the parent's), its permission mode but never more permissive
than the parent's, the same working folder, its own history record linked to the parent
(parent session id + tool_use id). Its events reach the root's consumer as `ChildEvent`s (a
permission request at any depth is answered there). Several Agent calls of one response run
concurrently (toolrun.py); cancelling the parent cancels every child.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar, Protocol

from .events import ChildEvent, Event, Outcome, ReportParsed, SessionError, SessionStatus
from .history import HistoryWriter
from .options import DefinitionLike, SessionConfig, Subagents
from .permissions import PermissionPolicy, normalize_mode
from .tools import ToolContext, ToolError, ToolKind, base_name


class AgentSession(Protocol):
    """What delegation reads of a session (engine.AgentSession), parent or child."""

    id: str
    depth: int
    parent_id: str | None
    agent_path: tuple[str, ...]
    model: str
    mode: str
    status: str
    config: SessionConfig
    ctx: ToolContext
    history: HistoryWriter | None
    messages: list[dict[str, Any]]
    agent_tool: AgentTool | None
    policy: PermissionPolicy
    running_children: set[Any]

    def send(self, prompt: str) -> AsyncIterator[Event]: ...
    async def aclose(self) -> None: ...
    def started_child(
        self, tool_use_id: str, name: str, description: str, child: AgentSession
    ) -> None: ...
    def hand_up(self, child: AgentSession, event: Event) -> None: ...


AGENT_NAMES = frozenset({"Agent", "Task"})
# most permissive last: a child gets the lower of its own mode and its parent's
_RANK = {"plan": 0, "dontAsk": 1, "default": 2, "acceptEdits": 3, "bypassPermissions": 4}
LISTING_MAX = 60  # definitions described in the tool description
NAMES_MAX = 300  # then named only, at most this many


class AgentTool:
    name = "Agent"
    kind: ToolKind = "delegate"
    input_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "description": {
                "type": "string",
                "description": "A short (3-5 word) description of the task",
            },
            "prompt": {"type": "string", "description": "The task for the agent to perform"},
            "subagent_type": {
                "type": "string",
                "description": "The type of specialized agent to use for this task",
            },
        },
        "required": ["description", "prompt", "subagent_type"],
        "additionalProperties": False,
    }

    def __init__(self, subagents: Subagents, allowed: frozenset[str] | None) -> None:
        self.subagents = subagents
        self.allowed = allowed  # `Agent(a, b)`: only these names; None: any
        self.description = describe(self.callable())

    def callable(self) -> list[tuple[str, str]]:
        pairs = list(self.subagents.listing())
        if self.allowed is not None:
            pairs = [(n, d) for n, d in pairs if n in self.allowed]
        return pairs

    def target(self, args: dict[str, Any], ctx: ToolContext) -> Path | None:
        return None

    def preview(self, args: dict[str, Any], ctx: ToolContext) -> str:
        return f"{args.get('subagent_type', '?')}: {args.get('description', '')}"

    async def run(self, args: dict[str, Any], ctx: ToolContext) -> str:
        raise ToolError("The Agent tool is run by the session, not on its own.")


def describe(pairs: Sequence[tuple[str, str]]) -> str:
    lines = [
        "Launch a new agent to handle a task on its own. It runs as a separate session with its "
        "own instructions and tools, in the same working folder, and returns its final answer "
        "(with its completion report) as this tool's result. Several Agent calls in one "
        "message run at the same time.",
        "",
        "Available agent types (subagent_type) and what they do:",
    ]
    for name, text in pairs[:LISTING_MAX]:
        one = " ".join(text.split())
        lines.append(f"- {name}: {one[:300]}")
    rest = [n for n, _ in pairs[LISTING_MAX:]]
    if rest:  # by name only, and not without end (a library of thousands)
        more = f" and {len(rest) - NAMES_MAX} more" if len(rest) > NAMES_MAX else ""
        lines.append("- also: " + ", ".join(rest[:NAMES_MAX]) + more)
    if not pairs:
        lines.append("(none)")
    lines += [
        "",
        "Give the agent a complete, self-contained task in `prompt`: it does not see this "
        "conversation. Its result is not shown to the user; summarise it yourself.",
    ]
    return "\n".join(lines)


def agent_tool(
    tools: Sequence[str] | None, denied: Sequence[str], subagents: Subagents | None
) -> AgentTool | None:
    """The Agent tool when the definition's tools allow it (absent = all) and nothing denies
    it; `Agent(a, b)` (or `Task(a, b)`) restricts the names it may call."""
    if subagents is None:
        return None
    if any(base_name(e) == "Agent" and "(" not in e for e in denied):
        return None
    if tools is None:
        return AgentTool(subagents, None)
    entries = [e for e in tools if base_name(e) == "Agent"]
    if not entries:
        return None
    allowed: set[str] = set()
    for entry in entries:
        if "(" not in entry:
            return AgentTool(subagents, None)
        inner = entry.split("(", 1)[1].rstrip().rstrip(")")
        allowed |= {n.strip() for n in inner.replace(",", " ").split() if n.strip()}
    return AgentTool(subagents, frozenset(allowed))


def child_mode(parent_mode: str, own: str | None) -> str:
    """No mode of its own: the parent's; else the stricter of the two."""
    if own is None or not own.strip():
        return parent_mode
    mode = normalize_mode(own)
    return min(mode, parent_mode, key=lambda m: _RANK.get(m, 2))


def child_config(parent: AgentSession, definition: DefinitionLike, title: str) -> SessionConfig:
    own = (definition.model or "").strip()
    model = parent.model if own in {"", "inherit"} else own
    mode = child_mode(parent.mode, definition.permission_mode)
    return replace(parent.config, model=model, permission_mode=mode, title=title)


def _text(args: dict[str, Any], key: str) -> str:
    value = args.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ToolError(f"Invalid input: `{key}` is required and must be a non-empty string.")
    return value.strip()


async def run_child(parent: AgentSession, tool_id: str, args: dict[str, Any]) -> tuple[str, bool]:
    """Run one Agent call to its end: (tool_result text, is_error)."""
    tool = parent.agent_tool
    if tool is None:
        return "The Agent tool is not available to this agent.", True
    try:
        name, prompt = _text(args, "subagent_type"), _text(args, "prompt")
        description = str(args.get("description") or "").strip()[:200]
    except ToolError as exc:
        return str(exc), True
    valid = [n for n, _ in tool.callable()]
    depth = parent.depth + 1
    if depth > parent.config.max_depth:
        return (
            f"Cannot start {name}: delegation is limited to {parent.config.max_depth} levels "
            f"and this agent is already at level {parent.depth}. Do the task yourself."
        ), True
    if tool.allowed is not None and name not in tool.allowed:
        return f"Agent type {name!r} is not callable here; valid: {', '.join(valid)}.", True
    definition = tool.subagents.resolve(name)
    if definition is None:
        shown = ", ".join(valid) or "none"
        return f"Unknown agent type {name!r}. Valid agent types: {shown}.", True
    config = child_config(parent, definition, description or prompt.splitlines()[0][:120])
    child: AgentSession = type(parent)(  # type: ignore[call-arg]
        definition,
        parent.ctx.root,
        config,
        history=parent.history,
        parent=parent,
        parent_tool_use_id=tool_id,
        agent_name=name,
    )
    parent.policy.run.shared = True  # "for this whole run" approvals: one per tree
    child.policy.run = parent.policy.run
    parent.started_child(tool_id, name, description, child)
    report: ReportParsed | None = None
    error: SessionError | None = None
    parent.running_children.add(child)  # a stricter mode of the parent's narrows it
    try:
        async with contextlib.aclosing(child.send(prompt)) as events:  # type: ignore[type-var]
            async for event in events:
                if isinstance(event, ReportParsed):
                    report = event
                elif isinstance(event, SessionError):
                    error = event
                parent.hand_up(child, event)
    finally:
        parent.running_children.discard(child)
        await child.aclose()
    return child_result(child, name, report, error)


def child_result(
    child: AgentSession, name: str, report: ReportParsed | None, error: SessionError | None
) -> tuple[str, bool]:
    answer = last_text(child.messages).strip()
    head = f"[{name} · session {child.id} · {child.status}"
    if child.status != SessionStatus.COMPLETED:
        why = f": {error.message}" if error is not None else ""
        said = f"\n\nIts last text:\n{answer}" if answer else ""
        return f"{head}] The agent did not finish ({child.status}{why}).{said}", True
    if report is None:
        return f"{head} · no completion report]\n\n{answer or '(no text)'}", False
    verdict = f"report {report.kind} {report.report_id}: {report.status}"
    return f"{head} · {verdict}]\n\n{answer}", report.outcome == Outcome.FAILED


def last_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") != "assistant":
            continue
        content = message.get("content")
        if isinstance(content, list):
            parts = [b.get("text", "") for b in content if isinstance(b, dict)]
            text = "".join(p for p in parts if isinstance(p, str))
            if text.strip():
                return text
    return ""


def wrap(child: AgentSession, event: Any) -> ChildEvent:
    """A child's event as its parent hands it up (a grandchild's is already wrapped)."""
    if isinstance(event, ChildEvent):
        return event
    return ChildEvent(child.id, child.parent_id or "", child.agent_path, event)
