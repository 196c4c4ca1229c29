"""Three-way merge of texts, line by line: what the editor loaded (base), the user's edits
(mine) and what is on disk now (theirs).

Written here rather than taken from PyPI: the maintained package (`merge3`, Breezy's) is
GPL-2.0-or-later and Roster is MIT. The rule is deliberately strict: two changes that touch
the same base lines, or lines next to each other, are a conflict (as in diff3 and git), unless
both sides made the very same change. A conflict means no merged text: the caller says why and
offers the other choices, it never writes conflict markers into a definition file.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from dataclasses import dataclass

MAX_MERGE_LINES = 50_000  # larger texts are not merged
# The line diff under the merge is bounded: common ends are trimmed, lines unique on both sides
# anchor the rest (patience diff), and difflib only sees small anchorless regions (its worst
# case on repeated lines is cubic: 1,000 alternating lines took 10 s on the event loop). A
# region too big for difflib, or work beyond the budget, counts as changed as a whole: still a
# correct diff, only a coarser one (at worst a conflict where a finer diff would merge).
SMALL_REGION = 4_096  # len(a) * len(b) a region may have to go to difflib
WORK_BUDGET = 2_000_000  # lines looked at over all regions


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


def _anchors(a: list[str], b: list[str], alo: int, ahi: int, blo: int, bhi: int) -> list[int]:
    """Pairs (i, j) of lines unique in both ranges, longest increasing run in j (flattened
    as i0, j0, i1, j1, ...)."""
    ca = Counter(a[alo:ahi])
    cb = Counter(b[blo:bhi])
    where = {b[j]: j for j in range(blo, bhi) if cb[b[j]] == 1}
    pairs = [(i, where[a[i]]) for i in range(alo, ahi) if ca[a[i]] == 1 and a[i] in where]
    tails: list[int] = []  # patience sorting: the j at the end of each pile
    tops: list[int] = []  # index into pairs of that top
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tails, j)
        back.append(tops[pile - 1] if pile else -1)
        if pile == len(tails):
            tails.append(j)
            tops.append(k)
        else:
            tails[pile], tops[pile] = j, k
    out: list[int] = []
    k = tops[-1] if tops else -1
    while k >= 0:
        out += [pairs[k][1], pairs[k][0]]
        k = back[k]
    return out[::-1]


def _changes(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """The changed regions (i1, i2, j1, j2) turning a into b, in order; bounded work."""
    out: list[tuple[int, int, int, int]] = []
    work = 0
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
        if alo == ahi or blo == bhi:
            if alo < ahi or blo < bhi:
                out.append((alo, ahi, blo, bhi))
            continue
        work += (ahi - alo) + (bhi - blo)
        if work > WORK_BUDGET:
            out.append((alo, ahi, blo, bhi))
            continue
        flat = _anchors(a, b, alo, ahi, blo, bhi)
        if flat:
            starts = [(alo, blo), *zip(flat[0::2], flat[1::2], strict=True)]
            for k, (i, j) in enumerate(starts):
                ni, nj = (flat[2 * k], flat[2 * k + 1]) if 2 * k < len(flat) else (ahi, bhi)
                i, j = (i, j) if k == 0 else (i + 1, j + 1)
                todo.append((i, ni, j, nj))
            continue
        if (ahi - alo) * (bhi - blo) > SMALL_REGION:
            out.append((alo, ahi, blo, bhi))
            continue
        matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        out += [
            (alo + i1, alo + i2, blo + j1, blo + j2)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]
    return sorted(out)


def _hunks(base: list[str], other: list[str], side: str) -> list[Hunk]:
    return [Hunk(side, i1, i2, tuple(other[j1:j2])) for i1, i2, j1, j2 in _changes(base, other)]


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


_FM_KEY = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:")


def _fm_keys(text: str) -> Counter[str]:
    """Top-level keys of the frontmatter block (between the first two `---` lines)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return Counter()
    keys: Counter[str] = Counter()
    for line in lines[1:]:
        if line.rstrip() == "---":
            break
        m = _FM_KEY.match(line)
        if m:
            keys[m.group(1)] += 1
    return keys


def merge_definition(base: str, mine: str, theirs: str) -> MergeResult:
    """`merge3` for a definition file: a clean text merge that sets a frontmatter key twice
    (each side added `model:` in a different place) is a conflict too, since Claude Code would
    silently keep only the last one."""
    result = merge3(base, mine, theirs)
    if result.text is None:
        return result
    merged, a, b = _fm_keys(result.text), _fm_keys(mine), _fm_keys(theirs)
    twice = [k for k, n in merged.items() if n > 1 and n > max(a[k], b[k])]
    if twice:
        keys = ", ".join(f"`{k}`" for k in twice[:5])
        return MergeResult(None, reason=f"both versions set {keys} in the frontmatter")
    return result
