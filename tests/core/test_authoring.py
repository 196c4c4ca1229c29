"""New agents from the template validate clean and land in the right group."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core import authoring
from tui.core.authoring import (
    NewAgent,
    file_stem_for,
    name_problem,
    render_new_agent,
    write_new_agent,
)
from tui.core.parse import parse_bytes
from tui.core.storage import StorageError
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
        ("", "missing"),
        ("-x", "starts with"),
        ("a:b", "contains `:`"),
        ("a/b", None),  # loads in Claude Code: only a note on its convention (tui.core.names)
        ("ok-1", None),
    ],
)
def test_name_problems(name: str, problem: str | None) -> None:
    got = name_problem(name)
    assert (got is None) if problem is None else (got is not None and problem in got)


def test_file_stem_for_a_display_name() -> None:
    assert file_stem_for("My Agent!") == "my-agent"


def test_write_new_agent_refuses_bad_names_taken_files_and_read_only_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = NewAgent("api-reviewer", "Reviews API changes", level="L2", domain="backend")
    folder = tmp_path / "new" / "agents"
    path = write_new_agent(spec, folder)  # missing folders are created
    assert path == folder / "api-reviewer.md" and "level: L2" in path.read_text()
    with pytest.raises(StorageError, match="already exists"):
        write_new_agent(spec, folder)
    for bad in ("a:b", "-x"):
        with pytest.raises(StorageError, match="cannot create"):
            write_new_agent(NewAgent(bad, "d"), folder)
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(authoring.os, "access", lambda p, m: Path(p) != locked)
    with pytest.raises(StorageError, match="read-only") as info:
        write_new_agent(spec, locked)
    assert str(locked / "api-reviewer.md") in str(info.value)
    assert list(locked.iterdir()) == []
