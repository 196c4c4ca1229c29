"""New agents from the template validate clean and land in the right group."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.authoring import NewAgent, file_stem_for, free_path, name_problem, render_new_agent
from tui.core.parse import parse_bytes
from tui.core.workflow import parse_body


def test_template_is_valid_and_complete() -> None:
    text = render_new_agent(
        NewAgent(
            "l2-api",
            "Use when: APIs need work",
            "L2",
            "backend",
            ["Read", "Edit"],
            "sonnet",
            "acceptEdits",
        )
    )
    d = parse_bytes(text.encode(), Path("/r/l2-api.md"), Path("/r"))
    assert d.diagnostics == () and d.loads_in_claude_code
    assert (d.name, d.level, d.domain, d.tools) == ("l2-api", "L2", "backend", ("Read", "Edit"))
    assert d.description == "Use when: APIs need work"
    sections = parse_body(d.body)
    assert sections.workflows and sections.quality_checks and sections.report_template


def test_no_tools_and_all_tools() -> None:
    none = render_new_agent(NewAgent("a", "b", tools=[]))
    assert parse_bytes(none.encode(), Path("/r/a.md"), Path("/r")).tools == ()
    all_ = render_new_agent(NewAgent("a", "b"))
    assert parse_bytes(all_.encode(), Path("/r/a.md"), Path("/r")).tools is None


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "required"),
        ("-x", "start with"),
        ("a:b", "contain `:`"),
        ("a/b", "slash"),
        ("ok-1", None),
    ],
)
def test_name_problems(name: str, problem: str | None) -> None:
    got = name_problem(name)
    assert (got is None) if problem is None else (got is not None and problem in got)


def test_free_path_avoids_collisions(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x")
    (tmp_path / "a-2.md").write_text("x")
    assert free_path(tmp_path, "a") == tmp_path / "a-3.md"
    assert file_stem_for("My Agent!") == "my-agent"
