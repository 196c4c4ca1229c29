"""Issue 17 point 7: `roster history` answers questions. Ids are whole at 80 columns and in a
pipe (other text wraps instead), with the working folder, the task, and the report's outcome
next to the session status."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from tests.fakeapi import FakeAPI
from tests.helpers.cli_run import parse
from tests.helpers.history_seed import DEEP, LONG_TASK, seed_history
from tui.cli.history import records, show
from tui.core.session.store import SessionStore


@pytest.fixture
def history(api: FakeAPI, tmp_path: Path) -> dict[str, str]:
    return seed_history(api, tmp_path)


def lines_with(out: str, needle: str) -> list[str]:
    return [line for line in out.splitlines() if needle in line]


def test_piped_at_80_columns_ids_are_whole(history: dict[str, str], tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "tui", "history"],
        capture_output=True,  # stdout is a pipe
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "\x1b" not in out  # no colour codes in a pipe
    for outcome, session_id in history.items():
        (head,) = lines_with(out, session_id)
        assert head.startswith(session_id), head
        words = head.split()
        if outcome == "none":
            assert "—" in words
        else:
            assert outcome in words  # the outcome on the id's line, next to the status
    assert LONG_TASK.strip() in out  # the task whole (unwrapped in a pipe)
    assert str(tmp_path / DEEP).replace(str(Path.home()), "~").rstrip("/") in out


def test_a_terminal_of_80_columns_wraps_text_but_never_an_id(history: dict[str, str]) -> None:
    store = SessionStore()
    rows, outcomes = store.list_sessions(), store.outcomes()
    store.close()
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, force_terminal=True, color_system=None)
    for line, indent in records(rows, outcomes):
        show(console, line, indent)
    out = buffer.getvalue()
    assert all(len(line) <= 80 for line in out.splitlines())
    for session_id in history.values():
        assert lines_with(out, session_id), session_id  # whole, on one line
    assert "…" not in out
    # the long task wraps under its indent instead of being cut
    joined = " ".join(line.strip() for line in out.splitlines())
    assert LONG_TASK.strip() in joined


def test_json_carries_the_outcome(
    history: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from tui.cli.run import run_command

    assert run_command(parse("history", "--json"), lambda _n: None) == 0
    listed = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert listed[history["blocked"]]["outcome"] == "blocked"
    assert listed[history["truncated"]]["outcome"] == "truncated"
    assert listed[history["none"]]["outcome"] == ""
    assert listed[history["completed"]]["cwd"].endswith(DEEP.rstrip("/"))
