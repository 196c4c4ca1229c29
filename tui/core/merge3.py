"""Three-way merge of texts, line by line: what the editor loaded (base), the user's edits
(mine) and what is on disk now (theirs).

Written here rather than taken from PyPI: the maintained package (`merge3`, Breezy's) is
GPL-2.0-or-later and Roster is MIT. The rule is deliberately strict: two changes that touch
the same base lines, or lines next to each other, are a conflict (as in diff3 and git), unless
both sides made the very same change. A conflict means no merged text: the caller says why and
offers the other choices, it never writes conflict markers into a definition file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

MAX_MERGE_LINES = 50_000  # larger texts are not merged (difflib is quadratic at worst)


@dataclass(frozen=True, slots=True)
class Hunk:
    """Base lines [start, end) replaced by `lines` on one side ("mine" or "theirs")."""

    side: str
    start: int
    end: int
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergeResult:
    """`text` is the merged text, or None when the changes overlap; `conflicts` lists the base
    line ranges (1-based, inclusive) both sides changed; `reason` says why there is no text."""

    text: str | None
    conflicts: tuple[tuple[int, int], ...] = ()
    reason: str = ""

    @property
    def clean(self) -> bool:
        return self.text is not None


def _hunks(base: list[str], other: list[str], side: str) -> list[Hunk]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [
        Hunk(side, i1, i2, tuple(other[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _apply(base: list[str], start: int, end: int, hunks: list[Hunk]) -> list[str]:
    """base[start:end] with one side's hunks (all inside that range) applied."""
    out: list[str] = []
    at = start
    for h in sorted(hunks, key=lambda h: (h.start, h.end)):
        out += base[at : h.start]
        out += h.lines
        at = h.end
    out += base[at:end]
    return out


def _clusters(hunks: list[Hunk]) -> list[list[Hunk]]:
    """Hunks grouped so that hunks touching or overlapping in base land in one group."""
    groups: list[list[Hunk]] = []
    end = -1
    for h in sorted(hunks, key=lambda h: (h.start, h.end)):
        if groups and h.start <= end:
            groups[-1].append(h)
            end = max(end, h.end)
        else:
            groups.append([h])
            end = h.end
    return groups


def _lines_range(start: int, end: int) -> tuple[int, int]:
    first = start + 1
    return first, max(first, end)


def merge3(base: str, mine: str, theirs: str) -> MergeResult:
    """Merge `mine` and `theirs`, both edited from `base`."""
    if mine == theirs:
        return MergeResult(mine)
    if base == theirs:
        return MergeResult(mine)
    if base == mine:
        return MergeResult(theirs)
    b = base.splitlines(keepends=True)
    m = mine.splitlines(keepends=True)
    t = theirs.splitlines(keepends=True)
    if max(len(b), len(m), len(t)) > MAX_MERGE_LINES:
        return MergeResult(None, reason=f"the file is longer than {MAX_MERGE_LINES} lines")
    out: list[str] = []
    conflicts: list[tuple[int, int]] = []
    at = 0
    for group in _clusters(_hunks(b, m, "mine") + _hunks(b, t, "theirs")):
        start = min(h.start for h in group)
        end = max(h.end for h in group)
        out += b[at:start]
        at = end
        sides = {h.side for h in group}
        if len(sides) == 1:
            out += _apply(b, start, end, group)
            continue
        ours = _apply(b, start, end, [h for h in group if h.side == "mine"])
        other = _apply(b, start, end, [h for h in group if h.side == "theirs"])
        if ours == other:
            out += ours
        else:
            conflicts.append(_lines_range(start, end))
    if conflicts:
        where = ", ".join(f"{a}" if a == z else f"{a}-{z}" for a, z in conflicts[:5])
        more = "" if len(conflicts) <= 5 else f" and {len(conflicts) - 5} more places"
        noun = "line" if len(conflicts) == 1 and conflicts[0][0] == conflicts[0][1] else "lines"
        return MergeResult(
            None,
            tuple(conflicts),
            f"both versions change {noun} {where}{more} of the text you opened",
        )
    out += b[at:]
    return MergeResult("".join(out))
