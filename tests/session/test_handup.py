"""A parent's event queue merges a child's text deltas while its consumer lags (eight children
at 2,000 tokens/s would otherwise flood the app), keeping every child's events in order."""

from __future__ import annotations

from tui.core.session.events import (
    ChildEvent,
    Event,
    TextDelta,
    ThinkingDelta,
    ToolUseStarted,
    TurnEnded,
)
from tui.core.session.handup import EventQueue


def child(sid: str, event: Event) -> ChildEvent:
    return ChildEvent(sid, "root", ("root", sid), event)


def drain(queue: EventQueue) -> list[Event | None]:
    out = []
    while not queue.empty():
        out.append(queue.get_nowait())
    return out


async def test_a_lagging_consumer_gets_each_childs_text_merged_in_order() -> None:
    queue = EventQueue()
    own = TextDelta("parent's own ")  # the session's own deltas are never merged
    for event in (
        own,
        TextDelta("again"),
        child("a", TextDelta("Hel")),
        child("b", TextDelta("Other ")),
        child("a", TextDelta("lo")),
        child("a", ToolUseStarted("t1", "Read")),  # ends a's merge
        child("a", TextDelta(" after")),
        child("b", TextDelta("child")),
        child("a", ThinkingDelta("hmm")),  # another kind: not merged into text
        child("a", TextDelta("!")),
        None,
    ):
        queue.put_nowait(event)
    got = drain(queue)
    assert got == [
        own,
        TextDelta("again"),
        child("a", TextDelta("Hello")),
        child("b", TextDelta("Other child")),
        child("a", ToolUseStarted("t1", "Read")),
        child("a", TextDelta(" after")),
        child("a", ThinkingDelta("hmm")),
        child("a", TextDelta("!")),
        None,
    ]


async def test_a_consumer_that_keeps_up_sees_every_delta() -> None:
    queue = EventQueue()
    seen = []
    for text in ("a", "b", "c"):
        queue.put_nowait(child("a", TextDelta(text)))
        seen.append(queue.get_nowait())  # taken before the next one arrives
    queue.put_nowait(child("a", TurnEnded("end_turn", False)))
    seen += drain(queue)
    assert [getattr(e.event, "text", None) for e in seen] == ["a", "b", "c", None]
