"""One driver per session (issue 13, item 2): a second `--resume` is refused naming the holder,
a stale lock from a dead process is taken over, and `--resume` with another agent's name needs
`--agent-switch` (recorded in the history)."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.cli_run import run_cli, sleepers, start, until_bash_runs, write_agent
from tui.core.session.store import SessionStore, default_db_path

REPORT = "\n\nTASK_COMPLETE: t\nSTATUS: success\n"


@pytest.fixture
def env_api(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> FakeAPI:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    return api


def _newest_id() -> str:
    store = SessionStore(default_db_path())
    try:
        return store.list_sessions()[0].id
    finally:
        store.close()


def test_two_processes_on_one_session(
    env_api: FakeAPI, workdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = "43.2109"
    env_api.script(reply(tool_use("tu_1", "Bash", {"command": f"sleep {marker}"})))
    proc = start(write_agent(tmp_path), workdir, "wait a while")
    try:
        until_bash_runs(proc, marker)
        session_id = _newest_id()
        requests = len(env_api.requests)
        code = run_cli("run", "tester", "more", "--resume", session_id, "--json")
        out = capsys.readouterr().out
        assert code == 1
        message = json.loads(out.splitlines()[-1])["message"]
        assert f"process {proc.pid}" in message and "roster run tester" in message
        assert len(env_api.requests) == requests  # nothing was sent for the refused driver
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    for pid in sleepers(marker):
        os.kill(pid, signal.SIGKILL)
    # the holder died: its lock is stale and taken over
    env_api.script(reply(text("Back." + REPORT)))
    assert run_cli("run", "tester", "more", "--resume", session_id, "--json") == 0


def test_resume_with_another_agent_needs_agent_switch(
    env_api: FakeAPI, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ("tester", "other")
    env_api.script(reply(text("First." + REPORT)))
    assert run_cli("run", "tester", "go", "--cwd", str(workdir), names=names) == 0
    session_id = _newest_id()
    capsys.readouterr()
    assert run_cli("run", "other", "go on", "--resume", session_id, names=names) == 1
    err = capsys.readouterr().err
    assert "belongs to agent 'tester'" in err and "--agent-switch" in err
    assert len(env_api.requests) == 1

    env_api.script(reply(text("Second." + REPORT)))
    argv = ("run", "other", "go on", "--resume", session_id, "--agent-switch", "--json")
    assert run_cli(*argv, names=names) == 0
    store = SessionStore(default_db_path())
    try:
        assert store.get_session(session_id).definition_name == "other"
        notes = [p["text"] for k, p, _ in store.events(session_id) if k == "notice"]
        assert notes == ["Agent switched from tester to other."]
    finally:
        store.close()
