"""Editing a definition in $VISUAL / $EDITOR: suspend the app, run it, resume."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from textual.app import App


def external_editor_command() -> list[str] | None:
    """$VISUAL or $EDITOR split like a shell would, or None when neither is set."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not raw:
        return None
    try:
        return shlex.split(raw)
    except ValueError:
        return None


def edit_externally(app: App[object], path: Path) -> str | None:
    """Suspend the app, run $VISUAL/$EDITOR on `path`, resume. Returns an error message, or
    None on success. Call from the UI thread; afterwards reload (the watcher will also see it).
    """
    command = external_editor_command()
    if command is None:
        return "Set $VISUAL or $EDITOR to edit in an external editor."
    try:
        with app.suspend():
            result = subprocess.run([*command, str(path)], check=False)
    except OSError as exc:
        return f"Could not run {command[0]}: {exc.strerror or exc}"
    except Exception as exc:  # SuspendNotSupported (e.g. under tests or on a web driver)
        return f"Cannot suspend the app to run {command[0]}: {exc}"
    if result.returncode != 0:
        return f"{command[0]} exited with status {result.returncode}"
    return None
