"""The CLI on hostile folders: escapes stay visible, FIFOs and alias bombs finish with a clear
line, a root that does not exist is an error (exit 2), output grows linearly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.catalog import BOMB, roster

ISOLATED = ("--no-user", "--no-project")


def test_show_list_validate_print_control_characters_as_visible_escapes(tmp_path: Path) -> None:
    (tmp_path / "evil.md").write_bytes(
        b"---\nname: evil\ndescription: clears \x1b[2J the screen\nmodel: \x1b]52;c;eA==\x07\n"
        b"---\n## Workflows\n\n### Go\n\n1. step \x1b[31mred\x1b[0m\n"
    )
    for args in (("show", "evil"), ("list",), ("list", "--tree"), ("validate",)):
        out = roster(*args, "--agents-dir", str(tmp_path), *ISOLATED)
        assert "\x1b" not in out.stdout and "\x07" not in out.stdout, args
    shown = roster("show", "evil", "--agents-dir", str(tmp_path), *ISOLATED).stdout
    assert "clears \\x1b[2J the screen" in shown
    assert "step \\x1b[31mred" in shown


def test_validate_and_list_exit_2_naming_a_root_that_does_not_exist(tmp_path: Path) -> None:
    typo = tmp_path / "agnets"
    for command in ("validate", "list"):
        out = roster(command, "--agents-dir", str(typo), *ISOLATED)
        assert out.returncode == 2, out
        assert f"--agents-dir {typo} does not exist" in out.stderr
        assert "0 file(s)" not in out.stdout


def test_a_config_root_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    config = Path(os.environ["ROSTER_CONFIG"])
    config.write_text(f'roots = ["{tmp_path / "gone"}"]\n')
    out = roster("validate", *ISOLATED)
    assert out.returncode == 2 and f"`roots` entry {tmp_path / 'gone'} does not exist" in out.stderr


def test_a_fifo_named_like_an_agent_does_not_hang_validate(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.md")
    out = roster("validate", "--agents-dir", str(tmp_path), *ISOLATED)
    assert out.returncode == 1
    assert "not a regular file (a FIFO (named pipe)); not opened" in out.stdout


def test_list_json_with_an_alias_bomb_stays_small(tmp_path: Path) -> None:
    (tmp_path / "bomb.md").write_text(BOMB)
    (tmp_path / "ok.md").write_text("---\nname: ok\ndescription: d\n---\nb\n")
    out = roster("list", "--json", "--agents-dir", str(tmp_path), *ISOLATED)
    assert out.returncode == 0 and "Traceback" not in out.stderr
    listed = {a["name"]: a["loads_in_claude_code"] for a in json.loads(out.stdout)}
    assert listed == {"bomb": False, "ok": True}
    assert len(out.stdout) < 10_000
    # the peak of that one command: measured in a fresh process that runs only it (this
    # process's RUSAGE_CHILDREN also holds every earlier child, forks of pytest included)
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    argv = ("list", "--json", "--agents-dir", str(tmp_path), *ISOLATED)
    measured = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, "-m", "tui", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    peak_kb = int(measured.stdout.strip())  # KB on Linux
    assert peak_kb < 300 * 1024
    val = roster("validate", "--agents-dir", str(tmp_path), *ISOLATED)
    assert "aliases expand to more than 100,000 values" in val.stdout


def test_validate_output_grows_linearly_with_files_of_one_name(tmp_path: Path) -> None:
    n = 400
    for i in range(n):
        (tmp_path / f"a{i:03d}.md").write_text("---\nname: same\ndescription: d\n---\nb\n")
    out = roster("validate", "--agents-dir", str(tmp_path), *ISOLATED)
    assert len(out.stdout.splitlines()) < 3 * n + 5  # a line and its fix per file
    assert len(out.stdout) < 1000 * n  # each line names at most 4 paths


def test_show_says_where_an_inferred_level_and_domain_came_from(tmp_path: Path) -> None:
    (tmp_path / "r.md").write_text("---\nname: react-expert\ndescription: d\n---\nb\n")
    out = roster("show", "react-expert", "--agents-dir", str(tmp_path), *ISOLATED)
    assert "inferred from the name `react-expert`" in out.stdout
    data = json.loads(roster("list", "--json", "--agents-dir", str(tmp_path), *ISOLATED).stdout)[0]
    assert (data["level"], data["domain"]) == ("L2", "frontend")
    assert data["level_source"] == "the name `react-expert`"
