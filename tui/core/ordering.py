"""How rows are ordered: natural order for names (`gen-2` before `gen-10`, case-insensitive),
used by the tree, the group summaries and `roster list`; and which children of a reconciled tree
level can stay where they are (a longest increasing run of their wanted positions; the others
are moved), so updating a tree moves as few nodes as possible."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

_RUNS = re.compile(r"(\d+)")
NaturalKey = tuple[tuple[tuple[int, int, str], ...], str]


@lru_cache(maxsize=1 << 16)  # the same names and paths are sorted again on every change
def natural_key(text: str) -> NaturalKey:
    """Sort key: digit runs compare as numbers, the rest case-insensitively; ties (`gen-02`
    and `gen-2`, `A` and `a`) fall back to the text itself, so the order is total."""
    parts = tuple(
        (0, int(run), "") if i % 2 else (1, 0, run.casefold())
        for i, run in enumerate(_RUNS.split(text))
        if run
    )
    return parts, text


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
