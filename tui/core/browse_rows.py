"""The rows and groups the agent tree shows (plain data; `tui.core.browse` builds them)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.definition import AgentDefinition


@dataclass(frozen=True, slots=True, eq=False)  # identity: a new row means "redraw this one"
class AgentRow:
    """One definition as the tree shows it: the catalog's verdicts computed once."""

    definition: AgentDefinition
    shadowed_by: str | None = None  # the file that wins this name: "review/api.md (user)"
    conflict: bool = False
    root_kind: str = ""  # "project", "user", "extra", "bundled" ("" before the roots are known)
    where: str | None = None  # "project · sub/x.md" for same-name rows (the tree shows it)

    @property
    def path(self) -> Path:
        return self.definition.path

    @property
    def broken(self) -> bool:
        """✗ in the tree: Claude Code skips the file, or it has errors."""
        d = self.definition
        return not d.loads_in_claude_code or d.has_errors

    @property
    def problem(self) -> bool:
        """ "With problems", everywhere (status line, `has:problems`, the problems-only view):
        the row carries a mark, ✗ (skipped or errors) or ! (warnings, a duplicate name)."""
        return self.broken or self.definition.has_warnings or self.conflict


@dataclass(slots=True)
class GroupSpec:
    key: str
    title: str
    children: list[GroupSpec] = field(default_factory=list)
    rows: list[AgentRow] = field(default_factory=list)
    problem: bool = False
    count: int = 0

    def walk(self) -> Iterator[GroupSpec]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True, slots=True)
class View:
    """What the tree should show now: the groups, how to expand new ones, and the best match
    to reveal (only when the result list is short)."""

    specs: list[GroupSpec]
    force_expand: bool | None  # True: open every group with a match
    restore: dict[str, bool] | None  # expansion to give back (filter cleared or many matches)
    best: Path | None


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def depths(spec: GroupSpec, depth: int = 0) -> Iterator[tuple[int, GroupSpec]]:
    yield depth, spec
    for child in spec.children:
        yield from depths(child, depth + 1)


def chains_of(specs: list[GroupSpec]) -> dict[Path, tuple[str, ...]]:
    """path -> keys of the groups holding its row, outermost first."""
    out: dict[Path, tuple[str, ...]] = {}
    stack: list[tuple[GroupSpec, tuple[str, ...]]] = [(spec, (spec.key,)) for spec in specs]
    while stack:
        spec, chain = stack.pop()
        for row in spec.rows:
            out[row.definition.path] = chain
        stack.extend((child, (*chain, child.key)) for child in spec.children)
    return out


def filtered(specs: list[GroupSpec], keep: set[AgentRow]) -> list[GroupSpec]:
    """`specs` with only the rows in `keep` (and the groups that still have one)."""
    out: list[GroupSpec] = []
    for spec in specs:
        children = filtered(spec.children, keep)
        rows = [r for r in spec.rows if r in keep]
        count = len(rows) + sum(c.count for c in children)
        if count:
            out.append(GroupSpec(spec.key, spec.title, children, rows, spec.problem, count))
    return out
