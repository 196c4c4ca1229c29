"""Helpers for tests that drive `roster run` in-process or as a subprocess (not a test module)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.helpers.session import make_definition, process_running
from tui.cli.run import run_command
from tui.cli.run_args import add_run_commands

AGENT_FILE = """---
name: tester
description: test agent for the CLI
tools: Read, Write, Bash
---
You are the CLI test agent.
"""


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="roster")
    parser.add_argument("--demo", action="store_true")
    add_run_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(list(argv))


def run_cli(*argv: str, mode: str | None = None, names: tuple[str, ...] = ("tester",)) -> int:
    """`roster run|history|export ...` in this process; agents `names` all exist."""
    defs = {n: make_definition(n, mode=mode, tools=("Read", "Write", "Bash")) for n in names}
    return run_command(parse(*argv), defs.get)


def write_agent(tmp_path: Path) -> Path:
    agents = tmp_path / "agents"
    agents.mkdir(exist_ok=True)
    (agents / "tester.md").write_text(AGENT_FILE)
    return agents


def start(agents: Path, workdir: Path, *args: str) -> subprocess.Popen[str]:
    """`roster run tester ARGS --json` as a subprocess, Bash allowed."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "tui", "run", "tester", *args, "--cwd", str(workdir)),
            *("--json", "--agents-dir", str(agents), "--permission-mode", "bypassPermissions"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
    )


def sleepers(marker: str) -> list[int]:
    """Live processes whose command line holds `marker` (a unique `sleep` duration)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError):
                if marker in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(proc.name))
    return [p for p in pids if process_running(p)]


def until_bash_runs(proc: subprocess.Popen[str], marker: str) -> list[dict[str, Any]]:
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(json.loads(line))
        if lines[-1]["type"] == "permission_decided":
            break
    deadline = time.monotonic() + 10
    while not sleepers(marker):
        assert time.monotonic() < deadline, "Bash never started"
        time.sleep(0.05)
    return lines
