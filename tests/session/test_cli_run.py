"""`roster run / history / export`: exit codes, JSON lines, no key, kill -9 and resume, secrets."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, error, reply, text, tool_use
from tests.helpers.cli_run import AGENT_FILE, parse
from tests.helpers.session import SECRET_KEY, make_definition
from tui.cli.run import run_command
from tui.core.session.store import SessionStore, default_db_path


def run_cli(*argv: str, mode: str | None = None) -> int:
    definition = make_definition(mode=mode, tools=("Read", "Write", "Bash"))
    return run_command(parse(*argv), lambda name: definition if name == "tester" else None)


@pytest.fixture
def env_api(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> FakeAPI:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    return api


@pytest.mark.parametrize(
    ("report", "code"),
    [
        ("TASK_COMPLETE: a\nSTATUS: success\n", 0),
        ("TASK_BLOCKED: a\nBLOCKER: x\n", 2),
        ("TASK_FAILED: a\nERROR: x\n", 3),
        ("no report at all", 4),
    ],
)
def test_exit_codes(
    env_api: FakeAPI, workdir: Path, report: str, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    env_api.script(reply(text(report)))
    assert run_cli("run", "tester", "go", "--cwd", str(workdir)) == code
    assert "tester" in capsys.readouterr().out


def test_json_lines_and_noninteractive_deny(
    env_api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env_api.script(
        reply(tool_use("w1", "Write", {"file_path": "a.txt", "content": "x"})),
        reply(text("TASK_BLOCKED: a\nBLOCKER: denied\n")),
    )
    assert run_cli("run", "tester", "go", "--cwd", str(workdir), "--json") == 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    types = [line["type"] for line in lines]
    assert types[0] == "session_started" and types[-1] == "exit"
    assert "permission_needed" in types and "report_parsed" in types
    denied = next(line for line in lines if line["type"] == "tool_result")
    assert denied["is_error"] and "not interactive" in denied["output"]
    assert not (workdir / "a.txt").exists()


def test_mode_flag_allows_without_a_tty(
    env_api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env_api.script(
        reply(tool_use("w1", "Write", {"file_path": "a.txt", "content": "x"})),
        reply(text("TASK_COMPLETE: a\nSTATUS: success\nARTIFACTS: [a.txt]\n")),
    )
    code = run_cli("run", "tester", "go", "--cwd", str(workdir), "--permission-mode", "acceptEdits")
    assert code == 0 and (workdir / "a.txt").read_text() == "x"
    out = capsys.readouterr().out
    assert "Completion report" in out and "✓ a.txt" in out


def test_no_key_is_a_clear_message(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    assert run_cli("run", "tester", "go", "--cwd", str(workdir)) == 1
    err = capsys.readouterr().err
    assert "export ANTHROPIC_API_KEY" in err and "Traceback" not in err


def test_api_errors_exit_1_without_traceback(
    env_api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env_api.script(error(401))
    assert run_cli("run", "tester", "go", "--cwd", str(workdir), "--json") == 1
    captured = capsys.readouterr()
    assert "ANTHROPIC_API_KEY" in captured.out and "Traceback" not in captured.err


def test_unknown_agent(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("run", "nobody", "go") == 1
    assert "no agent named 'nobody'" in capsys.readouterr().err


def test_demo_runs_without_a_key(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    code = run_cli(
        "--demo",
        "run",
        "nobody",
        "add /health",
        "--cwd",
        str(workdir),
        "--permission-mode",
        "acceptEdits",
    )
    out = capsys.readouterr().out
    assert code == 0 and "DEMO" in out and (workdir / "demo_health.py").exists()
    assert run_cli("history", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["demo"] is True and rows[0]["status"] == "completed"
    assert run_cli("export", rows[0]["id"]) == 0
    md = capsys.readouterr().out
    assert "(DEMO)" in md and "TASK_COMPLETE" in md and "## User" in md


def test_kill_9_mid_stream_then_resume(
    env_api: FakeAPI, workdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "tester.md").write_text(AGENT_FILE)
    long_text = "".join(f"token{i} " for i in range(600))
    env_api.script(reply(text(long_text, chunk=6), delay_s=0.01))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "run",
            "tester",
            "write the thing",
            "--cwd",
            str(workdir),
            "--json",
            "--agents-dir",
            str(agents),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    shown: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        event = json.loads(line)
        if event["type"] == "text_delta":
            shown.append(event["text"])
            if len(shown) == 25:
                break
    session_line = None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    out_rest = proc.stdout.read()
    stderr = proc.stderr.read() if proc.stderr else ""
    assert SECRET_KEY not in out_rest + stderr + "".join(shown)

    store = SessionStore(default_db_path())
    try:
        row = store.list_sessions()[0]
        session_line = row
        assert row.status == "interrupted" and row.definition_name == "tester"
        stored = "".join(p["text"] for t, p, _ in store.events(row.id) if t == "text_delta")
        assert stored.startswith("".join(shown))  # nothing shown was lost
        assert store.load_messages(row.id) == [
            {"role": "user", "content": [{"type": "text", "text": "write the thing"}]}
        ]
    finally:
        store.close()
    db_bytes = b"".join(p.read_bytes() for p in default_db_path().parent.iterdir() if p.is_file())
    assert SECRET_KEY.encode() not in db_bytes

    env_api.script(reply(text("TASK_COMPLETE: r\nSTATUS: success\n")))
    code = run_cli("run", "tester", "--resume", session_line.id[:15], "--json")
    assert code == 0
    assert env_api.requests[-1].body["messages"] == env_api.requests[0].body["messages"]
    out = capsys.readouterr().out
    assert SECRET_KEY not in out
    assert json.loads(out.splitlines()[0])["session_id"] == session_line.id
