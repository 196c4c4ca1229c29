"""A session stays a log the API accepts after any crash or stop (issue 13, item 1).

The fake API rejects an unanswered tool_use with a 400, as the real one does.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.cli_run import run_cli, sleepers, start, until_bash_runs, write_agent
from tests.helpers.session import make_definition
from tui.core.session.conversation import INTERRUPTED_TOOL
from tui.core.session.engine import AgentSession, SessionConfig
from tui.core.session.events import PermissionNeeded, SessionError, ToolResult
from tui.core.session.store import SessionStore, default_db_path
from tui.core.session.transcript import ToolBlock, from_events


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _answered_interrupted(request_body: dict, tool_id: str) -> bool:
    for message in request_body["messages"]:
        for block in message["content"]:
            if block.get("type") == "tool_result" and block["tool_use_id"] == tool_id:
                return block.get("is_error") is True and block["content"] == INTERRUPTED_TOOL
    return False


async def test_resume_after_a_kill_during_a_pending_permission(
    api: FakeAPI, workdir: Path, tmp_path: Path
) -> None:
    """What a kill -9 leaves on disk while the user is being asked (copied at that moment
    with SQLite's backup, as another process would see it): the resumed session answers the
    call "interrupted", records and shows it, and its next request is accepted."""
    db = tmp_path / "live.sqlite3"
    crashed = tmp_path / "crashed.sqlite3"
    store = SessionStore(db)
    api.script(reply(tool_use("tu_1", "Bash", {"command": "echo hi"})))
    session = AgentSession(
        make_definition(tools=("Bash",)), workdir, SessionConfig(base_url=api.url), store
    )
    async with contextlib.aclosing(session.send("run it")) as events:  # type: ignore[type-var]
        async for event in events:
            if isinstance(event, PermissionNeeded):
                with sqlite3.connect(crashed) as copy:
                    store._db.backup(copy)
                    # the driver is gone (its lock is stale): a process that has exited
                    copy.execute("UPDATE session_locks SET pid=?", (_dead_pid(),))
                break
    await session.aclose()
    store.close()

    store = SessionStore(crashed)
    api.script(reply(text("Carrying on.")))
    again = AgentSession.resume(
        store, session.id, make_definition(tools=("Bash",)), SessionConfig(base_url=api.url)
    )
    assert again.repaired == ["tu_1"]
    events = [e async for e in again.send("go on")]
    await again.aclose()
    assert not [e for e in events if isinstance(e, SessionError)], api.rejected
    assert api.rejected == []
    assert _answered_interrupted(api.requests[-1].body, "tu_1")
    # in the history: the tool call's result, the transcript, and the next load
    assert store.tool_calls(session.id)[0]["output"] == INTERRUPTED_TOOL
    transcript = from_events(store.events(session.id), "completed")
    tool = next(b for b in transcript.blocks if isinstance(b, ToolBlock))
    assert tool.output == INTERRUPTED_TOOL and tool.is_error
    reloaded = AgentSession.resume(store, session.id, make_definition(tools=("Bash",)))
    assert reloaded.repaired == [] and reloaded.messages == again.messages
    store.close()


async def test_an_old_damaged_history_is_repaired_before_the_request(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    """A history damaged before repair existed (a user message sent after an unanswered
    call): the result goes first in that message, and the request is accepted."""
    first = AgentSession(make_definition(), workdir, SessionConfig(base_url=api.url), store)
    # the assistant message with the call, then a user message with no result
    first._append("user", [{"type": "text", "text": "start"}])
    first._append("assistant", [{"type": "tool_use", "id": "tu_9", "name": "Read", "input": {}}])
    first._append("user", [{"type": "text", "text": "still there?"}])
    await first.aclose()  # (one driver at a time)
    api.script(reply(text("Yes.")))
    again = AgentSession.resume(store, first.id, make_definition(), SessionConfig(base_url=api.url))
    events = [e async for e in again.retry()]
    await again.aclose()
    assert api.rejected == []
    sent = api.requests[-1].body["messages"]
    assert [b["type"] for b in sent[-1]["content"]] == ["tool_result", "text"], sent
    assert again.repaired == ["tu_9"]
    assert [e.output for e in events if isinstance(e, ToolResult)] == [INTERRUPTED_TOOL]


@pytest.fixture
def env_api(api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> FakeAPI:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    return api


def test_resume_after_a_kill_9_during_a_running_bash(
    env_api: FakeAPI, workdir: Path, tmp_path: Path
) -> None:
    marker = "41.2345"
    env_api.script(reply(tool_use("tu_b", "Bash", {"command": f"sleep {marker}"})))
    proc = start(write_agent(tmp_path), workdir, "wait a while")
    try:
        until_bash_runs(proc, marker)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    for pid in sleepers(marker):  # (the parent-death signal takes it down; be sure)
        os.kill(pid, signal.SIGKILL)
    store = SessionStore(default_db_path())
    session_id = store.list_sessions()[0].id
    store.close()

    env_api.script(reply(text("Picked up again.\n\nTASK_COMPLETE: t\nSTATUS: success\n")))
    resumed = subprocess.run(
        [
            *(sys.executable, "-m", "tui", "run", "tester", "go on", "--resume", session_id),
            *("--json", "--agents-dir", str(tmp_path / "agents")),
        ],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
    )
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert env_api.rejected == []
    assert _answered_interrupted(env_api.requests[-1].body, "tu_b")
    shown = [json.loads(line) for line in resumed.stdout.splitlines()]
    assert any(INTERRUPTED_TOOL in json.dumps(e) for e in shown)  # said, not only fixed


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_like_an_interrupt(
    env_api: FakeAPI, workdir: Path, tmp_path: Path, signum: int
) -> None:
    marker = f"42.{signum:04d}"
    env_api.script(reply(tool_use("tu_s", "Bash", {"command": f"sleep {marker}"})))
    proc = start(write_agent(tmp_path), workdir, "wait a while")
    try:
        until_bash_runs(proc, marker)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    last = json.loads(out.splitlines()[-1])
    assert last["type"] == "exit" and last["status"] == "interrupted", out + err
    assert "Traceback" not in err
    deadline = time.monotonic() + 5
    while sleepers(marker):
        assert time.monotonic() < deadline, "Bash outlived the stop"
        time.sleep(0.05)
    store = SessionStore(default_db_path())
    try:
        row = store.list_sessions()[0]
        assert row.status == "interrupted"
        messages = store.load_messages(row.id)
        assert messages[-1]["content"][0]["tool_use_id"] == "tu_s"
        assert messages[-1]["content"][0]["is_error"] is True
    finally:
        store.close()


def test_a_full_disk_mid_session_ends_with_a_message_and_an_exit_event(
    env_api: FakeAPI,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """SQLite's own "database or disk is full" (the file may not grow past a few pages)."""
    opened = SessionStore.__init__

    def small(self: SessionStore, path: Path | None = None) -> None:
        opened(self, path)
        pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
        self._conn.execute(f"PRAGMA max_page_count={pages + 4}")

    monkeypatch.setattr(SessionStore, "__init__", small)
    words = "".join(f"word{i} " for i in range(4000))
    env_api.script(reply(text(words, chunk=40)))
    code = run_cli("run", "tester", "go", "--cwd", str(workdir), "--json")
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert lines[-1]["type"] == "exit" and lines[-1]["status"] == "error"
    errors = [e for e in lines if e["type"] == "session_error"]
    assert errors and errors[-1]["kind"] == "history"
    assert "full" in errors[-1]["message"] and "--resume" in errors[-1]["message"]
    assert "Traceback" not in err and "roster: error:" not in err
