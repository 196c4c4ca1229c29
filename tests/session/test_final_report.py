"""Which completion report counts (issue 13, item 5): the last real block of the final answer;
placeholders and quoted templates do not count; several reports -> the last, with a note."""

from __future__ import annotations

import pytest

from tests.fakeapi import FakeAPI, reply, text
from tests.helpers.cli_run import run_cli
from tests.helpers.session import drain, of_type
from tui.core.report import report_blocks
from tui.core.session.events import ReportParsed
from tui.core.session.reporting import final_report

REAL = "TASK_COMPLETE: t-7\nSTATUS: success\nSUMMARY: added the endpoint\n"


def chosen(answer: str) -> tuple[str | None, int]:
    report, real = final_report(report_blocks(answer), answer)
    return (f"{report.kind} {report.ident}" if report else None), real


@pytest.mark.parametrize(
    "answer",
    [
        # the case: a quoted template after the real report
        f"Done.\n\n```\n{REAL}```\n\nIf blocked I would have sent `TASK_BLOCKED: {{taskId}}`:\n\n"
        "```\nTASK_BLOCKED: {taskId}\nBLOCKER: what blocks\n```\n",
        f"```\n{REAL}```\n\nThe format was:\n\n```\nTASK_FAILED: t-7\nERROR: <error>\n```\n",
        f"{REAL}\n## Report template\n\nTASK_BLOCKED: t-7\nBLOCKER: something\n",
        f"{REAL}\n> TASK_BLOCKED: <id>\n> BLOCKER: x\n",
        f"{REAL}\nTASK_FAILED: <id>\nERROR: {{error}}\n",
    ],
)
def test_templates_and_placeholders_after_a_real_report_do_not_count(answer: str) -> None:
    assert chosen(answer) == ("TASK_COMPLETE t-7", 1)


def test_several_real_reports_the_last_counts() -> None:
    answer = f"{REAL}\nThen it broke again.\n\nTASK_FAILED: t-7\nERROR: tests fail\n"
    assert chosen(answer) == ("TASK_FAILED t-7", 2)


def test_only_a_template_is_no_report() -> None:
    assert chosen("Use this:\n\n```\nTASK_COMPLETE: {taskId}\nSTATUS: success\n```\n") == (
        None,
        0,
    )


async def test_the_note_reaches_the_event(api: FakeAPI, make_session) -> None:
    api.script(reply(text(f"{REAL}\nAnd later:\n\nTASK_BLOCKED: t-8\nBLOCKER: no db\n")))
    events = await drain(make_session().send("go"))
    report = of_type(events, ReportParsed)[0]
    assert (report.outcome, report.note) == (
        "blocked",
        "2 reports in the answer; the last one counts.",
    )


def test_headless_exit_code_ignores_a_quoted_template(
    api: FakeAPI, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
    api.script(
        reply(
            text(
                f"All done.\n\n```\n{REAL}```\n\nHad it failed, the report would read "
                "`TASK_BLOCKED: {taskId}`.\n\nTASK_BLOCKED: {taskId}\nBLOCKER: reason\n"
            )
        )
    )
    assert run_cli("run", "tester", "go", "--cwd", str(tmp_path)) == 0
