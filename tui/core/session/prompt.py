"""The system prompt: the definition's body verbatim, then a short environment block."""

from __future__ import annotations

import datetime as _dt
import platform
from pathlib import Path
from typing import Any


def environment_block(cwd: Path, today: _dt.date | None = None) -> str:
    day = (today or _dt.date.today()).isoformat()
    return (
        "<env>\n"
        f"Working directory: {cwd}\n"
        f"Platform: {platform.system().lower()} ({platform.release()})\n"
        f"Today's date: {day}\n"
        "File tools only reach files inside the working directory.\n"
        "</env>"
    )


def system_blocks(body: str, cwd: Path, today: _dt.date | None = None) -> list[dict[str, Any]]:
    """One cached text block (the body and the environment never change within a session)."""
    text = (
        body.rstrip() + "\n\n" + environment_block(cwd, today)
        if body.strip()
        else environment_block(cwd, today)
    )
    text = text.encode("utf-8", "replace").decode("utf-8")  # a non-UTF-8 folder name: `?`s
    return [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}]
