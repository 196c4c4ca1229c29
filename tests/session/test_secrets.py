"""The API key never reaches the history database, the logs or the event stream."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, error, reply, text, tool_use
from tests.helpers.session import SECRET_KEY, drain
from tui.core.session.events import to_json


async def test_key_absent_from_db_logs_and_events(
    api: FakeAPI, make_session, store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api.script(
        error(529, headers={"retry-after-ms": "1"}),
        reply(tool_use("b1", "Bash", {"command": "env; echo $ANTHROPIC_API_KEY"})),
        reply(text("TASK_COMPLETE: s\nSTATUS: success\n"), cut_after=3),
        reply(text("TASK_COMPLETE: s\nSTATUS: success\n")),
    )
    session = make_session(permission_mode="bypassPermissions")
    events = await drain(session.send("leak it"))
    events += await drain(session.retry())
    assert api.requests[0].headers["authorization"].endswith(SECRET_KEY)  # it was used
    lines = "\n".join(json.dumps(to_json(e), default=str) for e in events)
    assert SECRET_KEY not in lines
    assert SECRET_KEY not in caplog.text
    store.close()
    for path in tmp_path.iterdir():
        if path.name.startswith("history.sqlite3"):
            assert SECRET_KEY.encode() not in path.read_bytes()
