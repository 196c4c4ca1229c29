"""Retries (issue 13, item 4): a failure mid-stream is retried with backoff when no tool has
run since the request began; the failed attempt's partial text is marked superseded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, error, reply, text
from tests.helpers.cli_run import run_cli
from tests.helpers.session import drain, of_type
from tui.core.session.events import (
    Notice,
    Retrying,
    SessionError,
    SessionStatus,
    TextDelta,
)
from tui.core.session.transcript import NoticeBlock, TextBlock, from_events

LONG = "".join(f"word{i} " for i in range(200))
REPORT = "\n\nTASK_COMPLETE: t\nSTATUS: success\n"
FAULTS = [{"error_after": 8}, {"cut_after": 8}, {"end_after": 8}]


@pytest.mark.parametrize("fault", FAULTS, ids=["overloaded_error", "dropped", "ended_early"])
async def test_a_failure_mid_stream_is_retried_once_and_the_run_completes(
    api: FakeAPI, make_session, store, fault: dict[str, int]
) -> None:
    api.script(reply(text(LONG, chunk=10), **fault), reply(text("Whole answer." + REPORT)))
    session = make_session()
    events = await drain(session.send("go"))
    assert session.status == SessionStatus.COMPLETED
    assert not of_type(events, SessionError)
    assert len(of_type(events, Retrying)) == 1
    assert [n.code for n in of_type(events, Notice)] == ["superseded"]
    assert api.requests[1].body["messages"] == api.requests[0].body["messages"]
    # the conversation holds the retried answer only; the history keeps the partial one,
    # marked interrupted, and the replayed transcript says it was superseded
    assert session.messages[-1]["content"] == [{"type": "text", "text": "Whole answer." + REPORT}]
    transcript = from_events(store.events(session.id), session.status)
    kinds = [type(b).__name__ for b in transcript.blocks]
    assert kinds == [
        "UserBlock",
        "TextBlock",
        "NoticeBlock",  # superseded
        "NoticeBlock",  # retrying in ...
        "TextBlock",
        "ReportBlock",
    ]
    first, notice = transcript.blocks[1], transcript.blocks[2]
    assert isinstance(first, TextBlock) and LONG.startswith(first.text)
    assert isinstance(notice, NoticeBlock) and "Superseded" in notice.text
    text_shown = "".join(e.text for e in of_type(events, TextDelta))
    assert text_shown.endswith("Whole answer." + REPORT)


async def test_a_stall_is_retried_after_the_configured_timeout(api: FakeAPI, make_session) -> None:
    api.script(reply(text(LONG, chunk=10), stall_after=6), reply(text("Fine now." + REPORT)))
    session = make_session(read_timeout_s=0.3)
    events = await drain(session.send("go"))
    assert session.status == SessionStatus.COMPLETED
    assert "stalled" in of_type(events, Retrying)[0].reason


async def test_mid_stream_retries_are_bounded(api: FakeAPI, make_session) -> None:
    api.script(*[reply(text(LONG, chunk=10), cut_after=5) for _ in range(3)])
    session = make_session(max_retries=2)
    events = await drain(session.send("go"))
    assert session.status == SessionStatus.INTERRUPTED
    assert len(of_type(events, Retrying)) == 2 and len(api.requests) == 3


def test_headless_overload_mid_stream_once_exits_0(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch, workdir: Path
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    api.script(
        error(529, headers={"retry-after-ms": "10"}),
        reply(text(LONG, chunk=10), error_after=8),
        reply(text("Done." + REPORT)),
    )
    assert run_cli("run", "tester", "go", "--cwd", str(workdir)) == 0
    assert len(api.requests) == 3


def test_timeouts_continuations_and_max_tokens_come_from_the_config_file(tmp_path: Path) -> None:
    from tui.config import load_settings

    path = tmp_path / "config.toml"
    path.write_text(
        "connect_timeout_s = 5\nstall_timeout_s = 30.5\ncontinuations = 1\nmax_tokens = 9000\n"
    )
    settings = load_settings(path)
    assert (settings.connect_timeout_s, settings.stall_timeout_s) == (5.0, 30.5)
    assert (settings.continuations, settings.max_tokens, settings.problems) == (1, 9000, ())
    path.write_text('stall_timeout_s = "soon"\n')
    settings = load_settings(path)
    assert settings.stall_timeout_s == 90.0 and settings.max_tokens is None
    assert "stall_timeout_s" in settings.problems[0]
