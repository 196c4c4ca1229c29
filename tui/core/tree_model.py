"""Agents arranged as a two- or one-level tree of groups, for any grouping the UI offers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from tui.core.definition import AgentDefinition
from tui.core.grouping import LEVEL_TITLES, LEVELS, UNLEVELED
from tui.core.ordering import natural_key, row_key


class GroupBy(StrEnum):
    LEVEL = "level"  # level -> domain -> agent
    DOMAIN = "domain"  # domain -> agent
    ROOT = "root"
    FOLDER = "folder"
    MODEL = "model"


@dataclass(slots=True)
class Group:
    key: str  # stable id (used for expansion state)
    title: str
    children: list[Group] = field(default_factory=list)
    agents: list[AgentDefinition] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.agents) + sum(c.count for c in self.children)


def _level_key(d: AgentDefinition) -> str:
    return d.level or UNLEVELED


def _level_order(key: str) -> tuple[int, object]:
    return (LEVELS.index(key), key) if key in LEVELS else (len(LEVELS), natural_key(key))


def _folder_key(d: AgentDefinition) -> str:
    parent = d.relative_path.parent
    return str(parent) if str(parent) != "." else "(top level)"


def _sort_agents(agents: list[AgentDefinition]) -> list[AgentDefinition]:
    """Natural order of the names (`gen-2` before `gen-10`), then of the paths."""
    return sorted(agents, key=lambda d: row_key(d.display_name, str(d.path)))


def _bucket(
    agents: Iterable[AgentDefinition], key: Callable[[AgentDefinition], str]
) -> dict[str, list[AgentDefinition]]:
    out: dict[str, list[AgentDefinition]] = {}
    for d in agents:
        out.setdefault(key(d), []).append(d)
    return out


def build_groups(agents: Iterable[AgentDefinition], by: GroupBy = GroupBy.LEVEL) -> list[Group]:
    items = list(agents)
    if by is GroupBy.LEVEL:
        groups = []
        for level, members in sorted(
            _bucket(items, _level_key).items(), key=lambda kv: _level_order(kv[0])
        ):
            g = Group(key=f"level:{level}", title=LEVEL_TITLES.get(level, level))
            domains = _bucket(members, lambda d: d.domain)
            for domain, dm in sorted(domains.items(), key=lambda kv: natural_key(kv[0])):
                g.children.append(
                    Group(
                        key=f"level:{level}/domain:{domain}", title=domain, agents=_sort_agents(dm)
                    )
                )
            groups.append(g)
        return groups
    key_fn: Callable[[AgentDefinition], str]
    if by is GroupBy.DOMAIN:
        key_fn = lambda d: d.domain  # noqa: E731
    elif by is GroupBy.ROOT:
        key_fn = lambda d: str(d.root)  # noqa: E731
    elif by is GroupBy.FOLDER:
        key_fn = _folder_key
    else:
        key_fn = lambda d: d.model or "inherit (default)"  # noqa: E731
    return [
        Group(key=f"{by.value}:{k}", title=k, agents=_sort_agents(v))
        for k, v in sorted(_bucket(items, key_fn).items(), key=lambda kv: natural_key(kv[0]))
    ]
