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


_DASHES_RE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_DOTS_RE = re.compile(r"^\.\.\.[ \t]*$", re.MULTILINE)


def split_frontmatter(text: str) -> Split:
    first_nl = text.find("\n")
    first = text if first_nl < 0 else text[:first_nl]
    if not _is_fence(first, "---") or first_nl < 0:
        if _is_fence(first, "---"):
            return Split(True, None, "", 0, text, 1)
        return Split(False, None, "", 0, text, 1)
    start = first_nl + 1
    # the first `---` line closes it, even after a `...` line; `...` only when no `---` follows
    m = _DASHES_RE.search(text, start)
    closer = "---"
    if m is None:
        m = _DOTS_RE.search(text, start)
        closer = "..."
        if m is None:
            return Split(True, None, "", 0, text, 1)
    fm = text[start : m.start()]
    body_start = m.end() + 1 if m.end() < len(text) else m.end()
    return Split(True, closer, fm, 2, text[body_start:], fm.count("\n") + 3)
