"""What the session's message box offers while you type: slash commands after a leading `/`,
their arguments (/mode, /model), and paths after `@` relative to the working folder.

Paths come from ONE folder level (the one typed so far), read with a capped scan (MAX_SCAN
entries, so a huge folder answers about as fast as a small one; only the first MAX_CHECKED
matching names pay for the checks); .gitignore'd entries (ignore.py)
and files the Read rules hide are left out, and dot-files unless the name typed starts with
a dot, and names with control characters (the message box would show them raw).
The widget calls `candidates` off the event loop when it touches the disk.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..ignore import GitIgnore
from ..sanitize import visible_line
from .mentions import human_size
from .rules import HiddenPaths
from .slash import COMMANDS

MAX_SCAN = 5000  # directory entries read per completion, at most
MAX_SHOWN = 40
MAX_CHECKED = 400  # matching names checked against .gitignore and the rules, at most
_COMMAND = re.compile(r"^/([A-Za-z][A-Za-z0-9_-]*)?$")
_ARGUMENT = re.compile(r"^/(mode|model)\s+(\S*)$")
_MENTION = re.compile(r'(?:^|(?<=\s))@("?)([^\s"]*)$')


@dataclass(frozen=True)
class Candidate:
    label: str  # what the list shows
    help: str  # shown dimmed after it
    start: int  # the text from here to the cursor is replaced by `insert`
    insert: str
    run: bool = False  # a whole command needing nothing more: Enter runs it


@dataclass(frozen=True)
class Sources:
    """What a session offers: its folder, hidden paths, modes and models."""

    root: Path
    hidden: HiddenPaths | None = None
    modes: Sequence[str] = ()
    models: Sequence[tuple[str, str]] = ()


def needs_disk(before: str) -> bool:
    """True when completing `before` (the text up to the cursor) lists a folder."""
    return _MENTION.search(before) is not None and not _COMMAND.match(before)


def candidates(before: str, sources: Sources) -> list[Candidate] | None:
    """The candidates for the text up to the cursor; None when nothing is being completed."""
    match = _COMMAND.match(before)
    if match is not None:
        typed = (match.group(1) or "").lower()
        return [
            Candidate(
                f"/{c.name}" + (f" {c.arg}" if c.arg else ""),
                c.help,
                0,
                f"/{c.name}" + (" " if c.arg else ""),
                run=not c.arg,
            )
            for c in COMMANDS
            if c.name.startswith(typed)
        ]
    match = _ARGUMENT.match(before)
    if match is not None:
        command, typed = match.group(1), match.group(2)
        start = match.start(2)
        if command == "mode":
            pairs = [(m, "") for m in sources.modes]
        else:
            pairs = [(name, f"→ {resolved}") for name, resolved in sources.models]
        return [
            Candidate(name, help, start, name, run=True)
            for name, help in pairs
            if name.lower().startswith(typed.lower())
        ]
    match = _MENTION.search(before)
    if match is not None:
        return _paths(match.group(2), match.start(), sources)
    return None


def _paths(typed: str, start: int, sources: Sources) -> list[Candidate]:
    root = sources.root
    head, _, prefix = typed.rpartition("/")
    folder = Path(os.path.normpath(root / head)) if head else root
    if not (folder == root or folder.is_relative_to(root)):
        return []
    try:
        real = folder.resolve()
    except (OSError, RuntimeError):
        return []
    if not (real == root or real.is_relative_to(root)):
        return []  # (a symlinked folder out of the working folder)
    lowered = prefix.lower()
    named: list[os.DirEntry[str]] = []  # a cheap first pass: names only
    try:
        with os.scandir(folder) as it:
            for scanned, entry in enumerate(it):
                if scanned >= MAX_SCAN:
                    break
                name = entry.name
                if not name.lower().startswith(lowered):
                    continue
                if name.startswith(".") and not prefix.startswith("."):
                    continue
                if visible_line(name) != name:  # inserted, its escapes would reach the screen
                    continue
                named.append(entry)
    except OSError:
        return []
    named.sort(key=lambda e: (not e.name.startswith(prefix), e.name.lower()))
    ignore = GitIgnore(root)
    found: list[tuple[bool, str, int]] = []
    for entry in named[:MAX_CHECKED]:  # then the costly checks, for the first few only
        try:
            is_dir = entry.is_dir()
            size = 0 if is_dir else entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue
        path = Path(entry.path)
        if ignore.ignored(path, is_dir):
            continue
        if sources.hidden is not None and sources.hidden.hides(path):
            continue
        found.append((not is_dir, entry.name, size))
        if len(found) >= MAX_SHOWN:
            break
    found.sort(key=lambda f: (not f[1].startswith(prefix), f[0], f[1].lower()))
    out: list[Candidate] = []
    for is_file, name, size in found[:MAX_SHOWN]:
        rel = f"{head}/{name}" if head else name
        shown = rel if is_file else rel + "/"
        text = f'"{shown}"' if " " in shown else shown
        insert = f"@{text} " if is_file else f"@{text}"
        out.append(Candidate(shown, human_size(size) if is_file else "folder", start, insert))
    return out
