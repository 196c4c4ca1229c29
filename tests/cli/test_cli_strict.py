"""`roster run` as a subprocess against tests/helpers/strictapi.py, a second stand-in for the
Messages API that refuses what the real one refuses (see its docstring)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.strictapi import StrictAPI, message

KEY = "sk-ant-api03-STRICTKEY0123456789abcdef"
REPORT = "TASK_COMPLETE: x\nSTATUS: done\nSUMMARY: ok"
AGENT = """---
name: tester
description: strict API test agent
tools: Read, Write, Bash
---
You test.
"""


def _text(value: str) -> dict[str, object]:
    return {"type": "text", "text": value}


def _call(tool_id: str, name: str, args: dict[str, object]) -> dict[str, object]:
    return {"type": "tool_use", "id": tool_id, "name": name, "input": args}


def _roster(api: StrictAPI, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    agents, work, data = tmp_path / "agents", tmp_path / "work", tmp_path / "data"
    for folder in (agents, work, data):
        folder.mkdir(exist_ok=True)
    (agents / "tester.md").write_text(AGENT)
    return subprocess.run(
        [
            *(sys.executable, "-m", "tui", "run", "tester", *args, "--cwd", str(work)),
            *("--agents-dir", str(agents), "--permission-mode", "bypassPermissions"),
        ],
        env=api.env(str(data), key=KEY),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def test_json_stream_never_carries_the_key_the_model_repeats(tmp_path: Path) -> None:
    # the model repeats the key in a tool call and in its answer: README says `--json` is
    # redacted on the way out
    with StrictAPI() as api:
        api.script(
            message([_call("w1", "Bash", {"command": f"echo {KEY} > k.txt"})]),
            message([_text(f"The key is {KEY}.\n{REPORT}")], chunk=4096),
        )
        done = _roster(api, tmp_path, "go", "--json")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[-1]["type"] == "exit"
    assert KEY not in done.stdout
    assert "[REDACTED]" in done.stdout
    assert os.path.exists(tmp_path / "work" / "k.txt")  # the command itself ran unchanged
