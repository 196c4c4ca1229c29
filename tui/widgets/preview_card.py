"""The preview's Overview card: title, verdict, metadata grid, problems, workflows; and the card
of a group. Every value from a file is shown with its control characters made visible."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from tui.core.browse import AgentRow, plural
from tui.core.definition import Diagnostic
from tui.core.group_summary import GroupSummary
from tui.core.roots import RootKind
from tui.core.sanitize import visible, visible_line
from tui.widgets.diagnostics import counts, diagnostics_table, sort_diagnostics
from tui.widgets.tree_labels import color_style

if TYPE_CHECKING:
    from tui.core.catalog import Catalog
    from tui.core.workflow import BodySections

CHIP = "bold #e8e8e8 on #3b4a63"
CHIP_MUTED = "italic #e8e8e8 on #4a4a4a"
LOADED = "✓ Loaded by Claude Code"
WOULD_LOAD = "✓ Valid: Claude Code would load it from .claude/agents (i installs it there)"


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
    hides: tuple[Path, ...] = ()  # same-name files in lower roots this one shadows

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
            hides=tuple(
                o.path
                for o in (catalog.same_name(d.name) if d.name else ())
                if o.path != d.path and catalog.shadowed_by(o) == d.path
            ),
        )


GroupInfo = GroupSummary  # what the preview shows for a group


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
    if info.hides:
        hidden = ", ".join(visible_line(str(p)) for p in info.hides)
        n = len(info.hides)
        parts.append(
            Text(f"↓ Hides {n} file{'s' if n > 1 else ''} with the same name: {hidden}", "dim")
        )
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


def _counts(pairs: tuple[tuple[str, int], ...], most: int = 8) -> Text:
    text = Text()
    for i, (what, n) in enumerate(pairs[:most]):
        if i:
            text.append(" · ", "dim")
        text.append(visible_line(what))
        text.append(f" {n:,}", "dim")
    if len(pairs) > most:
        text.append(f" · {len(pairs) - most} more", "dim")
    return text


def group_overview(info: GroupSummary, *, names: int = 40, note: str = "") -> RenderableType:
    """A group's card: counts by level, domain and model, problems, and the agents it holds
    (`names` of them). `note` heads it (the Prompt and Source tabs say why they show it)."""
    parts: list[RenderableType] = []
    if note:
        parts.extend((Text(note, "dim italic"), Text("")))
    parts.append(
        Text.assemble(
            (visible_line(info.title), "bold"), (f"   {plural(info.count, 'agent')}", "dim")
        )
    )
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    for label, pairs in (("levels", info.levels), ("domains", info.domains)):
        if pairs:
            grid.add_row(label, _counts(pairs))
    if info.models:
        grid.add_row("models", _counts(info.models))
    if info.problems:
        grid.add_row("problems", Text(f"{info.problems:,} with ✗ or ! (p shows only them)", "red"))
    else:
        grid.add_row("problems", Text("none", "green"))
    parts.extend((Text(""), grid, Rule(f"Agents ({info.count:,})", align="left", style="dim")))
    shown = info.names[:names]
    parts.extend(Text(f"  {visible_line(name)}") for name in shown)
    if info.count > len(shown):
        parts.append(Text(f"  … and {info.count - len(shown):,} more", "dim"))
    return Group(*parts)
