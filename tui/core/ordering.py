"""Which children of a reconciled tree level can stay where they are: a longest increasing run
of their wanted positions (the others are moved), so updating a tree moves as few nodes as
possible."""

from __future__ import annotations

from bisect import bisect_left


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
