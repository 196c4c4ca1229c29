"""`roster list / validate / show` as scripts and people use them: real subprocesses, real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.catalog import roster


@pytest.fixture
def agents_dir(tmp_path: Path) -> Path:
    root = tmp_path / "agents"
    (root / "backend").mkdir(parents=True)
    (root / "backend" / "api.md").write_text(
        "---\nname: l2-api\ndescription: Builds APIs\ntools: Read, MultiEdit\nmodel: sonnet\n"
        "domain: backend\n---\n\n## Workflows\n\n### Endpoint\n\n1. Read routes\n2. Add route\n\n"
        "## Completion Report\n\n```\nTASK_COMPLETE: {taskId}\nSTATUS: completed\n```\n"
    )
    (root / "empty-tools.md").write_text("---\nname: quiet\ndescription: Thinks\ntools:\n---\nx\n")
    (root / "broken.md").write_text("---\nname: bad:name\ndescription: x\n---\nx\n")
    (root / "notes.md").write_text("# just notes\n")
    return root


def test_version() -> None:
    out = roster("--version")
    assert out.returncode == 0 and out.stdout.startswith("roster 0.")


def test_list_json_shape(agents_dir: Path) -> None:
    out = roster("list", "--json", "--agents-dir", str(agents_dir), "--no-user", "--no-project")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    by_name = {a["name"]: a for a in data}
    assert set(by_name) == {"l2-api", "quiet", "bad:name"}
    api = by_name["l2-api"]
    for key in (
        "name",
        "description",
        "level",
        "level_inferred",
        "domain",
        "domain_inferred",
        "path",
        "root",
        "tools",
        "model",
        "permissionMode",
        "shadowed_by",
    ):
        assert key in api
    assert api["level"] == "L2" and api["level_inferred"] is True
    assert api["domain"] == "backend" and api["domain_inferred"] is False
    assert api["tools"] == ["Read", "MultiEdit"]
    assert by_name["quiet"]["tools"] == []
    assert api["shadowed_by"] is None and api["permissionMode"] is None


def test_list_table_and_tree_for_people(agents_dir: Path) -> None:
    out = roster("--agents-dir", str(agents_dir), "--no-user", "--no-project", "list")
    assert out.returncode == 0, out.stderr
    assert "l2-api" in out.stdout and "skipped by Claude Code" in out.stdout
    assert "1 file(s) are not agents" in out.stdout
    tree = roster("list", "--tree", "--agents-dir", str(agents_dir), "--no-user")
    assert "L2 · Specialists" in tree.stdout and "backend" in tree.stdout


def test_validate_prints_compiler_style_and_exits_1_on_errors(agents_dir: Path) -> None:
    out = roster("validate", str(agents_dir))
    assert out.returncode == 1
    broken = agents_dir / "broken.md"
    assert f"{broken}:2:1: error R012" in out.stdout
    assert f"{agents_dir / 'backend' / 'api.md'}:4:1: warning R030" in out.stdout
    assert "Claude Code would skip 2" in out.stdout  # broken.md and notes.md


def test_validate_json_one_object_per_file(agents_dir: Path) -> None:
    out = roster("validate", "--json", str(agents_dir))
    data = json.loads(out.stdout)
    assert len(data) == 4
    notes = next(x for x in data if x["path"].endswith("notes.md"))
    assert notes["name"] is None and notes["loads_in_claude_code"] is False
    assert "no frontmatter" in notes["skip_reason"]
    diag = notes["diagnostics"][0]
    assert set(diag) >= {"code", "severity", "line", "column", "message"}


def test_validate_strict_fails_on_warnings_only(tmp_path: Path) -> None:
    f = tmp_path / "w.md"
    f.write_text("---\nname: w\ndescription: d\ntools: LS\n---\nbody\n")
    assert roster("validate", str(f)).returncode == 0
    assert roster("validate", "--strict", str(f)).returncode == 1
    assert roster("validate", str(tmp_path / "missing.md")).returncode == 1


def test_show_lists_workflows_and_template(agents_dir: Path) -> None:
    out = roster("show", "l2-api", "--agents-dir", str(agents_dir), "--no-user")
    assert out.returncode == 0, out.stderr
    assert "Endpoint" in out.stdout and "1. Read routes" in out.stdout
    assert "TASK_COMPLETE" in out.stdout
    data = json.loads(roster("show", "l2-api", "--json", "--agents-dir", str(agents_dir)).stdout)
    assert data["workflows"][0]["steps"] == ["Read routes", "Add route"]
    missing = roster("show", "l2-ap", "--agents-dir", str(agents_dir))
    assert missing.returncode == 1 and "Did you mean: l2-api" in missing.stderr


def test_bundled_agents_are_the_default_and_clean() -> None:
    out = roster("validate", "--json", "--no-user", "--no-project")
    data = json.loads(out.stdout)
    assert len(data) >= 16 and out.returncode == 0
    assert all(x["loads_in_claude_code"] and not x["diagnostics"] for x in data)


def test_corpus_validate_runs(corpora: Path) -> None:
    out = roster("validate", "--json", "--agents-dir", str(corpora / "synthetic"), "--no-user")
    data = json.loads(out.stdout)
    assert len(data) == 20
    assert sum(1 for x in data if not x["loads_in_claude_code"]) == 8
