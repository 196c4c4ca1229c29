"""Find and copy in a session's transcript: the session view's keys for both (a mixin).

Ctrl+F opens the find bar. Matches are looked for in every block's text (core.session
.block_text), also in blocks pruned from the DOM and in folded ones: stepping to a match brings
its block back (a far one replaces the DOM window: transcript_reframe.py), unfolds it and
scrolls to it. Blocks with a match are marked, the current one stronger, and plain-text
blocks highlight the matched words. The copy keys put a block, the last answer or a code
block on the clipboard (Textual's `copy_to_clipboard`, OSC 52): the real text, without
escape sequences.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from tui.core.session.block_text import (
    MAX_MATCHES,
    Match,
    copy_text,
    find_all,
    last_answer,
    last_code,
)
from tui.widgets.transcript_reframe import TranscriptReframe
from tui.widgets.transcript_search import SearchBar

HIT_STYLE = "bold #000000 on #ffd75f"


class FindAndCopy(TranscriptReframe):
    """Mixed into SessionView, which provides the transcript and its DOM window."""

    DEFAULT_CSS = """
    .block.-find-hit { background: $warning 8%; }
    .block.-find-current { background: $warning 20%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+f",
            "find",
            "Find",
            id="session.find",
            show=False,
            tooltip="Find in the transcript (Enter/F3 next, Shift+Enter previous, Esc closes)",
        ),
        Binding("n", "find_step(1)", "Next match", id="session.find_next", show=False),
        Binding("N", "find_step(-1)", "Previous match", id="session.find_previous", show=False),
        Binding(
            "alt+c",
            "copy_block",
            "Copy block",
            id="session.copy_block",
            show=False,
            tooltip="Copy the focused block (or the current match's, or the last) to the clipboard",
        ),
        Binding(
            "alt+a",
            "copy_answer",
            "Copy answer",
            id="session.copy_answer",
            show=False,
            tooltip="Copy the model's last answer to the clipboard",
        ),
        Binding(
            "alt+k",
            "copy_code",
            "Copy code",
            id="session.copy_code",
            show=False,
            tooltip="Copy the last code block (of the focused block, else of the answers)",
        ),
    ]

    # (reassigned, never changed in place: the class defaults stay empty)
    _matches: list[Match] = []  # noqa: RUF012
    _match_at: int | None = None
    _marked: dict[Widget, list[tuple[Static, Text | Content]]] = {}  # noqa: RUF012
    _query = ""

    def focus_input(self) -> None:
        raise NotImplementedError

    @property
    def find_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    # ------------------------------------------------------------------ find

    def action_find(self) -> None:
        self.find_bar.open()
        self._search(self.find_bar.input.value)

    @on(SearchBar.Changed)
    def _query_changed(self, event: SearchBar.Changed) -> None:
        event.stop()
        self._search(event.query)

    @on(SearchBar.Step)
    async def _stepped(self, event: SearchBar.Step) -> None:
        event.stop()
        await self.action_find_step(event.step)

    @on(SearchBar.Closed)
    def _find_closed(self, event: SearchBar.Closed) -> None:
        event.stop()
        self.find_bar.close()
        self._search("")
        self.focus_input()

    def _search(self, query: str) -> None:
        self._query = query
        self._matches = find_all(self.transcript.blocks, query)
        self._match_at = None
        self._mark()

    async def action_find_step(self, step: int) -> None:
        if not self._matches:
            return
        count = len(self._matches)
        at = self._match_at
        at = (0 if step > 0 else count - 1) if at is None else (at + step) % count
        self._match_at = at
        match = self._matches[at]
        await self.show_block(match.index)  # (a far one replaces the DOM window)
        widget = self._widgets.get(match.index)
        if widget is not None:
            for fold in [widget, *widget.query(Collapsible)]:  # folded text shows
                if isinstance(fold, Collapsible):
                    fold.collapsed = False
        self._mark()
        if widget is not None:
            self.scroll.release_anchor()
            self.call_after_refresh(self._show_match, widget)

    def _show_match(self, widget: Widget) -> None:
        if widget.is_attached:
            self.scroll.scroll_to_widget(widget, animate=False, top=True)

    def _mark(self) -> None:
        """Mark the blocks in the DOM that match; highlight the words in plain-text ones."""
        for widget, statics in self._marked.items():  # undo the last marks
            widget.remove_class("-find-hit", "-find-current")
            for static, content in statics:
                if static.is_attached:
                    static.update(content)  # (the Text it had)
        self._marked = {}
        current = self._matches[self._match_at].index if self._match_at is not None else None
        hit = {m.index for m in self._matches}
        for index in hit:
            shown = self._widgets.get(index)
            if shown is None or not shown.is_attached:
                continue
            shown.add_class("-find-current" if index == current else "-find-hit")
            self._marked[shown] = self._highlight(shown)
        capped = len(self._matches) >= MAX_MATCHES
        self.find_bar.show_count(self._match_at, len(self._matches), capped)

    def _highlight(self, widget: Widget) -> list[tuple[Static, Text | Content]]:
        """Highlight the query in the widget's texts (Rich Text, or Textual Content as the
        Markdown blocks hold); returns what each changed Static showed before."""
        changed: list[tuple[Static, Text | Content]] = []
        if not self._query:
            return changed
        pattern = re.compile(re.escape(self._query), re.IGNORECASE)
        statics = [widget] if isinstance(widget, Static) else []
        for static in [*statics, *widget.query(Static)]:
            content = static.content
            if isinstance(content, Text):
                marked = content.copy()
                if marked.highlight_regex(pattern, HIT_STYLE):
                    changed.append((static, content))
                    static.update(marked)
            elif isinstance(content, Content) and pattern.search(content.plain):
                changed.append((static, content))
                static.update(content.highlight_regex(pattern, style=HIT_STYLE))
        return changed

    # ------------------------------------------------------------------ copy

    def _block_in_focus(self) -> int | None:
        """The block holding the keyboard, else the current match's, else the newest."""
        node: object = self.app.focused
        owners = {id(w): i for i, w in self._widgets.items()}
        while isinstance(node, Widget) and node is not self:
            if id(node) in owners:
                return owners[id(node)]
            node = node.parent
        if self._match_at is not None:
            return self._matches[self._match_at].index
        return len(self.transcript.blocks) - 1 if self.transcript.blocks else None

    def action_copy_block(self) -> None:
        index = self._block_in_focus()
        text = copy_text(self.transcript.blocks[index]) if index is not None else ""
        self._copy(text, "the block")

    def action_copy_answer(self) -> None:
        self._copy(last_answer(self.transcript.blocks) or "", "the last answer")

    def action_copy_code(self) -> None:
        text = last_code(self.transcript.blocks, self._block_in_focus())
        self._copy(text or "", "the code block")

    def _copy(self, text: str, what: str) -> None:
        if not text:
            self.notify(f"Nothing to copy: no {what.removeprefix('the ')} yet.", timeout=3)
            return
        self.app.copy_to_clipboard(text)
        lines = text.count("\n") + 1
        self.notify(f"Copied {lines:,} line{'s' if lines != 1 else ''} ({what}).", timeout=3)
