"""`roster run` as a subprocess against tests/helpers/strictapi.py, a second stand-in for the
Messages API that refuses what the real one refuses (see its docstring)."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.strictapi import Step, StrictAPI, message

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


def test_resume_takes_the_task_after_the_options(tmp_path: Path) -> None:
    with StrictAPI() as api:
        api.script(message([_text(REPORT)]), message([_text(REPORT)]))
        first = _roster(api, tmp_path, "go", "--json")
        session_id = json.loads(first.stdout.splitlines()[0])["session_id"]
        again = _roster(api, tmp_path, "--resume", session_id, "now the docs", "--json")
    assert again.returncode == 0, again.stderr
    assert api.requests[-1]["messages"][-1]["content"][0]["text"] == "now the docs"


def test_a_usage_error_is_not_exit_2_blocked(tmp_path: Path) -> None:
    # exit 2 means "the report says blocked": a CI job must not read a typo as a verdict
    with StrictAPI() as api:
        typo = _roster(api, tmp_path, "go", "--permision-mode", "plan")
        bad_choice = _roster(api, tmp_path, "go", "--permission-mode", "yolo")
    assert (typo.returncode, bad_choice.returncode) == (1, 1), typo.stderr
    assert "unrecognized arguments: --permision-mode" in typo.stderr
    assert "invalid choice" in bad_choice.stderr
    assert api.requests == []


def test_a_stray_that_escaped_the_kill_leaves_no_traceback(tmp_path: Path) -> None:
    # it leaves the process group and drops the job tag, keeping the output pipe open:
    # Roster cannot kill it (README: Bash is not a sandbox), but must still end cleanly
    marker = f"sleep 93{os.getpid() % 1000:03d}"
    command = f"env -u ROSTER_JOB setsid {marker} &"
    try:
        with StrictAPI() as api:
            call = _call("c1", "Bash", {"command": command})
            api.script(message([call]), message([_text(REPORT)]))
            done = _roster(api, tmp_path, "go", "--json")
    finally:
        subprocess.run(["pkill", "-f", marker], check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Event loop is closed" not in done.stderr


def test_a_blank_text_block_before_a_tool_call_is_not_sent_back(tmp_path: Path) -> None:
    # models often open a tool call with "\n\n"; the API refuses a whitespace-only text block
    # in the conversation, so sending it back made every later request of the session fail
    with StrictAPI() as api:
        api.script(
            message([_text("\n\n"), _call("c1", "Bash", {"command": "echo hi"})]),
            message([_text(REPORT)]),
        )
        done = _roster(api, tmp_path, "go", "--json")
    assert api.rejected == []
    assert done.returncode == 0, done.stdout[-600:]


def test_a_malformed_event_mid_stream_is_retried(tmp_path: Path) -> None:
    with StrictAPI() as api:
        broken = message([_text("partial answer")])
        broken.chunks.insert(2, b"event: content_block_delta\ndata: {not json\n\n")
        api.script(broken, message([_text(REPORT)]))
        done = _roster(api, tmp_path, "go", "--json")
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0, done.stdout[-600:]
    assert [e["type"] for e in events].count("retrying") == 1
    assert "internal" not in done.stdout


def test_an_api_error_echoing_the_key_is_redacted_on_screen_and_in_history(
    tmp_path: Path,
) -> None:
    echo = {"type": "invalid_request_error", "message": f"bad header x-api-key: {KEY}"}
    with StrictAPI() as api:
        api.script(Step(status=400, body={"type": "error", "error": echo}))
        done = _roster(api, tmp_path, "go")
    assert done.returncode == 1
    assert "bad header x-api-key: [REDACTED]" in " ".join((done.stdout + done.stderr).split())
    assert KEY not in done.stdout + done.stderr
    for stored in (tmp_path / "data").glob("history.sqlite3*"):
        assert KEY.encode() not in stored.read_bytes()


def test_a_tool_call_in_a_refused_response_is_not_run(tmp_path: Path) -> None:
    with StrictAPI() as api:
        refused = message([_text("Sure"), _call("t1", "Bash", {"command": "touch RAN"})], "refusal")
        api.script(refused, message([_text(REPORT)]))
        done = _roster(api, tmp_path, "go", "--json")
        session_id = json.loads(done.stdout.splitlines()[0])["session_id"]
        again = _roster(api, tmp_path, "--resume", session_id, "something else", "--json")
    assert done.returncode == 4
    assert not (tmp_path / "work" / "RAN").exists()
    assert again.returncode == 0 and api.rejected == []
    sent = json.dumps(api.requests[-1]["messages"])
    assert "touch RAN" not in sent  # the refused call is not part of the conversation


def test_an_unusable_data_folder_is_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    (tmp_path / "tester.md").write_text(AGENT)
    with StrictAPI() as api:
        env = api.env(str(tmp_path / "file" / "data"), key=KEY)
        for command in (("run", "tester", "go"), ("history",), ("export", "x")):
            done = subprocess.run(
                [sys.executable, "-m", "tui", "--agents-dir", str(tmp_path), *command],
                env=env,
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
            )
            assert done.returncode == 1, (command, done.stderr)
            assert f"cannot open the session history in {tmp_path / 'file' / 'data'}" in (
                done.stderr
            )
            assert "ROSTER_DATA_DIR" in done.stderr and "NotADirectoryError" not in done.stderr


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_at_the_permission_question_ends_roster(
    tmp_path: Path, signum: signal.Signals
) -> None:
    # a closed SSH session (SIGHUP) at the `Allow?` question left Roster blocked on stdin
    # forever, holding the session's lock
    agents, work = tmp_path / "agents", tmp_path / "work"
    agents.mkdir()
    work.mkdir()
    (agents / "tester.md").write_text(AGENT)
    with StrictAPI() as api:
        api.script(message([_call("t1", "Bash", {"command": "touch RAN"})]))
        env = api.env(str(tmp_path / "data"), key=KEY)
        argv = [sys.executable, "-m", "tui", "run", "tester", "go", "--cwd", str(work)]
        pid, fd = pty.fork()
        if pid == 0:  # the child: roster on a terminal, asking in default mode
            os.execve(sys.executable, [*argv, "--agents-dir", str(agents)], env)
        seen = b""
        with contextlib.suppress(OSError):
            while b"Allow?" not in seen:
                seen += os.read(fd, 4096)
        os.kill(pid, signum)
        code = None
        for _ in range(600):  # (bounded: a hang fails instead of blocking the suite)
            if select.select([fd], [], [], 0.05)[0]:
                with contextlib.suppress(OSError):
                    os.read(fd, 4096)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                break
            time.sleep(0.05)
        if code is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert code == 1, "roster kept waiting for the answer after the signal"
    assert not (work / "RAN").exists()
