"""A read-only view of long rendered text that never blocks: pieces are rendered to lines in a
thread, the first at once and the next ones only when you scroll near the end of what is
rendered. Drawing a row is a list lookup, so a 2 MB prompt costs what a screenful costs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from textual import work
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.worker_errors import forward_failure

T = TypeVar("T")
Render = Callable[[T, int], list[Strip]]


class LinesView(ScrollView, Generic[T], can_focus=True):
    DEFAULT_CSS = """
    LinesView { height: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pieces: Sequence[T] = ()
        self._renderer: Render[T] | None = None
        self._lines: list[Strip] = []
        self._next = 0
        self._width = 0
        self._busy = False
        self._want_y = 0.0

    @property
    def rendered(self) -> int:
        """How many pieces are rendered (tests and the benchmark look)."""
        return self._next

    @property
    def lines(self) -> list[Strip]:
        return self._lines

    def show(self, pieces: Sequence[T], render: Render[T], *, keep_y: float | None = None) -> None:
        """Show `pieces`, rendering with `render(piece, width)` in a thread. `keep_y`: the
        scroll offset to come back to (an external change of the same file)."""
        self._pieces = pieces
        self._renderer = render
        self._reset()
        self._want_y = keep_y or 0.0
        self.scroll_to(y=0, animate=False)
        self._more()

    def _reset(self) -> None:
        self._lines = []
        self._next = 0
        self._width = 0
        self._resize()

    def _resize(self) -> None:
        pending = self._next < len(self._pieces)
        height = len(self._lines) + (self.size.height if pending else 0)
        self.virtual_size = Size(self.scrollable_content_region.width, height)

    def on_resize(self) -> None:
        if self._renderer is not None and self._width and self._width != self._wrap_width():
            self._want_y = self.scroll_y
            self._reset()
            self._more()

    def _wrap_width(self) -> int:
        return max(20, self.scrollable_content_region.width)

    def _wanted(self) -> int:
        """Rows that should be rendered: up to two screens past the bottom of the view."""
        return int(max(self.scroll_y, self._want_y)) + 3 * max(1, self.size.height)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines) - self.size.height and self._next < len(self._pieces):
            self._more()
        if index < len(self._lines):
            strip = self._lines[index].apply_style(self.rich_style)
            return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    def _more(self) -> None:
        if not self._busy and self._renderer is not None and self._next < len(self._pieces):
            self._busy = True
            self._fill()

    def on_worker_state_changed(self, event: object) -> None:
        forward_failure(self, event)  # type: ignore[arg-type]

    @work(group="lines-view", exit_on_error=False)
    async def _fill(self) -> None:
        try:
            while self._next < len(self._pieces) and len(self._lines) < self._wanted():
                render = self._renderer
                assert render is not None
                width = self._wrap_width()
                pieces, at = self._pieces, self._next
                strips = await asyncio.to_thread(render, pieces[at], width)
                if pieces is not self._pieces or at != self._next or width != self._wrap_width():
                    if pieces is not self._pieces or width != self._wrap_width():
                        self._reset()
                    continue  # shown something else, or resized, meanwhile
                self._width = width
                self._lines.extend(strips)
                self._next += 1
                self._resize()
                if self._want_y and len(self._lines) > self._want_y:
                    self.scroll_to(y=self._want_y, animate=False)
                    self._want_y = 0.0
                self.refresh()
            if self._want_y and self._next >= len(self._pieces):  # shorter now: clamp
                self.scroll_to(y=min(self._want_y, self.max_scroll_y), animate=False)
                self._want_y = 0.0
        finally:
            self._busy = False
