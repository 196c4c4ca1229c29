"""Preview of the highlighted agent: Overview (card, problems, workflows), Prompt (the body
rendered as Markdown; the frontmatter is not part of it), Source (the raw file, highlighted,
with line numbers).

Loads run in one exclusive worker, so a newer highlight cancels an older load and holding an
arrow key never paints a stale agent. Only the visible tab is filled; the others are filled when
they are opened (their widgets are not even created until then).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane, Tabs
from textual.worker import Worker

from tui.core.chunks import Piece, split
from tui.core.group_summary import MAX_NAMES
from tui.core.sanitize import visible
from tui.widgets.diagnostics import sort_diagnostics
from tui.widgets.lines_view import LinesView
from tui.widgets.preview_card import GroupInfo, PreviewInfo, group_overview, overview
from tui.widgets.rendered import markdown_strips, source_strips, with_note
from tui.widgets.worker_errors import forward_failure

if TYPE_CHECKING:
    from rich.markdown import Markdown
    from textual.widgets import TextArea


__all__ = ["GroupInfo", "Preview", "PreviewInfo", "read_source", "render_markdown"]

TABS = ("tab-overview", "tab-prompt", "tab-source")
BIG_BODY = 20_000  # a longer prompt renders off the event loop, a piece at a time
BIG_SOURCE = 100_000  # a longer file shows as numbered lines rendered the same way


PLACEHOLDER = Text("No agent highlighted.", "dim")
GROUP_PROMPT = "A group has no prompt of its own; this is what it holds."
GROUP_SOURCE = "A group has no file of its own; this is what it holds."


def render_markdown(body: str) -> Markdown:
    """The body as Rich Markdown: one renderable (a Textual Markdown widget mounts a widget per
    block, which takes a second for a long prompt)."""
    from rich.markdown import Markdown

    return Markdown(visible(body), code_theme="ansi_dark", hyperlinks=False)


def read_source(path: Path) -> str:
    from tui.core.decode import decode_bytes

    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"(cannot read {path}: {exc.strerror or exc})"
    return visible(decode_bytes(data).text)


class Preview(Vertical):
    """Tabs over the highlighted agent (or group)."""

    HELP = "`[` and `]` switch tabs. Overview shows metadata, problems and workflows."

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._info: PreviewInfo | GroupInfo | None = None
        self._filled: set[str] = set()
        self._keep: dict[str, tuple[float, tuple[int, int] | None]] = {}
        self.shown: tuple[str, str] | None = None  # what the Overview tab shows now

    def compose(self) -> ComposeResult:
        with TabbedContent(id="preview-tabs"):
            with TabPane("Overview", id="tab-overview"), VerticalScroll(id="overview-scroll"):
                yield Static(PLACEHOLDER, id="card")
            with TabPane("Prompt", id="tab-prompt"):
                yield VerticalScroll(id="prompt-scroll")
                yield LinesView[Piece](id="prompt-lines")
            with TabPane("Source", id="tab-source"):
                yield Vertical(id="source-box")
                yield LinesView[Piece](id="source-lines")

    def on_mount(self) -> None:
        # Tab from the tree lands on the content, not on the tab strip ([ and ] switch tabs)
        for strip in self.query(Tabs):
            strip.can_focus = False

    @property
    def info(self) -> PreviewInfo | GroupInfo | None:
        return self._info

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#preview-tabs", TabbedContent)

    def show(self, info: PreviewInfo | GroupInfo | None) -> None:
        """Show `info`; the same file again (an external save) keeps each tab's scroll place
        (clamped to the new length) and the Source cursor, so "edit in your editor, watch the
        preview" works."""
        old = self._info
        same = (
            isinstance(old, PreviewInfo)
            and isinstance(info, PreviewInfo)
            and old.row.path == info.row.path
        )
        self._keep = self._places() if same else {}
        self._info = info
        self._filled = set()
        self._load()

    def _places(self) -> dict[str, tuple[float, tuple[int, int] | None]]:
        """Scroll offset (and the Source cursor) of each filled tab."""
        out: dict[str, tuple[float, tuple[int, int] | None]] = {}
        for tab, selector in (
            ("tab-overview", "#overview-scroll"),
            ("tab-prompt", "#prompt-scroll"),
        ):
            if tab in self._filled:
                out[tab] = (self.query_one(selector).scroll_y, None)
        if "tab-source" in self._filled:
            from textual.widgets import TextArea

            for area in self.query("#source-box TextArea").results(TextArea):
                out["tab-source"] = (area.scroll_y, area.cursor_location)
        return out

    def _scroll(self, tab: str, widget: Widget) -> None:
        """Back to where this tab was before the same file changed, or to the top."""
        kept = self._keep.pop(tab, None)
        if kept is None:
            widget.scroll_home(animate=False)
        else:
            y = kept[0]
            widget.call_after_refresh(lambda: widget.scroll_to(y=y, animate=False))

    def cycle_tab(self, step: int) -> None:
        tabs = self.tabs
        at = TABS.index(tabs.active) if tabs.active in TABS else 0
        tabs.active = TABS[(at + step) % len(TABS)]

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self._load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_failure(self, event)  # to the App's error funnel (StateChanged does not bubble)

    @work(exclusive=True, group="preview", exit_on_error=False)
    async def _load(self) -> None:
        info = self._info
        if "tab-overview" not in self._filled:
            card = self.query_one("#card", Static)
            if info is None:
                card.update(PLACEHOLDER)
                self.shown = None
            elif isinstance(info, GroupInfo):
                card.update(group_overview(info))
                self.shown = ("group", info.key)
            else:
                from tui.core.workflow import parse_body

                d = info.row.definition
                if len(d.body) > BIG_BODY:
                    sections = await asyncio.to_thread(parse_body, d.body, d.body_line - 1)
                else:
                    sections = parse_body(d.body, d.body_line - 1)
                card.update(overview(info, sections))
                self.shown = info.key
            self._scroll("tab-overview", self.query_one("#overview-scroll", VerticalScroll))
            self._filled.add("tab-overview")
        active = self.tabs.active
        if active in self._filled:
            return
        if isinstance(info, GroupInfo) and active in ("tab-prompt", "tab-source"):
            await self._group_in(active, info)  # a group has no prompt or file of its own
        elif active == "tab-prompt":
            body = info.row.definition.body if isinstance(info, PreviewInfo) else ""
            big = len(body) > BIG_BODY
            self._show_big("prompt", big)
            if big:  # rendered off the event loop, a piece at a time
                pieces = await asyncio.to_thread(split, body)
                kept = self._keep.pop("tab-prompt", None)
                self._lines("prompt").show(
                    with_note(pieces, markdown=True),
                    markdown_strips,
                    keep_y=kept[0] if kept else None,
                )
            else:
                prompt = await self._markdown()
                prompt.update(render_markdown(body))
                self._scroll("tab-prompt", self.query_one("#prompt-scroll", VerticalScroll))
        elif active == "tab-source":
            self._source_group(None)
            if isinstance(info, PreviewInfo):
                text = await asyncio.to_thread(read_source, info.row.path)
            else:
                text = ""
            big = len(text) > BIG_SOURCE
            self._show_big("source", big)
            if big:
                pieces = await asyncio.to_thread(split, text, blocks=False)
                kept = self._keep.pop("tab-source", None)
                self._lines("source").show(
                    with_note(pieces, markdown=False),
                    source_strips,
                    keep_y=kept[0] if kept else None,
                )
                self._filled.add(active)
                return
            area = await self._source()
            area.load_text(text)
            first = sort_diagnostics(info.diagnostics) if isinstance(info, PreviewInfo) else []
            kept = self._keep.pop("tab-source", None)
            if kept is not None and kept[1] is not None:
                row = min(kept[1][0], area.document.line_count - 1)
                col = min(kept[1][1], len(area.document.get_line(row)))
                area.cursor_location = (row, col)
                y = kept[0]
                area.call_after_refresh(lambda: area.scroll_to(y=y, animate=False))
            elif first:
                line = max(0, first[0].line - 1)
                area.cursor_location = (min(line, area.document.line_count - 1), 0)
                area.scroll_cursor_visible(center=True, animate=False)
        self._filled.add(active)

    async def _group_in(self, tab: str, info: GroupInfo) -> None:
        """The Prompt and Source tabs of a group: its summary, not an empty editor."""
        if tab == "tab-prompt":
            self._show_big("prompt", False)
            prompt = await self._markdown()
            prompt.update(group_overview(info, names=MAX_NAMES, note=GROUP_PROMPT))
            self.query_one("#prompt-scroll", VerticalScroll).scroll_home(animate=False)
            return
        self._show_big("source", False)
        box = self.query_one("#source-box", Vertical)
        if not box.query("#source-group"):
            await box.mount(VerticalScroll(Static(id="source-group-card"), id="source-group"))
        self.query_one("#source-group-card", Static).update(
            group_overview(info, names=MAX_NAMES, note=GROUP_SOURCE)
        )
        self._source_group(info)
        self.query_one("#source-group", VerticalScroll).scroll_home(animate=False)

    def _source_group(self, info: GroupInfo | None) -> None:
        """In the Source tab, the group's summary (info) or the file's editor (None)."""
        for scroll in self.query("#source-group"):
            scroll.display = info is not None
        for area in self.query("#source-box > TextArea"):
            area.display = info is None

    def _lines(self, tab: str) -> LinesView[Piece]:
        return self.query_one(f"#{tab}-lines", LinesView)

    def _show_big(self, tab: str, big: bool) -> None:
        """A long prompt or file shows in its LinesView, a short one in the usual widget."""
        self._lines(tab).display = big
        self.query_one("#prompt-scroll" if tab == "prompt" else "#source-box").display = not big

    async def _markdown(self) -> Static:
        box = self.query_one("#prompt-scroll", VerticalScroll)
        found = box.query("#prompt")
        if found:
            found_static = found.first()
            assert isinstance(found_static, Static)
            return found_static
        widget = Static(id="prompt")
        await box.mount(widget)
        return widget

    async def _source(self) -> TextArea:
        from textual.widgets import TextArea

        box = self.query_one("#source-box", Vertical)
        found = box.query(TextArea)
        if found:
            return found.first()
        widget = TextArea(
            "",
            language="markdown",
            read_only=True,
            show_line_numbers=True,
            soft_wrap=True,
            id="source",
        )
        await box.mount(widget)
        return widget

    def focus_content(self) -> None:
        active = self.tabs.active
        target = {
            "tab-overview": "#overview-scroll",
            "tab-prompt": "#prompt-scroll",
            "tab-source": "#source-box TextArea",
        }.get(active)
        if active == "tab-prompt" and self._lines("prompt").display:
            target = "#prompt-lines"
        elif active == "tab-source" and self._lines("source").display:
            target = "#source-lines"
        elif active == "tab-source" and isinstance(self._info, GroupInfo):
            target = "#source-group"
        if target:
            found = self.query(target)
            if found:
                found.first().focus()
