"""The line above the tree that names a root you asked for (`--agents-dir`, config `roots`)
which is not there; the other roots are shown as usual."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Static

from tui.core.roots import Root, missing_roots
from tui.core.sanitize import visible_line


class RootsWarning(Static):
    DEFAULT_CSS = """
    RootsWarning {
        display: none; height: auto; max-height: 3; padding: 0 1; margin: 1 1 0 1;
        background: $warning 30%; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def check(self, roots: Sequence[Root]) -> None:
        missing = missing_roots(list(roots))
        self.update("\n".join(f"⚠ {visible_line(m)}; showing the other roots" for m in missing))
        self.display = bool(missing)
