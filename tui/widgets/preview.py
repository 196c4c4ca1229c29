"""Preview of the highlighted agent: Overview (card, problems, workflows), Prompt (the body
rendered as Markdown; the frontmatter is not part of it), Source (the raw file, highlighted,
with line numbers).

Loads run in one exclusive worker, so a newer highlight cancels an older load and holding an
arrow key never paints a stale agent. Only the visible tab is filled; the others are filled when
they are opened (their widgets are not even created until then).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import Worker

from tui.core.browse import AgentRow, plural
from tui.core.definition import Diagnostic
from tui.core.roots import RootKind
from tui.core.sanitize import visible, visible_line
from tui.widgets.diagnostics import counts, diagnostics_table, sort_diagnostics
from tui.widgets.tree_labels import color_style
from tui.widgets.worker_errors import forward_failure

if TYPE_CHECKING:
    from rich.markdown import Markdown
    from textual.widgets import TextArea

    from tui.core.catalog import Catalog
    from tui.core.workflow import BodySections

TABS = ("tab-overview", "tab-prompt", "tab-source")
LOADED = "✓ Loaded by Claude Code"
WOULD_LOAD = "✓ Valid: Claude Code would load it from .claude/agents (i installs it there)"
BIG_BODY = 20_000
CHIP = "bold #e8e8e8 on #3b4a63"
CHIP_MUTED = "italic #e8e8e8 on #4a4a4a"


@dataclass(frozen=True, slots=True)
class PreviewInfo:
    """Everything the preview shows about one file, computed by the screen from the catalog."""

    row: AgentRow
    root: str
    claude_reads: bool = True  # the file is in a root Claude Code reads (project, user)
    shadow_path: Path | None = None
    conflicts: tuple[Path, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    sessions: tuple[tuple[str, float], ...] = ()  # history totals for this agent's name

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.row.path), self.row.definition.content_hash)

    @classmethod
    def of(cls, row: AgentRow, catalog: Catalog, totals: dict[str, float] | None) -> PreviewInfo:
        """The catalog's verdicts on `row`, and its history `totals` (None: no history)."""
        d = row.definition
        root = catalog.root_of(d.path)
        return cls(
            row=row,
            root=root.label if root is not None else str(d.root),
            claude_reads=root is not None and root.kind in (RootKind.PROJECT, RootKind.USER),
            shadow_path=catalog.shadowed_by(d),
            conflicts=tuple(catalog.conflicts(d)),
            diagnostics=catalog.diagnostics_for(d),
            sessions=tuple(sorted((totals or {}).items())),
        )


@dataclass(frozen=True, slots=True)
class GroupInfo:
    key: str
    title: str
    count: int
    names: tuple[str, ...]


def chips(items: tuple[str, ...] | None, *, none: str, empty: str) -> Text:
    if items is None:
        return Text(f" {none} ", CHIP_MUTED)
    if not items:
        return Text(f" {empty} ", CHIP_MUTED)
    out = Text()
    for i, item in enumerate(items):
        if i:
            out.append(" ")
        out.append(f" {visible_line(item)} ", CHIP)
    return out


def session_totals(t: dict[str, float]) -> Text:
    """'3 runs · 2 of 3 reports completed (67%) · 12.3k tokens · $0.0412'."""
    runs = int(t.get("sessions", 0))
    text = Text(f"{runs} run{'s' if runs != 1 else ''}")
    reports, done = int(t.get("reports", 0)), int(t.get("completed", 0))
    if reports:
        rate = 100 * done / reports
        style = "green" if rate >= 80 else "yellow" if rate >= 50 else "red"
        text.append(" · ")
        text.append(f"{done} of {reports} reports completed ({rate:.0f}%)", style)
    used = int(t.get("input_tokens", 0) + t.get("output_tokens", 0))
    text.append(f" · {used:,} tokens", "dim")
    cost = t.get("cost_usd")
    if cost:
        text.append(f" · ${cost:.4f}", "dim")
    return text


def _inferred(value: str | None, inferred: bool, note: str) -> Text:
    """The value, and where it came from when Roster guessed it: "inferred from the name
    `react-expert`" (the file does not say)."""
    text = Text(visible_line(value) if value else "—")
    if inferred and value:
        text.append(f"  ({visible_line(note) if note else 'inferred'})", "dim italic")
    return text


def overview(info: PreviewInfo, sections: BodySections) -> RenderableType:
    d = info.row.definition
    color = color_style(d.color)
    parts: list[RenderableType] = []

    title = Text()
    if info.row.broken:
        title.append("✗ ", "bold red")
    else:
        title.append("● ", color or "dim")
    title.append(visible_line(d.display_name), f"bold {color}" if color else "bold")
    if d.level:
        title.append(f"   {visible_line(d.level)}", "bold")
    title.append(f" · {visible_line(d.domain)}", "dim")
    parts.append(title)
    if d.description:
        parts.append(Text(visible(d.description)))

    errors, _warnings, _infos = counts(info.diagnostics)
    if not d.loads_in_claude_code:
        reason = (d.skip_reason or "").removesuffix("; Claude Code skips this file")
        parts.append(Text(f"✗ Claude Code skips this file: {visible(reason)}", "bold red"))
    elif info.shadow_path is not None:
        shadow = visible_line(str(info.shadow_path))
        parts.append(Text(f"↑ Shadowed by {shadow}; this file is not used", "yellow"))
    elif errors:
        parts.append(Text(f"✗ Loads, with {errors} error{'s' if errors > 1 else ''}", "bold red"))
    else:
        parts.append(Text(LOADED if info.claude_reads else WOULD_LOAD, "green"))
    if info.conflicts:
        others = ", ".join(visible_line(str(p)) for p in info.conflicts)
        parts.append(Text(f"! Same name also declared by {others}", "yellow"))

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("model", Text(visible_line(d.model or "inherit (default)")))
    grid.add_row("tools", chips(d.tools, none="all tools", empty="no tools"))
    if d.disallowed_tools is not None:
        grid.add_row("disallowed", chips(d.disallowed_tools, none="", empty="none"))
    grid.add_row("permission", Text(visible_line(d.permission_mode or "default")))
    grid.add_row("level", _inferred(d.level, d.level_inferred, d.level_note))
    grid.add_row("domain", _inferred(d.domain, d.domain_inferred, d.domain_note))
    if d.frameworks:
        grid.add_row("frameworks", chips(d.frameworks, none="", empty=""))
    if d.color:
        grid.add_row("color", Text(visible_line(d.color), color or ""))
    grid.add_row("file", Text(visible_line(str(d.relative_path))))
    grid.add_row("root", Text(visible_line(info.root)))
    if info.sessions:
        grid.add_row("sessions", session_totals(dict(info.sessions)))
    parts.append(Text(""))
    parts.append(grid)

    if info.diagnostics:
        e, w, i = counts(info.diagnostics)
        label = ", ".join(
            f"{n} {word}{'s' if n > 1 else ''}"
            for n, word in ((e, "error"), (w, "warning"), (i, "note"))
            if n
        )
        parts.append(Rule(f"Problems: {label}", align="left", style="red" if e else "yellow"))
        parts.append(diagnostics_table(sort_diagnostics(info.diagnostics)))

    if sections.workflows:
        parts.append(Rule(f"Workflows ({len(sections.workflows)})", align="left", style="dim"))
        for wf in sections.workflows:
            head = Text(visible_line(wf.title), "bold")
            head.append(f"  line {wf.line}", "dim")
            parts.append(head)
            if wf.steps:
                steps = Table.grid(padding=(0, 1))
                steps.add_column(justify="right", style="dim", no_wrap=True, min_width=4)
                steps.add_column(ratio=1)
                for n, step in enumerate(wf.steps, 1):
                    steps.add_row(f"{n}.", Text(visible(step)))
                parts.append(steps)
    if sections.quality_checks:
        parts.append(Rule("Quality checks", align="left", style="dim"))
        for check in sections.quality_checks:
            parts.append(Text.assemble(("  ✓ ", "green"), visible(check)))
    if sections.report_template:
        parts.append(Rule("Completion report", align="left", style="dim"))
        parts.append(Text(visible(sections.report_template), "dim"))
    return Group(*parts)


def group_overview(info: GroupInfo) -> RenderableType:
    parts: list[RenderableType] = [
        Text.assemble(
            (visible_line(info.title), "bold"), (f"   {plural(info.count, 'agent')}", "dim")
        ),
        Text(""),
    ]
    shown = info.names[:40]
    parts.extend(Text(f"  {visible_line(name)}") for name in shown)
    if info.count > len(shown):
        parts.append(Text(f"  … and {info.count - len(shown)} more", "dim"))
    return Group(*parts)


PLACEHOLDER = Text("No agent highlighted.", "dim")


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
            with TabPane("Source", id="tab-source"):
                yield Vertical(id="source-box")

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
        if active == "tab-prompt":
            body = info.row.definition.body if isinstance(info, PreviewInfo) else ""
            prompt = await self._markdown()
            prompt.update(render_markdown(body))
            self._scroll("tab-prompt", self.query_one("#prompt-scroll", VerticalScroll))
        elif active == "tab-source":
            if isinstance(info, PreviewInfo):
                text = await asyncio.to_thread(read_source, info.row.path)
            else:
                text = ""
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
        if target:
            found = self.query(target)
            if found:
                found.first().focus()
