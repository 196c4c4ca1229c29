"""Field filters in the filter box: `level:L3 tool:Bash model:opus has:errors root:project
domain:backend`, combinable with free text (`level:L2 review` = L2 agents matching "review").

A token `field:value` with a known field is a condition on the row; every other token is free
text for the fuzzy search (`tui.core.filtering`). Conditions are ANDed; a value is matched
case-insensitively (`tool:bash`), by prefix for `domain`, `model` and `root`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.browse_rows import AgentRow

FIELDS = {
    "level": "L0–L3, or `none` (no level)",
    "domain": "domain, by prefix (`domain:back`)",
    "tool": "a tool the agent has (agents without `tools` have every tool)",
    "model": "model alias or id, by prefix; `inherit` for none",
    "has": "`errors`, `warnings` or `problems` (any ✗ or !)",
    "root": "`project`, `user`, `extra` or `library`",
}
HAS = ("errors", "warnings", "problems")

Condition = Callable[["AgentRow"], bool]


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # the free text, for the fuzzy search
    conditions: tuple[Condition, ...]
    unknown: tuple[str, ...]  # `has:` values that mean nothing (the status line says so)

    def keeps(self, row: AgentRow) -> bool:
        return all(c(row) for c in self.conditions)


def _level(value: str) -> Condition:
    want = None if value in ("none", "-", "unleveled") else value.upper()
    return lambda r: r.definition.level == want


def _domain(value: str) -> Condition:
    return lambda r: r.definition.domain.lower().startswith(value)


def _tool(value: str) -> Condition:
    def keep(r: AgentRow) -> bool:
        tools = r.definition.tools
        if tools is None:  # no `tools` key: Claude Code gives every tool
            return r.definition.loads_in_claude_code
        return any(t.lower() == value or t.lower().startswith(value + "(") for t in tools)

    return keep


def _model(value: str) -> Condition:
    def keep(r: AgentRow) -> bool:
        model = (r.definition.model or "inherit").lower()
        return model.startswith(value)

    return keep


def _has(value: str) -> Condition:
    if value.startswith("err"):
        return lambda r: r.broken
    if value.startswith("warn"):
        return lambda r: r.definition.has_warnings
    return lambda r: r.problem


def _root(value: str) -> Condition:
    if value.startswith("lib") or value.startswith("bund"):
        value = "bundled"
    return lambda r: r.root_kind.startswith(value)


_BUILDERS: dict[str, Callable[[str], Condition]] = {
    "level": _level,
    "domain": _domain,
    "tool": _tool,
    "model": _model,
    "has": _has,
    "root": _root,
}


def parse_query(query: str) -> Query:
    free: list[str] = []
    conditions: list[Condition] = []
    unknown: list[str] = []
    for token in query.split():
        field, sep, value = token.partition(":")
        builder = _BUILDERS.get(field.lower()) if sep else None
        if builder is None or not value:
            free.append(token)
            continue
        value = value.lower()
        if field.lower() == "has" and not any(h.startswith(value[:3]) for h in HAS):
            unknown.append(token)
        conditions.append(builder(value))
    return Query(" ".join(free), tuple(conditions), tuple(unknown))


def has_fields(query: str) -> bool:
    """Whether `query` holds a field condition (cheap: no parsing when there is no colon)."""
    return ":" in query and bool(parse_query(query).conditions)
