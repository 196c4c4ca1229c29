"""Issue 17 point 7: the report card's "changed in this session" means the whole session (every
turn, and the run before a resume), not only the turn that carried the report."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.session import drain, make_definition, of_type
from tui.core.report import ArtifactCheck
from tui.core.session.engine import AgentSession, SessionConfig
from tui.core.session.events import ReportParsed
from tui.core.session.store import SessionStore
from tui.core.session.transcript import from_events
from tui.widgets.report_card import render_report

REPORT = "TASK_COMPLETE: t\nSTATUS: success\nARTIFACTS: [made.txt, old.txt]\nSUMMARY: ok\n"


def card_text(store: SessionStore, session_id: str) -> str:
    transcript = from_events(store.events(session_id), "completed")
    assert transcript.report is not None
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(render_report(transcript.report))
    return console.export_text()


async def test_a_file_written_in_the_first_turn_counts_in_the_second_turns_report(
    api: FakeAPI, make_session, workdir: Path, store: SessionStore
) -> None:
    (workdir / "old.txt").write_text("untouched")
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "made.txt", "content": "x"})),
        reply(text("Written. Tell me when to report.")),
        reply(text(REPORT)),
    )
    session = make_session(make_definition(mode="acceptEdits"))
    await drain(session.send("write made.txt"))
    report = of_type(await drain(session.send("now report")), ReportParsed)[0]
    assert report.artifacts == (
        ArtifactCheck("made.txt", exists=True, modified_since=True),
        ArtifactCheck("old.txt", exists=True, modified_since=False),
    )
    store.flush()
    card = card_text(store, session.id)
    assert "made.txt (changed in this session)" in card
    assert "old.txt (not changed in this session)" in card


async def test_a_resumed_session_counts_the_run_before_the_resume(
    api: FakeAPI, workdir: Path, store: SessionStore
) -> None:
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "made.txt", "content": "x"})),
        reply(text("Written.")),
        reply(text(REPORT)),
    )
    (workdir / "old.txt").write_text("untouched")
    definition = make_definition(mode="acceptEdits")
    config = SessionConfig(base_url=api.url)
    first = AgentSession(definition, workdir, config, store)
    await drain(first.send("write made.txt"))
    await first.aclose()
    again = AgentSession.resume(store, first.id, definition, config)
    try:
        report = of_type(await drain(again.send("now report")), ReportParsed)[0]
    finally:
        await again.aclose()
    assert report.artifacts[0] == ArtifactCheck("made.txt", exists=True, modified_since=True)
    assert report.artifacts[1].modified_since is False
