"""Helpers for delegation tests: a catalog of definitions as the Agent tool sees it, and
draining a session tree's events while answering permission requests at any depth."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from tests.helpers.session import Answer, allow_all, make_definition
from tui.core.definition import AgentDefinition
from tui.core.session.events import ChildEvent, Event, PermissionNeeded
from tui.core.session.options import Subagents


def catalog(*definitions: AgentDefinition) -> Subagents:
    by_name = {d.name: d for d in definitions}
    return Subagents(
        resolve=by_name.get,
        listing=lambda: [(d.name or "", d.description or "") for d in definitions],
    )


def agent(name: str, marker: str, **kw: Any) -> AgentDefinition:
    """A definition whose system prompt holds `marker` (the fake API routes by it)."""
    body = kw.pop("body", f"{marker}: you are {name}. End with a completion report.")
    return make_definition(name, body, **kw)


def unwrap(event: Event) -> Event:
    return event.event if isinstance(event, ChildEvent) else event


async def drain_tree(events: AsyncIterator[Event], answer: Answer = allow_all) -> list[Event]:
    """Every event of the tree (children's wrapped), answering prompts at any depth."""
    out: list[Event] = []
    async with contextlib.aclosing(events) as stream:  # type: ignore[type-var]
        async for event in stream:
            out.append(event)
            inner = unwrap(event)
            if isinstance(inner, PermissionNeeded):
                inner.future.set_result(answer(inner))
    return out


def of_child(events: list[Event], kind: type) -> list[ChildEvent]:
    return [e for e in events if isinstance(e, ChildEvent) and isinstance(e.event, kind)]


# An orchestrator that fans out to two children which run the same Bash command
ORCH_RUN, CHILD_A, CHILD_B = "ORCH-RUN-41a", "CHILD-A-52b", "CHILD-B-63c"


def fan_out_defs(
    b_mode: str | None = None, orch_mode: str | None = None
) -> tuple[AgentDefinition, AgentDefinition, AgentDefinition]:
    return (
        agent("orchestrator", ORCH_RUN, tools=("Agent", "Bash"), mode=orch_mode),
        agent("child-a", CHILD_A, tools=("Bash",)),
        agent("child-b", CHILD_B, tools=("Bash",), mode=b_mode),
    )


def script_fan_out(
    api: Any, command: str = "echo hi", b_command: str | None = None, run: int = 1
) -> None:
    """The orchestrator calls child-a and child-b in one message; each runs a Bash command
    (child-b's call is held until child-a's second request: child-a's prompt was answered and
    its command ran); then the orchestrator runs `command` itself and reports. `run`: the
    how-many-th time this script plays against the same server."""
    from tests.fakeapi import reply, text, tool_use

    def call(tool_id: str, who: str) -> dict[str, Any]:
        args = {"description": f"run {who}", "prompt": f"run {command}", "subagent_type": who}
        return tool_use(tool_id, "Agent", args)

    done = "TASK_COMPLETE: {}\nSTATUS: success\nSUMMARY: ran it\n"
    api.route(
        ORCH_RUN,
        reply(call("c1", "child-a"), call("c2", "child-b")),
        reply(tool_use("o1", "Bash", {"command": command})),
        reply(text(done.format("top"))),
    )
    api.route(
        CHILD_A,
        reply(tool_use("a1", "Bash", {"command": command})),
        reply(text(done.format("a"))),
    )
    api.route(
        CHILD_B,
        reply(
            tool_use("b1", "Bash", {"command": b_command or command}),
            after=(CHILD_A, 2 * run),
        ),
        reply(text(done.format("b"))),
    )
