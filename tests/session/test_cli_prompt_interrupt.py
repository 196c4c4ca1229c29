"""Issue 13 item 9: Ctrl+C at the headless permission prompt interrupts the session (it used to
wait for a line on stdin first)."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.cli_run import write_agent
from tests.helpers.session import SECRET_KEY
from tui.core.session.store import SessionStore


def read_until(fd: int, needle: bytes, bound_s: float = 20.0) -> bytes:
    """What the terminal shows until `needle` (a bound against hangs, not a timing check)."""
    seen = b""
    deadline = time.monotonic() + bound_s
    while needle not in seen:
        assert time.monotonic() < deadline, f"never saw {needle!r}: {seen[-400:]!r}"
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


def test_ctrl_c_at_the_permission_question_interrupts(
    api: FakeAPI, tmp_path: Path, workdir: Path
) -> None:
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "a.txt", "content": "x"})),
        reply(text("never asked for")),
    )
    agents = write_agent(tmp_path)
    data = tmp_path / "data"
    env = {
        **os.environ,
        "ANTHROPIC_API_KEY": SECRET_KEY,
        "ANTHROPIC_BASE_URL": api.url,
        "ROSTER_DATA_DIR": str(data),
        "XDG_DATA_HOME": str(data),
        "PYTHONUNBUFFERED": "1",
    }
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "tui", "run", "tester", "write a"),
            *("--cwd", str(workdir), "--agents-dir", str(agents)),
        ],
        stdin=slave,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    try:
        read_until(master, b"Allow?")
        proc.send_signal(signal.SIGINT)  # what Ctrl+C sends
        code = proc.wait(timeout=20)  # a bound: it used to wait for Enter forever
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert code == 1
    assert not (workdir / "a.txt").exists()
    assert len(api.requests) == 1  # nothing more was sent
    dbs = list(data.rglob("*.sqlite3"))
    assert dbs, "no history written"
    store = SessionStore(dbs[0])
    try:
        rows = store.list_sessions(limit=5)
        assert rows and rows[0].status == "interrupted"
    finally:
        store.close()
