"""Completion for a folder path typed by the user: the first folder that extends it."""

from __future__ import annotations

import os


def complete_dir(value: str, limit: int = 2000) -> str | None:
    """`~/pro` -> `~/projects/` when that folder exists; None when nothing extends `value`.

    What the user typed is kept as typed (`~` stays `~`); hidden folders are offered only
    when the typed part starts with a dot. Unreadable folders give no suggestion.
    """
    if not value:
        return None
    head, tail = os.path.split(value)
    base = os.path.expanduser(head) if head else "."
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)[:limit]
    except OSError:
        return None
    for entry in entries:
        name = entry.name
        if not name.startswith(tail):
            continue
        if name.startswith(".") and not tail.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            return os.path.join(head, name) + os.sep
    return None
