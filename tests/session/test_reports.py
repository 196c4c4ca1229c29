"""Completion reports of every CCASP kind become ReportParsed events, checked on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.session import drain, make_definition, of_type
from tui.core.report import ArtifactCheck
from tui.core.session.events import ReportParsed

REPORTS = [
    (
        "TASK_COMPLETE: t-1\nSTATUS: success\nARTIFACTS: [out.txt]\nSUMMARY: did it\n"
        "VERIFIED: [tests pass]\n",
        "TASK_COMPLETE",
        "completed",
    ),
    (
        "TASK_BLOCKED: t-2\nBLOCKER: no database\nSUGGESTED_ACTION: start postgres\n",
        "TASK_BLOCKED",
        "blocked",
    ),
    ("TASK_FAILED: t-3\nERROR: tests fail\nATTEMPTED: [fix a, fix b]\n", "TASK_FAILED", "failed"),
    (
        "L3_RESULT: w-1\nSTATUS: success\nDATA:\n- one\n- two\nSYNC_COMPLETE: true\n",
        "L3_RESULT",
        "completed",
    ),
    (
        "ROADMAP_COMPLETE: r-1\nSTATUS: complete\nSUMMARY: all phases\n",
        "ROADMAP_COMPLETE",
        "completed",
    ),
    ("EPIC_COMPLETE: e-1\nSTATUS: completed\nSUMMARY: shipped\n", "EPIC_COMPLETE", "completed"),
    ("MIGRATION_COMPLETE: m-1\nSTATUS: success\nROWS: 12\n", "MIGRATION_COMPLETE", "completed"),
]


@pytest.mark.parametrize(("report", "kind", "outcome"), REPORTS)
async def test_each_report_kind(
    api: FakeAPI, make_session, report: str, kind: str, outcome: str
) -> None:
    api.script(reply(text(f"All done.\n\n```\n{report}```\n")))
    events = await drain(make_session().send("go"))
    parsed = of_type(events, ReportParsed)
    assert len(parsed) == 1
    assert (parsed[0].kind, parsed[0].outcome) == (kind, outcome)


async def test_artifacts_checked_and_template_keys(
    api: FakeAPI, make_session, workdir: Path
) -> None:
    body = (
        "Do things.\n\n## Completion Report\n\n```\nTASK_COMPLETE: {id}\nSTATUS: success\n"
        "ARTIFACTS: [files]\nSUMMARY: text\nTEST_RESULTS: summary\n```\n"
    )
    (workdir / "old.txt").write_text("old")
    api.script(
        reply(tool_use("w1", "Write", {"file_path": "new.txt", "content": "n"})),
        reply(
            text(
                "TASK_COMPLETE: x\nSTATUS: success\nARTIFACTS: [new.txt, missing.txt]\n"
                "SUMMARY: wrote new.txt\n"
            )
        ),
    )
    session = make_session(make_definition(body=body, mode="acceptEdits"))
    events = await drain(session.send("go"))
    report = of_type(events, ReportParsed)[0]
    assert report.artifacts == (
        ArtifactCheck("new.txt", exists=True, modified_since=True),
        ArtifactCheck("missing.txt", exists=False, modified_since=None),
    )
    assert report.missing_keys == ("TEST_RESULTS",)
    assert report.data["SUMMARY"] == "wrote new.txt"


async def test_no_report_no_event(api: FakeAPI, make_session) -> None:
    api.script(reply(text("Just chatting.")))
    assert of_type(await drain(make_session().send("hi")), ReportParsed) == []
