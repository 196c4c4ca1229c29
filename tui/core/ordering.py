"""How rows are ordered: natural order for names (`gen-2` before `gen-10`, case-insensitive),
used by the tree, the group summaries and `roster list`; and which children of a reconciled tree
level can stay where they are (a longest increasing run of their wanted positions; the others
are moved), so updating a tree moves as few nodes as possible."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

_DIGITS = re.compile(r"\d+")
NaturalKey = tuple[str, str]


def _pad(run: re.Match[str]) -> str:
    digits = run.group().lstrip("0") or "0"
    length = str(len(digits))  # numbers compare by length, then digit by digit; the length
    return f"{len(length)}{length}{digits}"  # itself by its own length (a 1,000-digit run too)


@lru_cache(maxsize=1 << 16)  # the same names and paths are sorted again on every change
def natural_key(text: str) -> NaturalKey:
    """Sort key: digit runs compare as numbers, the rest case-insensitively; ties (`gen-02`
    and `gen-2`, `A` and `a`) fall back to the text itself, so the order is total. A flat
    string, so that sorting thousands of paths stays a C-speed string comparison."""
    return _DIGITS.sub(_pad, text.casefold()), text


@lru_cache(maxsize=1 << 16)
def row_key(name: str, path: str) -> str:
    """A tree row's sort key as one string (fast to compare): the name in natural order, then
    the name as written, then the path in natural order."""
    return f"{natural_key(name)[0]}\0{name}\0{natural_key(path)[0]}"


def keep_in_order(indices: list[int]) -> set[int]:
    """Positions (into `indices`) of a longest increasing run: the children that can stay."""
    tails: list[int] = []
    tails_at: list[int] = []
    prev: list[int] = [-1] * len(indices)
    for pos, value in enumerate(indices):
        i = bisect_left(tails, value)
        if i == len(tails):
            tails.append(value)
            tails_at.append(pos)
        else:
            tails[i] = value
            tails_at[i] = pos
        prev[pos] = tails_at[i - 1] if i else -1
    keep: set[int] = set()
    at = tails_at[-1] if tails_at else -1
    while at != -1:
        keep.add(at)
        at = prev[at]
    return keep
