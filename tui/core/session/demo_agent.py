"""The definition `--demo` runs when no agent of that name exists (and resumes stored demo
sessions with)."""

from __future__ import annotations

from pathlib import Path

from tui.core.definition import AgentDefinition

from .replay import DEMO_AGENT_BODY


def demo_workdir() -> Path:
    """A fresh temporary folder: the demo writes its files there unless the user picks one."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix="roster-demo-"))


def demo_definition() -> AgentDefinition:
    path = Path("<demo>/demo-agent.md")
    return AgentDefinition(
        path=path,
        root=path.parent,
        name="demo-agent",
        description="Roster DEMO agent",
        tools=("Read", "Write"),
        disallowed_tools=None,
        model=None,
        permission_mode=None,
        level="L2",
        level_inferred=False,
        domain="demo",
        domain_inferred=False,
        frameworks=(),
        color=None,
        frontmatter={},
        extra={},
        body=DEMO_AGENT_BODY,
        body_line=1,
        key_lines={},
        encoding="utf-8",
        content_hash="demo",
        loads_in_claude_code=True,
        skip_reason=None,
    )
