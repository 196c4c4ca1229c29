"""What a group of the tree holds, for the preview of a group: how many agents, counted by
level, domain and model, how many have problems, and their names in natural order."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tui.core.browse_rows import GroupSpec
from tui.core.grouping import UNLEVELED
from tui.core.ordering import natural_key

MAX_NAMES = 500  # a bigger group lists this many names and says how many more


@dataclass(frozen=True, slots=True)
class GroupSummary:
    key: str
    title: str
    count: int
    levels: tuple[tuple[str, int], ...] = ()  # (level, agents), in level order
    domains: tuple[tuple[str, int], ...] = ()  # biggest first
    models: tuple[tuple[str, int], ...] = ()  # biggest first
    problems: int = 0  # rows marked ✗ or !
    names: tuple[str, ...] = ()  # natural order, at most MAX_NAMES


def _most(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], natural_key(kv[0]))))


def summarise(spec: GroupSpec) -> GroupSummary:
    rows = [r for g in spec.walk() for r in g.rows]
    agents = [r.definition for r in rows if r.definition.is_agent]
    levels = Counter(d.level or UNLEVELED for d in agents)
    names = sorted((r.definition.display_name for r in rows), key=natural_key)
    return GroupSummary(
        key=spec.key,
        title=spec.title,
        count=spec.count,
        levels=tuple(sorted(levels.items(), key=lambda kv: natural_key(kv[0]))),
        domains=_most(Counter(d.domain for d in agents)),
        models=_most(Counter(d.model or "inherit" for d in agents)),
        problems=sum(1 for r in rows if r.problem),
        names=tuple(names[:MAX_NAMES]),
    )
