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
