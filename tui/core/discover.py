"""Walk a root for definition files: recursive, symlink-loop safe, never raising.

A symlinked folder is followed only when it points inside the root: a collection from a
stranger with `x -> /` (or `--agents-dir /proc/self`) once made Roster read the whole file
system, 73,000 "agents" and 626 MB in 16 s. A symlinked file is still read (one file, with the
reader's own limits)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", ".hg", ".svn"})


def is_definition_name(name: str) -> bool:
    return name.endswith(".md") and not name.startswith(".")


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def walk_definitions(root: Path) -> Iterator[Path]:
    """Yield every `*.md` file under root (sorted per folder). Unreadable folders, loops and
    a root that vanishes mid-walk end that branch quietly."""
    try:
        st = os.stat(root)
        inside = os.path.realpath(root)
    except (OSError, ValueError):
        return
    seen: set[tuple[int, int]] = {(st.st_dev, st.st_ino)}
    stack: list[str] = [str(root)]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subdirs: list[str] = []
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir():
                    if name in SKIP_DIRS:
                        continue
                    if entry.is_symlink() and not _within(os.path.realpath(entry.path), inside):
                        continue
                    s = entry.stat()
                    key = (s.st_dev, s.st_ino)
                    if key in seen:
                        continue
                    seen.add(key)
                    subdirs.append(entry.path)
                elif is_definition_name(name):
                    yield Path(entry.path)
            except OSError:
                # broken symlink, vanished entry, permission problem on stat
                if is_definition_name(name) and entry.is_symlink():
                    yield Path(entry.path)
        stack.extend(reversed(subdirs))
