"""The queue between a session's turn loop and its consumer, which also carries the events its
children hand up (engine.hand_up).

A child streaming 2,000 tokens/s puts 2,000 text deltas a second through its parent's consumer
(the app's transcript, the terminal); eight of them at once are more events than a consumer
that also draws a screen keeps up with. So while a child's text deltas still wait in the queue,
the next ones are merged into them: a consumer that keeps up sees every delta, one that lags
sees fewer, longer ones. Any other event of that child ends the merge, so a child's events keep
their order; nothing is dropped, and the child's own history still records every delta.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

from .events import ChildEvent, Event, TextDelta, ThinkingDelta


@dataclass(slots=True)
class _Waiting:
    """A child's deltas of one kind, queued as one event until the consumer takes it."""

    first: ChildEvent
    kind: type[TextDelta] | type[ThinkingDelta]
    parts: list[str] = field(default_factory=list)

    def event(self) -> ChildEvent:
        return replace(self.first, event=self.kind("".join(self.parts)))


class EventQueue(asyncio.Queue["Event | None"]):
    def _init(self, maxsize: int) -> None:
        super()._init(maxsize)
        self._open: dict[str, _Waiting] = {}  # child session id -> its deltas still queued

    def _put(self, item: Event | None) -> None:
        if isinstance(item, ChildEvent):
            inner = item.event
            waiting = self._open.get(item.session_id)
            if isinstance(inner, TextDelta | ThinkingDelta):
                if waiting is not None and waiting.kind is type(inner):
                    waiting.parts.append(inner.text)
                    return
                waiting = _Waiting(item, type(inner), [inner.text])
                self._open[item.session_id] = waiting
                super()._put(waiting)  # type: ignore[arg-type]
                return
            if waiting is not None:  # later deltas queue after this event
                del self._open[item.session_id]
        super()._put(item)

    def _get(self) -> Event | None:
        item: Event | _Waiting | None = super()._get()
        if isinstance(item, _Waiting):
            sid = item.first.session_id
            if self._open.get(sid) is item:
                del self._open[sid]
            return item.event()
        return item
