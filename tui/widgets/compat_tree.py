"""The Tree half of the private-Textual-API workarounds (compat.py holds the TextArea half and
lists both for the upgrade test). Its own module so the browser's first frame does not import
TextArea, its document classes and tree-sitter just to draw the tree."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from textual.widgets import Tree

T = TypeVar("T")

TREE_PRIVATE_MEMBERS: tuple[tuple[type[Any], str], ...] = ((Tree, "_invalidate"),)


class BatchedTree(Tree[T]):
    """A Tree whose many node changes invalidate it once. Every add/remove/expand calls the
    private `Tree._invalidate` (line cache, layout refresh); there is no public batch API, and
    reconciling thousands of nodes one invalidation each costs seconds."""

    _batching = False
    _batch_dirty = False

    def _invalidate(self) -> None:
        if self._batching:
            self._batch_dirty = True
            return
        super()._invalidate()

    def invalidate_all(self) -> None:
        """Drop the line cache and redraw every line (e.g. after labels' decorations change)."""
        super()._invalidate()

    @contextmanager
    def batch_nodes(self) -> Iterator[None]:
        """Node changes inside invalidate the tree once, at the end."""
        if self._batching:
            yield
            return
        self._batching = True
        self._batch_dirty = False
        try:
            yield
        finally:
            self._batching = False
            if self._batch_dirty:
                super()._invalidate()
