"""`roster history`: every stored session as a short record. The id always whole (first on
its line, never cut: wider text wraps instead, and a pipe gets unwrapped lines), the agent, the
session status with the report's outcome beside it, then the task, the working folder, the
start, tokens and cost. `--json` prints the rows with their outcome."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from tui.core.session.store import SessionRow, SessionStore

STATUS_WIDTH = len("interrupted")
OUTCOME_WIDTH = len("truncated")


def cmd_history(args: argparse.Namespace, store: SessionStore) -> int:
    try:
        rows = store.list_sessions(limit=args.limit)
        outcomes = store.outcomes()
    finally:
        store.close()
    from tui.core.session.outcomes import outcome_of

    if args.json:
        listed = [
            {**r.to_json(), "outcome": outcome_of(r.status, outcomes.get(r.id))} for r in rows
        ]
        print(json.dumps(listed, indent=2))
        return 0
    from rich.console import Console

    console = Console(highlight=False)
    if not rows:
        console.print('No sessions yet. Start one with [bold]roster run NAME "task"[/].')
        return 0
    for line, indent in records(rows, outcomes):
        show(console, line, indent)
    return 0


def show(console: Console, line: Text, indent: int) -> None:
    """On a terminal Rich wraps at the width (under the indent; a word longer than the line
    folds); in a pipe each line goes out whole."""
    from rich.padding import Padding
    from rich.text import Text

    if not console.is_terminal:
        console.print(Text(" " * indent) + line, soft_wrap=True)
        return
    line.overflow = "fold"
    console.print(Padding(line, (0, 0, 0, indent), expand=False))


def records(rows: list[SessionRow], outcomes: dict[str, str]) -> list[tuple[Text, int]]:
    """(line, indent) pairs: a header, then three lines a session."""
    from rich.text import Text

    from tui.core.sanitize import visible_line
    from tui.core.session.export import nest
    from tui.core.session.outcomes import (
        OUTCOME_STYLE,
        outcome_of,
        short_folder,
        status_style,
    )

    nested = nest(rows)  # delegated sessions right under the session that started them
    id_width = max(len(r.id) for r, _ in nested)
    names = [("↳ " if depth else "") + visible_line(r.definition_name) for r, depth in nested]
    header = f"{'id':<{id_width}}  {'status':<{STATUS_WIDTH}}  {'report':<{OUTCOME_WIDTH}}  agent"
    out: list[tuple[Text, int]] = [(Text(header, style="bold"), 0)]
    for (r, depth), name in zip(nested, names, strict=True):
        outcome = outcome_of(r.status, outcomes.get(r.id))
        head = Text()
        head.append(f"{r.id:<{id_width}}", style="bold")
        head.append("  ")
        head.append(f"{r.status:<{STATUS_WIDTH}}", style=status_style(r.status))
        head.append("  ")
        head.append(f"{outcome or '—':<{OUTCOME_WIDTH}}", style=OUTCOME_STYLE.get(outcome, "dim"))
        head.append("  ")
        head.append(name, style="magenta" if depth else "")  # last: a long name pushes nothing
        if r.demo:
            head.append("  DEMO", style="magenta")
        out.append((head, 0))
        indent = 4 + 2 * depth
        out.append((Text(visible_line(r.title) or "(no task)"), indent))
        out.append((Text(_details(r, short_folder(r.cwd)), style="dim"), indent))
    return out


def _details(r: SessionRow, folder: str) -> str:
    started = dt.datetime.fromtimestamp(r.started_at).strftime("%Y-%m-%d %H:%M")
    usage = r.totals()
    figures = f"{usage.input:,}/{usage.output:,} tokens · {usage.cost_text()}"
    return f"{folder} · {started} · {figures}"
