"""`roster validate --fix [--dry-run]` and `roster install`, run as a user would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.helpers.catalog import BROKEN_SHAPE, INTENDED, roster
from tui.core.parse import parse_file

ISOLATED = ("--no-user", "--no-project")
AGENT = "---\nname: helper\ndescription: Helps with things\n---\nYou help.\n"


def test_validate_fix_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bg.md"
    path.write_text(BROKEN_SHAPE)
    out = roster("validate", "--agents-dir", str(tmp_path), *ISOLATED, "--fix", "--dry-run")
    assert "+description: |-" in out.stdout and "+  <example>" in out.stdout
    assert "would apply 1 fix(es)" in out.stdout
    assert path.read_text() == BROKEN_SHAPE
    assert out.returncode == 1  # the report is about the file as it is


def test_validate_fix_rewrites_the_file_so_claude_code_loads_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "bg.md"
    text = BROKEN_SHAPE.replace("tools: Read, Grep", "tools: Read, Raed")
    path.write_bytes(text.replace("\n", "\r\n").encode())
    out = roster("validate", "--agents-dir", str(tmp_path), *ISOLATED, "--fix")
    assert "applied 1 fix(es)" in out.stdout
    assert "not applied, needs your decision: write `Read` for `Raed`" in out.stdout
    assert "Claude Code would skip 0" in out.stdout
    d = parse_file(path, tmp_path)
    assert d.loads_in_claude_code and d.description == INTENDED
    assert b"\r\n" in path.read_bytes()  # the file keeps its line endings


def git_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "src" / "deep").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "helper.md").write_text(AGENT)
    return lib


def test_install_from_a_subfolder_goes_to_the_repository_root(tmp_path: Path) -> None:
    repo, lib = git_repo(tmp_path), library(tmp_path)
    sub = repo / "src" / "deep"
    dry = roster("install", "helper", "--agents-dir", str(lib), "--dry-run", cwd=sub)
    assert dry.returncode == 0, dry.stderr
    target = repo / ".claude" / "agents" / "helper.md"
    assert f"would copy: {lib / 'helper.md'} -> {target}" in dry.stdout
    assert not target.exists()
    out = roster("install", "helper", "--agents-dir", str(lib), cwd=sub)
    assert out.returncode == 0, out.stderr
    assert target.read_text() == AGENT
    again = roster("install", "helper", "--agents-dir", str(lib), cwd=sub)
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_install_refuses_to_overwrite_a_different_file_without_force(tmp_path: Path) -> None:
    repo, lib = git_repo(tmp_path), library(tmp_path)
    target = repo / ".claude" / "agents" / "helper.md"
    target.parent.mkdir(parents=True)
    target.write_text(AGENT.replace("You help.", "Local edits."))
    out = roster("install", "helper", "--agents-dir", str(lib), cwd=repo)
    assert out.returncode == 1
    assert f"{target} already exists and differs from {lib / 'helper.md'}" in out.stderr
    assert "Local edits." in target.read_text()
    forced = roster("install", "helper", "--agents-dir", str(lib), "--force", cwd=repo)
    assert forced.returncode == 0 and target.read_text() == AGENT


def test_install_user_scope_and_a_bundled_agent(tmp_path: Path) -> None:
    home = Path(os.environ["HOME"])
    bundled = next(p for p in (Path(__file__).parents[2] / "agents").rglob("*.md"))
    name = parse_file(bundled, bundled.parent).name
    assert name
    out = roster("install", name, "--user", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (home / ".claude" / "agents" / bundled.name).read_bytes() == bundled.read_bytes()


def test_install_an_unknown_name_fails_clearly(tmp_path: Path) -> None:
    out = roster("install", "no-such-agent", "--user", cwd=tmp_path)
    assert out.returncode == 1 and "no agent named 'no-such-agent'" in out.stderr
