"""How the agent tree labels its rows: a mark (✗ ! ●, coloured by the agent's `color`), the
name, and what the catalog says about it (skipped, duplicate, shadowed)."""

from __future__ import annotations

from rich.text import Text

from tui.core.browse import AgentRow
from tui.core.sanitize import visible_line

COLOR_STYLES = {
    "red": "red",
    "blue": "dodger_blue1",
    "green": "green3",
    "yellow": "yellow3",
    "purple": "medium_purple2",
    "orange": "dark_orange",
    "pink": "hot_pink",
    "cyan": "dark_cyan",
}


def color_style(color: str | None) -> str | None:
    if not color:
        return None
    return COLOR_STYLES.get(color.strip().lower())


def agent_label(row: AgentRow) -> Text:
    d = row.definition
    text = Text(no_wrap=True, overflow="ellipsis")
    if row.broken:
        text.append("✗ ", "bold red")
    elif d.has_warnings or row.conflict:
        text.append("! ", "bold yellow")
    else:
        text.append("● ", color_style(d.color) or "dim")
    if d.is_agent:
        text.append(visible_line(d.display_name))
    else:
        text.append(visible_line(str(d.relative_path)))
    if not d.loads_in_claude_code:
        text.append("  skipped", "red dim")
    elif row.conflict:
        text.append("  duplicate", "yellow dim")
    if row.shadowed_by is not None:  # the file that wins first: a narrow tree cuts the end
        text.stylize("dim")
        text.append(f"  shadowed by {visible_line(row.shadowed_by)}", "dim italic")
    if row.where is not None:  # same name elsewhere: which file this row is
        text.append(f"  {visible_line(row.where)}", "dim")
    return text


def group_label(title: str, count: int, problem: bool) -> Text:
    if problem:
        text = Text.assemble(("✗ ", "bold red"), (visible_line(title), "bold red"))
    else:
        text = Text(visible_line(title), "bold")
    text.append(f"  {count}", "dim")
    return text


def fit_label(text: Text, room: int, tail: int) -> Text:
    """`text` cut with "…" to `room` cells (the Tree would just crop it). A group keeps its
    count (the last `tail` characters): its title is cut instead."""
    if room <= 1 or text.cell_len <= room:
        return text
    if tail and room - tail > 3:
        head, end = text.divide([len(text.plain) - tail])
        head.truncate(room - tail, overflow="ellipsis")
        return Text.assemble(head, end)
    text = text.copy()
    text.truncate(room, overflow="ellipsis")
    return text
