"""The API key never reaches the history database, the logs or the event stream."""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, error, reply, text, tool_use
from tests.helpers.session import SECRET_KEY, drain
from tui.core.session.events import to_json
from tui.core.session.secrets import Redactor
from tui.core.session.store import SessionStore, default_db_path
from tui.core.session.tools import ALL_TOOLS, ToolContext, ToolError


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


def _roster_run(workdir: Path, agents: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "tui", "run", "tester", "go", "--cwd", str(workdir)),
            *("--json", "--agents-dir", str(agents), "--permission-mode", "bypassPermissions"),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        text=True,
    )


AGENT = "---\nname: tester\ndescription: t\ntools: Bash\n---\nTest agent.\n"


def test_proc_environ_read_never_leaks_the_key(
    api: FakeAPI, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key sits in Roster's own environment; a child reads it from /proc/$PPID/environ.
    It must reach neither the tool result, nor SQLite, nor the export, nor --json."""
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "tester.md").write_text(AGENT)
    api.script(
        reply(tool_use("b1", "Bash", {"command": "tr '\\0' '\\n' </proc/$PPID/environ"})),
        # an encoded copy slips past any text filter: the value itself must be gone
        reply(tool_use("b2", "Bash", {"command": "base64 -w0 </proc/$PPID/environ"})),
        reply(text("done")),
    )
    proc = _roster_run(workdir, agents)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 4, err  # finished; 4: the answer has no completion report
    results = [json.loads(x) for x in out.splitlines() if '"tool_result"' in x]
    assert results and "ANTHROPIC_API_KEY=" in results[0]["output"]
    decoded = base64.b64decode(results[1]["output"])
    assert b"ANTHROPIC_API_KEY=" in decoded and SECRET_KEY.encode() not in decoded
    assert SECRET_KEY not in out + err
    # the next request to the model carried the redacted result, not the key
    assert SECRET_KEY not in json.dumps(api.requests[-1].body)
    db = default_db_path()
    stored = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.is_file())
    assert b"ANTHROPIC_API_KEY=" in stored and SECRET_KEY.encode() not in stored
    session_id = json.loads(out.splitlines()[0])["session_id"]
    exported = subprocess.run(
        [sys.executable, "-m", "tui", "export", session_id],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )
    assert exported.returncode == 0 and SECRET_KEY not in exported.stdout


async def test_configured_secrets_and_token_shapes_are_redacted(
    api: FakeAPI, make_session, store, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----"
    tokens = [
        "ghp_" + "A1b2" * 9,
        "github_pat_" + "Z9" * 20,
        "AKIA" + "ABCDEFGHIJKLMNOP",
        "xoxb-1234567890-abcdefghij",
        "sk-ant-api03-" + "x" * 30,
        "hunter2-db-password",  # configured in [secrets]
    ]
    (workdir / "leak.txt").write_text("\n".join(tokens) + "\n" + pem + "\nkeep me\n")
    monkeypatch.setenv("DB_PASSWORD", "hunter2-db-password")
    api.script(
        reply(tool_use("r1", "Read", {"file_path": "leak.txt"})),
        reply(tool_use("b1", "Bash", {"command": "env"})),
        reply(text("done")),
    )
    session = make_session(permission_mode="bypassPermissions", secrets=("hunter2-db-password",))
    events = await drain(session.send("go"))
    results = [e for e in events if type(e).__name__ == "ToolResult"]
    read, env = results[0].output, results[1].output
    assert "keep me" in read and read.count("[REDACTED]") == len(tokens) + 1
    assert "DB_PASSWORD" not in env and "ANTHROPIC_" not in env  # scrubbed, not just hidden
    sent = json.dumps([r.body for r in api.requests])
    stored = json.dumps(store.load_messages(session.id)) + json.dumps(store.events(session.id))
    for secret in [*tokens, "b3BlbnNzaC1rZXk"]:
        assert secret not in sent and secret not in stored


def test_history_database_and_folder_are_private(tmp_path: Path) -> None:
    folder = default_db_path().parent
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    default_db_path().write_bytes(b"")
    default_db_path().chmod(0o644)  # as an older Roster left it
    store = SessionStore()
    try:
        store.create_session(
            definition_name="a",
            definition_path="/a.md",
            definition_sha256="0" * 64,
            model="m",
            cwd=str(tmp_path),
            mode="default",
            demo=False,
            title="t",
        )
    finally:
        store.close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        if path.name.startswith("history.sqlite3"):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_config_secrets_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.config import load_settings

    monkeypatch.setenv("MY_TOKEN", "value-from-env-123")
    path = tmp_path / "c.toml"
    path.write_text('[secrets]\ngithub = "ghp_abc123def456"\nenv = ["MY_TOKEN", "UNSET_VAR"]\n')
    assert set(load_settings(path).secrets) == {"ghp_abc123def456", "value-from-env-123"}


async def test_permission_preview_of_a_file_with_a_token_is_redacted(
    api: FakeAPI, make_session, store, workdir: Path
) -> None:
    token = "ghp_" + "Q7" * 18
    (workdir / ".env.example").write_text(f"GITHUB_TOKEN={token}\nDEBUG=0\n")
    api.script(
        reply(
            tool_use("r1", "Read", {"file_path": ".env.example"}),  # (Edit needs a Read first)
            tool_use(
                "e1",
                "Edit",
                {"file_path": ".env.example", "old_string": "DEBUG=0", "new_string": "DEBUG=1"},
            ),
        ),
        reply(text("done")),
    )
    session = make_session()
    events = await drain(session.send("go"))
    asks = [e for e in events if type(e).__name__ == "PermissionNeeded"]
    assert asks and "+DEBUG=1" in asks[0].preview and token not in asks[0].preview
    assert token not in json.dumps(store.events(session.id))
    assert (workdir / ".env.example").read_text() == f"GITHUB_TOKEN={token}\nDEBUG=1\n"


async def test_writing_back_a_redacted_file_is_refused(workdir: Path) -> None:
    ctx = ToolContext.for_dir(workdir)
    token = "ghp_" + "Z3" * 18
    (workdir / "conf.ini").write_text(f"token = {token}\nlevel = 1\n")
    seen = await ALL_TOOLS["Read"].run({"file_path": "conf.ini"}, ctx)
    seen_text = "".join(line.split("\t", 1)[1] + "\n" for line in seen.splitlines())
    echoed = Redactor().redact(seen_text).replace("level = 1", "level = 2")
    with pytest.raises(ToolError, match="secrets"):
        await ALL_TOOLS["Write"].run({"file_path": "conf.ini", "content": echoed}, ctx)
    assert (workdir / "conf.ini").read_text() == f"token = {token}\nlevel = 1\n"


def test_roster_run_redacts_the_secrets_of_its_config(
    api: FakeAPI, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    monkeypatch.setenv("DEPLOY_TOKEN", "deploy-0123456789")
    Path(os.environ["ROSTER_CONFIG"]).write_text(
        '[secrets]\nwebhook = "hook-secret-abcdef"\nenv = ["DEPLOY_TOKEN"]\n'
    )
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "tester.md").write_text(AGENT)
    command = "echo hook-secret-abcdef; echo ${DEPLOY_TOKEN:-scrubbed}; cat notes.txt"
    (workdir / "notes.txt").write_text("token deploy-0123456789 in a file\n")
    api.script(reply(tool_use("b1", "Bash", {"command": command})), reply(text("done")))
    proc = _roster_run(workdir, agents)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 4, err  # finished; 4: the answer has no completion report
    result = next(json.loads(x) for x in out.splitlines() if '"tool_result"' in x)
    assert result["output"].splitlines() == [
        "[REDACTED]",
        "scrubbed",  # not in Bash's environment at all
        "token [REDACTED] in a file",
    ]
