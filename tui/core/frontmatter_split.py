"""Find the frontmatter block in normalised text, with line numbers, without any YAML work.

A file has frontmatter when its first line is `---` and a later line is `---` (Claude Code's
rule). We also notice a `...` closer (valid YAML, but Claude Code does not accept it) so we
can say so instead of reporting "no frontmatter".
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Split:
    has_open: bool  # first line is `---`
    closer: str | None  # "---", "...", or None when never closed
    frontmatter: str  # YAML text between the fences ("" when none)
    fm_first_line: int  # 1-based file line of the first YAML line
    body: str
    body_line: int  # 1-based file line where the body starts


def _is_fence(line: str, fence: str) -> bool:
    return line.startswith(fence) and line.rstrip(" \t") == fence


_CLOSE_RE = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)


def split_frontmatter(text: str) -> Split:
    first_nl = text.find("\n")
    first = text if first_nl < 0 else text[:first_nl]
    if not _is_fence(first, "---") or first_nl < 0:
        if _is_fence(first, "---"):
            return Split(True, None, "", 0, text, 1)
        return Split(False, None, "", 0, text, 1)
    start = first_nl + 1
    dots: re.Match[str] | None = None
    for m in _CLOSE_RE.finditer(text, start):
        if m.group(1) == "---":
            fm = text[start : m.start()]
            body_start = m.end() + 1 if m.end() < len(text) else m.end()
            return Split(True, "---", fm, 2, text[body_start:], fm.count("\n") + 3)
        if dots is None:
            dots = m
    if dots is not None:
        fm = text[start : dots.start()]
        body_start = dots.end() + 1 if dots.end() < len(text) else dots.end()
        return Split(True, "...", fm, 2, text[body_start:], fm.count("\n") + 3)
    return Split(True, None, "", 0, text, 1)
