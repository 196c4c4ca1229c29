"""The bundled library delegates end to end: L0 -> L1 -> L2 -> L3, each level offered the
Agent tool with callable names that exist, and told in its body whom to call."""

from __future__ import annotations

from tui.core.catalog import Catalog
from tui.core.roots import Root, RootKind, bundled_agents_dir
from tui.core.session.delegation import agent_tool
from tui.core.session.options import Subagents


def test_every_level_can_call_the_next_and_the_names_exist() -> None:
    root = bundled_agents_dir()
    assert root is not None
    c = Catalog([Root(root, RootKind.BUNDLED, 0)])
    c.scan(workers=1)
    by_name = {d.name: d for d in c.agents()}
    subagents = Subagents(
        by_name.get, lambda: [(n, d.description or "") for n, d in by_name.items()]
    )
    callable_from: dict[str, list[str]] = {}
    for name, d in by_name.items():
        tool = agent_tool(d.tools, (), subagents)
        if tool is not None:
            callable_from[str(name)] = [n for n, _ in tool.callable()]
            if tool.allowed is not None:  # every restricted name is a real definition
                assert tool.allowed <= set(by_name), (name, tool.allowed - set(by_name))
    assert "l1-phase-orchestrator" in callable_from["l0-epic-orchestrator"]
    assert {"l2-backend-specialist", "l2-docs-writer"} <= set(
        callable_from["l1-phase-orchestrator"]
    )
    specialists = [n for n in by_name if str(n).startswith("l2-")]
    for name in specialists:
        assert str(name) in callable_from, name
        body = by_name[name].body
        named = [n for n in by_name if str(n).startswith("l3-") and f"`{n}`" in body]
        assert named, f"{name}: its body names no L3 worker to call"
    assert not any(str(n).startswith("l3-") for n in callable_from)  # workers do the work
