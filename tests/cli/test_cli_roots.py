"""`roster list --roots` (issue 16 point 1): every root searched, with its kind, count, whether
it exists and whether Claude Code reads it; `--no-bundled` hides the library."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.catalog import roster


def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "mine.md").write_text("---\nname: mine\ndescription: Mine\n---\nx\n")
    return tmp_path


def test_list_roots_json_names_every_root(tmp_path: Path) -> None:
    out = roster("list", "--roots", "--json", "--no-user", cwd=repo(tmp_path))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    kinds = [r["kind"] for r in rows]
    assert kinds == ["project", "bundled"]
    project, library = rows
    assert project["files"] == 1 and project["exists"] and project["claude_code_reads"]
    assert library["files"] >= 10 and not library["claude_code_reads"]


def test_list_roots_table_and_no_bundled(tmp_path: Path) -> None:
    here = repo(tmp_path)
    out = roster("list", "--roots", "--no-user", cwd=here)
    assert out.returncode == 0, out.stderr
    assert "project" in out.stdout and "bundled" in out.stdout and "reads it" in out.stdout
    out = roster("list", "--roots", "--json", "--no-user", "--no-bundled", cwd=here)
    assert [r["kind"] for r in json.loads(out.stdout)] == ["project"]
    out = roster("list", "--json", "--no-user", "--no-bundled", cwd=here)
    assert [a["name"] for a in json.loads(out.stdout)] == ["mine"]


def test_list_at_80_columns_keeps_tools_readable(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "tui", "list", "--no-user"],
        capture_output=True,
        text=True,
        cwd=repo(tmp_path),
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if "Tools" in line)
    assert "Status" in header and " Mode " not in header  # dropped, not squeezed
    mine = next(line for line in lines if " mine " in line)
    assert "all tools" in mine  # the Tools cell has room for its words
