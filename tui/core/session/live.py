"""A running session as the app holds it: the engine, its transcript, and the open questions.

`LiveSession.run(prompt)` drives one `send` (or `retry` when `prompt` is None) to its end,
feeding every event into the transcript and telling listeners what changed. Permission
requests wait in `pending` until `decide()` answers them, so a view can show the prompt inline
and keep streaming other sessions meanwhile. Nothing here knows about widgets.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from .events import (
    ChildEvent,
    Decision,
    Event,
    Notice,
    PermissionNeeded,
    SessionStatus,
    ToolResult,
    UserMessage,
    to_json,
)
from .transcript import Change, Transcript

if TYPE_CHECKING:
    import asyncio

    from .engine import AgentSession

Listener = Callable[["LiveSession", list[Change]], None]


class LiveSession:
    def __init__(self, session: AgentSession, *, label: str = "") -> None:
        self.session = session
        self.label = label or session.id
        self.transcript = Transcript(
            model=session.model,
            mode=session.mode,
            session_id=session.id,
            demo=session.config.demo,
        )
        self.pending: dict[str, asyncio.Future[Decision]] = {}
        self.listeners: list[Listener] = []
        self.running = False
        self.queued: list[str] = []  # messages typed during a turn, sent when it ends
        session.progress.listeners.append(self._on_progress)

    @property
    def id(self) -> str:
        return self.session.id

    @property
    def waiting(self) -> bool:
        return bool(self.pending)

    def load_history(self, transcript: Transcript) -> None:
        """Start from a stored session's transcript (resume)."""
        transcript.model, transcript.mode = self.session.model, self.session.mode
        self.transcript = transcript
        self._tell([])

    async def run(self, prompt: str | None) -> SessionStatus:
        """One turn loop; returns the engine's status (completed, interrupted, error, ...)."""
        if self.running:
            raise RuntimeError("this session is already running")
        self.running = True
        if prompt is not None:
            self._tell(
                self.transcript.apply(
                    UserMessage.KIND, {"content": [{"type": "text", "text": prompt}]}
                )
            )
        stream = self.session.send(prompt) if prompt is not None else self.session.retry()
        return await self._follow(stream)

    async def compact(self) -> SessionStatus:
        """/compact: the summary request, followed like a turn (user_commands.py)."""
        if self.running:
            raise RuntimeError("this session is already running")
        self.running = True
        return await self._follow(self.session.compact())

    async def _follow(self, stream: AsyncIterator[Event]) -> SessionStatus:
        try:
            async with contextlib.aclosing(stream) as events:  # type: ignore[type-var]
                async for event in events:
                    self._on_event(event)
        finally:
            self.running = False
            for future in self.pending.values():
                if not future.done():
                    future.cancel()
            self.pending.clear()
            self.transcript.finish(self.session.status)
            self._tell([])
        return self.session.status

    def decide(self, tool_use_id: str, decision: Decision) -> bool:
        """Answer a waiting permission request; False when it is no longer waiting."""
        future = self.pending.pop(tool_use_id, None)
        if future is None or future.done():
            return False
        future.set_result(decision)
        return True

    def enqueue(self, text: str) -> None:
        """A message typed while the agent works: shown as queued, sent when the turn ends
        (`take_queued`); an interrupted turn gives it back instead."""
        self.queued.append(text)
        shown = text if len(text) <= 200 else text[:199] + "…"
        notice = Notice("queued", f"Queued, sent when this turn ends: {shown}")
        self._tell(self.transcript.apply(notice.KIND, to_json(notice)))

    def take_queued(self) -> str:
        text, self.queued = "\n\n".join(self.queued), []
        return text

    def cycle_mode(self) -> str:
        """Shift+Tab: default → acceptEdits → plan → default, from now on (the next request
        uses it); recorded in the history and shown in the transcript. Returns the new mode."""
        from .planmode import next_mode

        return self.set_mode(next_mode(self.session.mode))

    def set_mode(self, mode: str) -> str:
        """/mode (checked by the caller against slash.allowed_modes): as Shift+Tab does."""
        running = self.running
        notice = self.session.set_mode(mode, show_later=False)
        if notice is not None and not running:  # (during a turn it arrives as an event)
            self._tell(self.transcript.apply(notice.KIND, to_json(notice)))
        return self.session.mode

    def set_model(self, model_id: str, label: str = "") -> None:
        """/model: from the next request; said in the transcript and the history."""
        notice = self.session.set_model(model_id, label)
        if notice is not None:
            self.transcript.model = model_id
            self.note(notice.text, notice.code)

    def note(self, text: str, code: str = "note") -> None:
        """A line in this transcript only (what /help, /cost and refusals say)."""
        notice = Notice(code, text)
        self._tell(self.transcript.apply(notice.KIND, to_json(notice)))

    def interrupt(self) -> bool:
        if not self.running:
            return False
        self.session.cancel()
        return True

    def _on_event(self, event: Event) -> None:
        # a child's prompt (any depth) waits here too: answered from this session's screen
        inner = event.event if isinstance(event, ChildEvent) else event
        if isinstance(inner, PermissionNeeded):
            self.pending[inner.tool_use_id] = inner.future
        self._tell(self.transcript.apply(event.KIND, to_json(event)))
        if isinstance(event, ToolResult) and (done := self.transcript.tool(event.tool_use_id)):
            done.live = ""  # the result replaces the output so far

    def _on_progress(self, tool_use_id: str, text: str) -> None:
        """A running command's output so far: into its block (not the history)."""
        block = self.transcript.tool(tool_use_id)
        if block is None or block.output is not None:
            return
        block.live = text
        index = self.transcript.tool_index(tool_use_id)
        if index is not None:
            self._tell([Change(index, block, appended="")])

    def _tell(self, changes: list[Change]) -> None:
        for listener in list(self.listeners):
            listener(self, changes)
