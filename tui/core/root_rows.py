"""The roots panel's rows (the palette's roots panel and `roster list --roots`): each searched
root with its kind, its count of definition files and whether it exists. Apart from
`tui.core.roots`, which every start imports, because only those two views need it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.roots import CLAUDE_READS, KIND_NOTES, Root, RootKind


@dataclass(frozen=True, slots=True)
class RootRow:
    """One searched root, as the roots panel and `roster list --roots` show it."""

    path: Path
    kind: RootKind
    count: int  # definition files found in it
    exists: bool

    @property
    def claude_reads(self) -> bool:
        return self.kind in CLAUDE_READS

    @property
    def note(self) -> str:
        return KIND_NOTES[self.kind]


def root_rows(roots: Sequence[Root], files: Iterable[Path]) -> list[RootRow]:
    """Every root in precedence order with its count of definition files (`files`: each
    definition's root path)."""
    counts: dict[Path, int] = {}
    for root in files:
        counts[root] = counts.get(root, 0) + 1
    return [
        RootRow(r.path, r.kind, counts.get(r.path, 0), r.path.is_dir())
        for r in sorted(roots, key=lambda r: r.rank)
    ]
