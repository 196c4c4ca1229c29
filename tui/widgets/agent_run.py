"""How an Agent call's block shows its child session (core.session.blocks.AgentRun): child
name, task, live state, latest line, tokens, report outcome, and its todo list."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from tui.core.sanitize import visible
from tui.core.session.blocks import AgentRun

_STATE_STYLE = {
    "running": "cyan",
    "waiting for you": "bold black on yellow",
    "completed": "green",
    "done": "green",
}
_OUTCOME_STYLE = {"completed": "green", "blocked": "yellow", "failed": "red"}
TODO_MARKS = {"completed": "☑", "in_progress": "◐", "pending": "☐"}


def agent_run_text(run: AgentRun, width: int = 0) -> Text:
    """`width` > 0: the latest line shows its end within one row (a streaming child's line
    grows; wrapping it would change the block's height, and so the screen's layout, often)."""
    text = Text()
    text.append(f"↳ {visible(run.agent)}", style="bold magenta")
    if run.description:
        text.append(f"  {visible(run.description)}", style="italic")
    text.append("  ")
    text.append(run.state, style=_STATE_STYLE.get(run.state, "red"))
    if run.input_tokens or run.output_tokens:
        text.append(f"  {run.input_tokens:,} in · {run.output_tokens:,} out", style="dim")
    if run.outcome:
        text.append(f"  report: {run.outcome}", style=_OUTCOME_STYLE.get(run.outcome, "blue"))
    if run.latest and run.state in {"running", "waiting for you"}:
        latest = visible(run.latest)
        room = width - 3 if width > 10 else 160
        if len(latest) > room:
            latest = "…" + latest[-(room - 1) :]
        text.append(f"\n  {latest}", style="dim")
    if run.todos:
        text.append("\n")
        text.append_text(todo_text(run.todos, indent="  "))
    return text


def todo_text(todos: Sequence[object], indent: str = "") -> Text:
    """A TodoWrite list as a checklist: ☑ done, ◐ in progress (its activeForm), ☐ pending."""
    text = Text()
    for i, todo in enumerate(t for t in todos if isinstance(t, dict)):
        status = str(todo.get("status"))
        label = todo.get("activeForm") if status == "in_progress" else todo.get("content")
        style = {"completed": "dim strike", "in_progress": "bold"}.get(status, "")
        text.append(("\n" if i else "") + indent + TODO_MARKS.get(status, "☐") + " ")
        text.append(visible(str(label or todo.get("content", "")))[:160], style=style)
    return text
