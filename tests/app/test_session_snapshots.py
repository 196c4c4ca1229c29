"""Snapshots of the session screen: mid-stream (text streamed, a Write waiting for permission)
and finished (report card). Deterministic: a scripted fake API, a frozen clock for the status
line, fixed paths, no animations. Update with `--snapshot-update`."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.fakeapi import FakeAPI, reply, text, thinking, tool_use
from tests.helpers.app import SIZE, app_for, settle, snapshots_match_textual, wait_for, write_agent
from tui.app.app import RosterApp
from tui.core.roots import Root, RootKind
from tui.screens.launch import LaunchRequest
from tui.widgets.permission_prompt import PermissionPrompt
from tui.widgets.report_card import ReportCard
from tui.widgets.session_view import SessionView

pytestmark = snapshots_match_textual
FIXED = Path("/tmp/roster-session-snapshots")


@pytest.fixture(autouse=True)
def _one_run_at_a_time() -> Iterator[None]:
    """The pictures show fixed paths, so two test runs on one machine (two checkouts) would
    delete each other's folders mid-test: take turns."""
    FIXED.mkdir(parents=True, exist_ok=True)
    with open(FIXED / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


SnapCompare = Callable[..., bool]
ANSWER = (
    "I'll add the endpoint in `app.py` and keep the handler small:\n\n"
    "1. route `GET /health`\n2. answer `200 ok`\n"
)
REPORT = (
    "Done.\n\nTASK_COMPLETE: HEALTH-1\nSTATUS: completed\nARTIFACTS: [app.py, missing.md]\n"
    "SUMMARY: added GET /health returning 200 ok\nVERIFIED: [unit test, curl]\n"
)


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch, api: FakeAPI) -> FakeAPI:
    # a frozen clock: the status line's elapsed time reads 00:00 in every run
    frozen = SimpleNamespace(time=lambda: 1_800_000_000.0)
    monkeypatch.setattr("tui.core.session.transcript.time", frozen)
    monkeypatch.setattr("tui.widgets.session_view.time", frozen)
    api.script(
        reply(
            thinking("Small change."),
            text(ANSWER),
            tool_use(
                "w1",
                "Write",
                {"file_path": "app.py", "content": "def health():\n    return 200, 'ok'\n"},
            ),
            input_tokens=1200,
            output_tokens=340,
        ),
        reply(text(REPORT), input_tokens=1500, output_tokens=120),
    )
    return api


def _setup(test: str) -> tuple[Root, Path, Path]:
    """Fixed paths (the transcript prints them), one folder per test (parallel-safe)."""
    base = FIXED / test
    if base.exists():
        shutil.rmtree(base)
    agents, work = base / "agents", base / "work"
    work.mkdir(parents=True)
    agent = write_agent(
        agents,
        "api-builder",
        extra="tools: Read, Write\nlevel: L2\ndomain: backend\nmodel: sonnet\n",
        body="# API builder\n\nYou build HTTP endpoints.\n",
    )
    return Root(agents, RootKind.EXTRA, 2), agent, work


async def _launch(pilot: Pilot[Any], agent: Path, work: Path) -> None:
    app = pilot.app
    assert isinstance(app, RosterApp)
    await settle(pilot)
    definition = app.catalog.get(agent) if app.catalog else None
    assert definition is not None
    await app.start_session(LaunchRequest(definition, "add a /health endpoint", work))
    live = app.sessions.sessions[-1]
    await wait_for(pilot, lambda: live.waiting, what="permission request")
    await wait_for(pilot, lambda: bool(app.screen.query(PermissionPrompt)), what="prompt")
    for box in app.screen.query(Input):
        box.cursor_blink = False
    for area in app.screen.query(TextArea):  # the message box: a blinking cursor flakes
        area.cursor_blink = False
    view = app.screen.query_one(SessionView)
    await wait_for(pilot, lambda: view.caught_up, what="transcript caught up")
    await pilot.pause()
    await pilot.pause()


def test_snapshot_session_waiting(snap_compare: SnapCompare, scripted: FakeAPI) -> None:
    root, agent, work = _setup("waiting")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _launch(pilot, agent, work)

    assert snap_compare(app_for(root), terminal_size=SIZE, run_before=run_before)


def test_snapshot_session_report(snap_compare: SnapCompare, scripted: FakeAPI) -> None:
    root, agent, work = _setup("report")

    async def run_before(pilot: Pilot[Any]) -> None:
        await _launch(pilot, agent, work)
        await pilot.press("a")
        app = pilot.app
        await wait_for(pilot, lambda: bool(app.screen.query(ReportCard)), what="report card")
        live = app.sessions.sessions[-1]  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: not live.running, what="finished")
        view = app.screen.query_one(SessionView)
        await wait_for(pilot, lambda: view.caught_up, what="transcript caught up")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app_for(root), terminal_size=SIZE, run_before=run_before)
