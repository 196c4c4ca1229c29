"""Stored sessions of every outcome for the history tests (not a test module)."""

from __future__ import annotations

from pathlib import Path

from tests.fakeapi import FakeAPI, reply, text
from tests.helpers.cli_run import run_cli
from tui.core.session.store import SessionStore

LONG_TASK = "Refactor the parser so that every error names its file and line " * 3
DEEP = "a-rather-long-folder-name-for-wrapping/" * 3


def seed_history(api: FakeAPI, tmp_path: Path) -> dict[str, str]:
    """Four stored sessions: completed, blocked, no report, truncated; -> id per outcome."""
    work = tmp_path / DEEP
    work.mkdir(parents=True)
    api.script(
        reply(text("TASK_COMPLETE: a\nSTATUS: success\n")),
        reply(text("TASK_BLOCKED: b\nBLOCKER: no database\n")),
        reply(text("Just chatting.")),
    )
    for task in (LONG_TASK, "second task", "third task"):
        assert run_cli("run", "tester", task, "--cwd", str(work)) in {0, 2, 4}
    store = SessionStore()
    try:
        cut = store.create_session(
            definition_name="a-very-long-agent-name-that-goes-on-and-on",
            definition_path="/x.md",
            definition_sha256="0",
            model="m",
            cwd=str(work),
            mode="default",
            title="cut short",
        )
        store.set_status(cut, "truncated", ended=True)
        rows = {r.title: r.id for r in store.list_sessions()}
    finally:
        store.close()
    return {
        "completed": rows[LONG_TASK[:200]],
        "blocked": rows["second task"],
        "none": rows["third task"],
        "truncated": cut,
    }
