"""What a stored session came to, in one word for lists (`roster history`, the history screen):
the outcome of its last completion report, else "truncated" when it was cut at max_tokens,
else nothing (no verdict). Also the working folder written short (`~` for home)."""

from __future__ import annotations

import os
from pathlib import Path

from tui.core.sanitize import visible_line

OUTCOME_STYLE = {
    "completed": "green",
    "blocked": "yellow",
    "failed": "red",
    "truncated": "red",
    "other": "blue",
}
STATUS_STYLE = {
    "completed": "green",
    "running": "cyan",
    "interrupted": "yellow",
    "new": "",
}


def outcome_of(status: str, report_outcome: str | None) -> str:
    """completed / blocked / failed / other (from the report), truncated, or "" (none)."""
    if report_outcome:
        return report_outcome
    return "truncated" if status == "truncated" else ""


def status_style(status: str) -> str:
    return STATUS_STYLE.get(status, "red")


def short_folder(cwd: str, home: str | None = None) -> str:
    """`/home/me/work/x` -> `~/work/x` (control characters shown, never raw)."""
    home = home if home is not None else os.path.expanduser("~")
    path = cwd
    if home and home != "/":
        try:
            rest = Path(cwd).relative_to(home)
        except ValueError:
            pass
        else:
            path = "~" if str(rest) == "." else f"~/{rest}"
    return visible_line(path)
