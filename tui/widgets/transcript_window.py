"""Which blocks of a long transcript are in the DOM: the newest MAX_BLOCKS blocks and about
DOM_CHARS characters of text; the session view pages older ones back in on request."""

from __future__ import annotations

from collections.abc import Sequence

MAX_BLOCKS = 120  # block widgets kept in the DOM
DOM_CHARS = 16_000  # and about this much text (each Markdown paragraph is a widget of its own)
KEEP_ALWAYS = 4  # the newest blocks stay whatever their size
PAGE = 40  # blocks brought back per "show earlier"


def weight(block: object) -> int:
    """Roughly how much DOM a block costs, in characters of text."""
    text = getattr(block, "text", None)
    if isinstance(text, str):
        return len(text)
    output = getattr(block, "output", None)
    return 400 + (min(len(output), 4000) if isinstance(output, str) else 0)


def page_start(blocks: Sequence[object], end: int, count: int, chars: int) -> int:
    """The first index of a page ending before `end`: at most `count` blocks and about
    `chars` characters (at least one block)."""
    start, total = end, 0
    while start > 0 and end - start < count:
        total += weight(blocks[start - 1])
        if total > chars and start < end:
            break
        start -= 1
    return start


def prune_cut(blocks: Sequence[object], indices: list[int]) -> int:
    """How many of the shown blocks (`indices`, sorted) to drop from the top: the newest
    KEEP_ALWAYS stay, then at most MAX_BLOCKS blocks and about DOM_CHARS characters."""
    chars = 0
    for kept, position in enumerate(range(len(indices) - 1, -1, -1), start=1):
        chars += weight(blocks[indices[position]]) if indices[position] < len(blocks) else 0
        if kept > KEEP_ALWAYS and (kept > MAX_BLOCKS or chars > DOM_CHARS):
            return position + 1
    return 0


def page_end(blocks: Sequence[object], start: int, count: int, chars: int) -> int:
    """The end (exclusive) of a page starting at `start`: at most `count` blocks and about
    `chars` characters (at least one block)."""
    end, total = start, 0
    while end < len(blocks) and end - start < count:
        total += weight(blocks[end])
        if total > chars and end > start:
            break
        end += 1
    return end


def window_around(blocks: Sequence[object], index: int) -> tuple[int, int]:
    """The blocks to mount to show block `index` far from the mounted ones: a few before it
    and about a screenful after it, so jumping costs about as much as showing one screen."""
    start = page_start(blocks, index, 3, DOM_CHARS // 8)
    return start, page_end(blocks, index, PAGE, DOM_CHARS // 2)
