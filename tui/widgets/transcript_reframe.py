"""Moving a session view's DOM window: showing a block far from the mounted ones, and back.

The view keeps one contiguous run of blocks in the DOM, normally the newest (the live tail).
Showing a block just above the run mounts the blocks in between (one page at most); showing
one further away replaces the run with a window around it (transcript_window.window_around),
so a jump costs about one screenful whatever the distance. Such a window is "detached": new
blocks are not mounted while it is shown, and a bar under the transcript says how many later
blocks are hidden. Ctrl+End, the bar, sending a message, Retry or a permission request go back
to the newest blocks (the same window a session opens with) and follow the stream again.

Replacing the window happens under the lock the view's pump applies changes under, and drops
the changes queued or taken by the pump: each is already in the transcript the new widgets
are made from.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import events, on
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button

from tui.core.session.transcript import Transcript
from tui.widgets.session_blocks import ResponseView
from tui.widgets.transcript_window import (
    DOM_CHARS,
    MAX_BLOCKS,
    PAGE,
    page_end,
    page_start,
    window_around,
)

if TYPE_CHECKING:
    from collections.abc import Iterable


class TranscriptScroll(VerticalScroll):
    """The transcript's scroll: moving down while already at the bottom says so (a detached
    window then brings its next blocks; at the live tail nothing happens)."""

    class PastBottom(Message):
        pass

    def past_bottom(self) -> None:
        """Say so when moving down from the bottom (PastBottom)."""
        if self.scroll_y >= self.max_scroll_y:
            self.post_message(self.PastBottom())

    def action_page_down(self) -> None:
        self.past_bottom()
        super().action_page_down()

    def action_scroll_down(self) -> None:
        self.past_bottom()
        super().action_scroll_down()

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.past_bottom()
        super()._on_mouse_scroll_down(event)


class TranscriptReframe(Widget):
    """Mixed into SessionView (through FindAndCopy), which provides the transcript, the
    widgets shown (`_widgets`, from `_first` on) and the queue of changes (`_ops`)."""

    DEFAULT_CSS = """
    .later { width: 100%; display: none; }
    """

    _widgets: dict[int, Widget]
    _first: int
    _ops: asyncio.Queue[tuple[str, int, str]]
    _end: int | None = None  # the end (exclusive) of a detached window; None: the live tail
    _window_lock_: asyncio.Lock | None = None
    frames = 0  # how many times the window was replaced (changes taken before are dropped)

    @property
    def transcript(self) -> Transcript:
        raise NotImplementedError

    @property
    def scroll(self) -> VerticalScroll:
        raise NotImplementedError

    @property
    def blocks(self) -> Vertical:
        raise NotImplementedError

    def _make(self, index: int) -> Widget:
        raise NotImplementedError

    def _update_earlier(self) -> None:
        raise NotImplementedError

    def _flush_history(self) -> None:
        raise NotImplementedError

    def _prune(self) -> None:
        raise NotImplementedError

    @property
    def window_lock(self) -> asyncio.Lock:
        """Held while the DOM window changes (the pump applies changes under it too)."""
        if self._window_lock_ is None:
            self._window_lock_ = asyncio.Lock()
        return self._window_lock_

    @property
    def at_tail(self) -> bool:
        """The newest blocks are mounted (new ones are mounted as they come)."""
        return self._end is None

    async def show_block(self, index: int) -> None:
        """Mount block `index` (and what a contiguous run needs), at about one page's cost."""
        if index in self._widgets:
            return
        blocks = self.transcript.blocks
        self.scroll.release_anchor()
        if self.at_tail and self._first - PAGE <= index < self._first:
            widgets = [self._make(i) for i in range(index, self._first)]
            await self.blocks.mount_all(widgets, after=self.query_one("#earlier"))
            self._first = index
            self._update_earlier()
            return
        start, end = window_around(blocks, index)
        tail = self._tail_start()
        if tail <= index or end >= len(blocks):
            await self._reframe(min(start, tail), None)
        else:
            await self._reframe(start, end)

    def follow_tail(self) -> None:
        """Scroll to the newest block and follow the stream, mounting it back if needed."""
        if self.at_tail:
            self.scroll.anchor()
        else:
            self.run_worker(self.back_to_tail(), group="reframe", exit_on_error=False)

    async def back_to_tail(self) -> None:
        if not self.at_tail:
            await self._reframe(self._tail_start(), None)
        scroll = self.scroll
        scroll.anchor()
        self.call_after_refresh(scroll.scroll_end, animate=False, immediate=True)

    async def show_later(self) -> None:
        """Page Down at the bottom of a detached window: the next page of blocks comes in
        below (the window joins the live tail again once it holds the newest block). The
        oldest blocks leave as it grows, within the same limits as at the tail, and the view
        does not jump when they do."""
        async with self.window_lock:
            if self._end is None:
                return
            blocks = self.transcript.blocks
            start = self._end
            end = page_end(blocks, start, PAGE, DOM_CHARS // 2)
            self._end = None if end >= len(blocks) else end
            widgets = [self._make(i) for i in range(start, end)]
            if widgets:
                await self.blocks.mount_all(widgets)
            tops = {i: w.virtual_region.y for i, w in self._widgets.items()}
            self._prune()
            self._update_later()
            if self._widgets and min(self._widgets) != min(tops):
                kept = min(self._widgets)
                scroll = self.scroll
                y = scroll.scroll_y

                def keep_place() -> None:  # what left above moved everything up
                    widget = self._widgets.get(kept)
                    if widget is None:
                        return
                    moved = tops[kept] - widget.virtual_region.y
                    scroll.scroll_to(y=max(0, y - moved), animate=False, immediate=True)

                self.call_after_refresh(keep_place)

    @on(TranscriptScroll.PastBottom)
    def _next_blocks_below(self, event: TranscriptScroll.PastBottom) -> None:
        event.stop()
        if not self.at_tail:
            self.run_worker(self.show_later(), group="later", exclusive=True, exit_on_error=False)

    @on(Button.Pressed, "#later")
    def _later_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.follow_tail()

    def changed_while_detached(self, indices: set[int]) -> None:
        """Recount the hidden blocks; a permission request brings the newest blocks back
        (the session waits for the user, as the prompt says)."""
        self._update_later()
        blocks = self.transcript.blocks
        if any(getattr(blocks[i], "waiting", False) for i in indices if i < len(blocks)):
            self.run_worker(self.back_to_tail(), group="reframe", exit_on_error=False)

    def _tail_start(self) -> int:
        count = len(self.transcript.blocks)
        return page_start(self.transcript.blocks, count, MAX_BLOCKS, DOM_CHARS)

    async def _reframe(self, start: int, end: int | None) -> None:
        """Replace the mounted blocks with blocks start..end (None: to the newest)."""
        async with self.window_lock:
            self._flush_history()
            self.frames += 1  # (changes taken or queued are in the transcript the new
            while not self._ops.empty():  # widgets come from)
                self._ops.get_nowait()
            old = list(self._widgets.values())
            await self._close(old)
            self._widgets.clear()
            await self.blocks.remove_children(old)
            stop = len(self.transcript.blocks) if end is None else end
            widgets = [self._make(i) for i in range(start, stop)]
            self._first, self._end = start, end
            if widgets:
                await self.blocks.mount_all(widgets, after=self.query_one("#earlier"))
            self._update_earlier()
            self._update_later()

    @staticmethod
    async def _close(widgets: Iterable[Widget]) -> None:
        for widget in widgets:
            if isinstance(widget, ResponseView):
                await widget.close_stream()

    def _update_later(self) -> None:
        later = self.query_one("#later", Button)
        hidden = 0 if self._end is None else len(self.transcript.blocks) - self._end
        later.display = self._end is not None
        later.label = f"▼ {hidden:,} later blocks hidden: back to the newest (Ctrl+End)"
