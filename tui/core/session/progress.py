"""Live output of a running tool: what has arrived so far, for the screen only.

A tool that produces output over time (Bash) reports the text so far through `reporter()`,
at most `INTERVAL_S` apart (`Throttle`). The session's `ProgressBoard` redacts it, keeps the
latest text per call (so an interrupt can keep what arrived) and tells its listeners (the
live session, which shows it in the call's block). None of it goes to the model or to the
history: the tool's result, once complete, does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from contextvars import ContextVar

INTERVAL_S = 0.1  # at most ten reports a second per call

Report = Callable[[str], None]
ProgressListener = Callable[[str, str], None]  # (tool_use_id, text so far)

# set by the tool runner around `tool.run`: where the running call reports its output
CURRENT: ContextVar[Report | None] = ContextVar("roster_tool_progress", default=None)


def reporter() -> Report | None:
    """The running tool call's progress callback, if its runner wants progress."""
    return CURRENT.get()


class ProgressBoard:
    """One per session: the latest output of each running call, and who wants to know."""

    def __init__(self, redact: Callable[[str], str] = lambda text: text) -> None:
        self._redact = redact
        self._latest: dict[str, str] = {}
        self.listeners: list[ProgressListener] = []

    def report(self, tool_use_id: str, text: str) -> None:
        text = self._redact(text)  # a secret the command prints never reaches the screen
        self._latest[tool_use_id] = text
        for listener in list(self.listeners):
            listener(tool_use_id, text)

    def for_call(self, tool_use_id: str) -> Report:
        return lambda text: self.report(tool_use_id, text)

    def take(self, tool_use_id: str) -> str:
        """What arrived for a call (""), forgotten: the call is over."""
        return self._latest.pop(tool_use_id, "")


class Throttle:
    """Calls `send(read())` at most every `interval` seconds while pokes arrive, and once
    more after the last poke (`flush` sends at once; `close` stops for good)."""

    def __init__(self, read: Callable[[], str], send: Report, interval: float = INTERVAL_S) -> None:
        self._read, self._send, self._interval = read, send, interval
        self._timer: asyncio.TimerHandle | None = None
        self._closed = False

    def poke(self) -> None:
        if self._timer is None and not self._closed:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self._interval, self.flush)

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._closed:
            with contextlib.suppress(Exception):  # a screen's failure must not stop the tool
                self._send(self._read())

    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
