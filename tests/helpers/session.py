"""Helpers the session tests share: definitions, draining an event stream while answering
permission requests, and process checks."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from tui.core.definition import AgentDefinition
from tui.core.session.events import Decision, Event, PermissionNeeded

SECRET_KEY = "sk-ant-test-SECRET-0123456789abcdef"


def make_definition(
    name: str = "tester",
    body: str = "You are a careful test agent.",
    *,
    tools: tuple[str, ...] | None = None,
    disallowed: tuple[str, ...] | None = None,
    model: str | None = None,
    mode: str | None = None,
    frontmatter: dict[str, Any] | None = None,
    path: Path | None = None,
) -> AgentDefinition:
    path = path or Path(f"/agents/{name}.md")
    return AgentDefinition(
        path=path,
        root=path.parent,
        name=name,
        description=f"{name} for tests",
        tools=tools,
        disallowed_tools=disallowed,
        model=model,
        permission_mode=mode,
        level="L2",
        level_inferred=False,
        domain="testing",
        domain_inferred=False,
        frameworks=(),
        color=None,
        frontmatter=dict(frontmatter or {}),
        extra={},
        body=body,
        body_line=5,
        key_lines={},
        encoding="utf-8",
        content_hash="0" * 64,
        loads_in_claude_code=True,
        skip_reason=None,
    )


Answer = Callable[[PermissionNeeded], Decision]


def allow_all(_: PermissionNeeded) -> Decision:
    return Decision("allow_once")


def deny_all(_: PermissionNeeded) -> Decision:
    return Decision("deny", "not today")


async def drain(events: AsyncIterator[Event], answer: Answer = allow_all) -> list[Event]:
    """Collect every event, answering permission requests with `answer`."""
    out: list[Event] = []
    async with contextlib.aclosing(events) as stream:  # type: ignore[type-var]
        async for event in stream:
            out.append(event)
            if isinstance(event, PermissionNeeded):
                event.future.set_result(answer(event))
    return out


def of_type(events: list[Event], kind: type) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


def process_running(pid: int) -> bool:
    """Alive and not a zombie (an orphan may wait for PID 1 to reap it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
