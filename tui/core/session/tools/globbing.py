"""Shared file walking for Glob and Grep: brace expansion, skipped folders, confinement."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ToolError

if TYPE_CHECKING:
    from ...ignore import GitIgnore

SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", ".venv", ".mypy_cache", ".tox"})
_BRACES = re.compile(r"\{([^{}]*)\}")
MAX_PATTERNS = 256  # what one glob may expand to: `{a,b}` x 20 would be a million patterns


def expand_braces(pattern: str) -> list[str]:
    """`*.{ts,tsx}` -> [`*.ts`, `*.tsx`] (nested braces expand too); ToolError past
    MAX_PATTERNS alternatives (the model's pattern must not run away with time or memory)."""
    out: list[str] = []
    _expand(pattern, out)
    return out


def _expand(pattern: str, out: list[str]) -> None:
    match = _BRACES.search(pattern)
    if not match:
        if len(out) >= MAX_PATTERNS:
            raise ToolError(
                f"The glob expands to more than {MAX_PATTERNS} patterns (too many `{{a,b}}` "
                "alternatives); use fewer braces or several calls."
            )
        out.append(pattern)
        return
    head, tail = pattern[: match.start()], pattern[match.end() :]
    for option in match.group(1).split(","):
        _expand(head + option + tail, out)


def hidden_note(count: int) -> str:
    """The line a search ends with when deny (or ask) rules for Read kept files out of it."""
    return f"({count} file{'s' if count != 1 else ''} hidden by your Read deny rules)"


def walk_files(
    base: Path, root: Path, *, gitignore: bool = False, hidden: bool = True
) -> Iterator[Path]:
    """Files under `base` (not following symlinked folders), skipping VCS and cache folders;
    with `gitignore`, what git would ignore (unless `base` itself is ignored: asked for by
    name, it is searched, as ripgrep does); without `hidden`, names starting with `.` below
    `base`. Symlinked files that point outside the root are skipped too.
    """
    if base.is_file():
        yield base
        return
    ignore = _ignore(base) if gitignore else None
    for dirpath, dirnames, filenames in os.walk(base):
        folder = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS
            and (hidden or not d.startswith("."))
            and not (ignore and ignore.ignored(folder / d, True))
        )
        for name in sorted(filenames):
            if not hidden and name.startswith("."):
                continue
            path = folder / name
            if ignore is not None and ignore.ignored(path):
                continue
            if path.is_symlink():
                try:
                    real = path.resolve()
                except (OSError, RuntimeError):  # a loop, a link that changed meanwhile
                    continue
                if not (real == root or real.is_relative_to(root)):
                    continue
            yield path


def _ignore(base: Path) -> GitIgnore | None:
    from ...ignore import GitIgnore  # lazily: pathspec is only needed for a walk

    ignore = GitIgnore(base)
    return None if ignore.ignored(base, True) else ignore


def matches(path: Path, base: Path, patterns: list[str], *, any_depth: bool = False) -> bool:
    """Glob match on the path relative to `base` (`**` spans folders).

    With `any_depth` (ripgrep's rule for --glob), a pattern without `/` matches the file name
    at any depth.
    """
    rel = path.relative_to(base).as_posix() if path != base else path.name
    for pattern in patterns:
        if any_depth and "/" not in pattern and fnmatchcase(path.name, pattern):
            return True
        if glob_regex(pattern).fullmatch(rel):
            return True
    return False


_CACHE: dict[tuple[str, bool, bool], re.Pattern[str]] = {}
_CACHE_SIZE = 2048  # patterns come from the model and from rules: the cache stays bounded


def glob_regex(pattern: str, *, classes: bool = True, dotall: bool = False) -> re.Pattern[str]:
    """`**` crosses folders, `*` and `?` do not; `[...]` is a class unless `classes` is off
    (permission rules read it literally); `dotall`: `**` also crosses newlines in names."""
    key = (pattern, classes, dotall)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and classes:
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape("["))
                i += 1
            else:
                out.append(_char_class(pattern[i + 1 : end]))
                i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    compiled = re.compile("".join(out), re.DOTALL if dotall else 0)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = compiled
    return compiled


def _char_class(body: str) -> str:
    """A glob `[...]` as a regex class: `!` or `^` first negates, `a-z` is a range, every other
    character is literal. An empty or reversed class (`[]`, `[z-a]`) matches its text
    literally instead of raising re.error (which would end the session)."""
    negate = body[:1] in ("!", "^")
    chars = body[1:] if negate else body
    inner = "".join(c if c == "-" else re.escape(c) for c in chars)
    regex = f"[{'^' if negate else ''}{inner}]"
    try:
        re.compile(regex)
    except re.error:
        return re.escape(f"[{body}]")
    return regex
