"""The completion report as a card: outcome colour, summary, artifacts checked on disk,
verified chips, and the template keys the agent left out."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from tui.core.sanitize import visible, visible_line
from tui.core.session.transcript import ReportBlock

OUTCOME_STYLE = {
    "completed": ("green", "✓"),
    "blocked": ("yellow", "■"),
    "failed": ("red", "✗"),
    "other": ("blue", "•"),
}
_SHOWN = {"summary", "artifacts", "verified", "status"}


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [visible_line(str(v)) for v in value]
    if value in (None, ""):
        return []
    return [visible_line(str(value))]


def _chips(values: list[str], style: str) -> Text:
    text = Text()
    for value in values:
        text.append(f" {value} ", style=style)
        text.append(" ")
    return text


def render_report(block: ReportBlock) -> RenderableType:
    colour, icon = OUTCOME_STYLE.get(block.outcome, OUTCOME_STYLE["other"])
    data = {k.lower(): v for k, v in block.data.items()}
    parts: list[RenderableType] = []
    title = Text.assemble(
        (f"{icon} {visible_line(block.kind)}", f"bold {colour}"),
        "  ",
        (visible_line(block.report_id), "bold"),
        "  ",
        (f"status: {visible_line(block.status)}", colour),
    )
    parts.append(title)
    summary = data.get("summary")
    if summary:
        parts.append(Text(visible(str(summary))))
    if block.artifacts:
        parts.append(Text("Artifacts", style="bold"))
        for artifact in block.artifacts:
            path = visible_line(str(artifact.get("path", "")))
            if artifact.get("exists"):
                fresh = artifact.get("modified_since")
                note = (
                    " (changed in this session)"
                    if fresh
                    else (" (not changed in this session)" if fresh is False else "")
                )
                parts.append(Text.assemble(("  ✓ ", "green"), path, (note, "dim")))
            else:
                parts.append(Text.assemble(("  ✗ ", "red"), path, (" missing on disk", "red")))
    verified = _as_list(data.get("verified"))
    if verified:
        parts.append(Text.assemble(("Verified  ", "bold"), _chips(verified, "black on green")))
    for key, value in block.data.items():
        if key.lower() in _SHOWN:
            continue
        shown = ", ".join(_as_list(value))
        if shown:
            parts.append(Text.assemble((f"{visible_line(key)}: ", "bold"), shown))
    if block.children:  # what the delegated sessions came back with
        parts.append(Text("Subagents", style="bold"))
        for agent, state, outcome in block.children:
            tone = OUTCOME_STYLE.get(outcome or "other", OUTCOME_STYLE["other"])[0]
            said = f"report {outcome}" if outcome else "no report"
            parts.append(
                Text.assemble(
                    "  ↳ ", (visible_line(agent), "magenta"), f"  {state} · ", (said, tone)
                )
            )
    if block.missing_keys:
        parts.append(
            Text.assemble(
                ("Missing from the template: ", "yellow"),
                visible_line(", ".join(block.missing_keys)),
            )
        )
    return Group(*parts)


class ReportCard(Static):
    def __init__(self, block: ReportBlock) -> None:
        super().__init__(render_report(block), classes=f"block report-card -{block.outcome}")
        self.block = block
        self.border_title = "Completion report"
