"""Tests for tui.core.report: the completion-report grammar and artifact checks."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.report import (
    ArtifactCheck,
    CompletionReport,
    check_artifacts,
    parse_report,
    parse_template,
)


def _parse(text: str) -> CompletionReport:
    report = parse_report(text)
    assert report is not None
    return report


def test_task_complete() -> None:
    report = _parse(
        "All done.\n\n"
        "TASK_COMPLETE: T-42\n"
        "STATUS: completed\n"
        "ARTIFACTS: [src/api.py, 'tests/test_api.py', \"docs/api.md\"]\n"
        "SUMMARY: Added the endpoint, with validation, auth and docs\n"
        "VERIFIED: lint-pass, tests-pass\n"
        "TEST_RESULTS: passed: 12, failed: 0\n"
        "DURATION: 4m\n"
    )
    assert report.kind == "TASK_COMPLETE"
    assert report.ident == "T-42"
    assert report.line == 3
    assert report.status == "completed"
    assert report.artifacts == ("src/api.py", "tests/test_api.py", "docs/api.md")
    assert report.summary == "Added the endpoint, with validation, auth and docs"
    assert report.verified == ("lint-pass", "tests-pass")
    assert report.fields["TEST_RESULTS"] == "passed: 12, failed: 0"
    assert list(report.fields) == [
        "STATUS",
        "ARTIFACTS",
        "SUMMARY",
        "VERIFIED",
        "TEST_RESULTS",
        "DURATION",
    ]
    assert report.raw.startswith("TASK_COMPLETE: T-42\n")
    assert report.raw.endswith("DURATION: 4m")


def test_task_blocked() -> None:
    report = _parse(
        "TASK_BLOCKED: T-7\n"
        "BLOCKER: The database credentials are missing, so migrations cannot run\n"
        "SUGGESTED_ACTION: Set DATABASE_URL, then re-run\n"
    )
    assert report.kind == "TASK_BLOCKED"
    assert report.status == "blocked"
    assert report.fields["BLOCKER"] == (
        "The database credentials are missing, so migrations cannot run"
    )
    assert report.fields["SUGGESTED_ACTION"] == "Set DATABASE_URL, then re-run"
    assert report.summary is None
    assert report.artifacts == ()


def test_task_failed() -> None:
    report = _parse(
        "TASK_FAILED: T-9\n"
        "ERROR: pytest: 3 failed, 10 passed\n"
        "ATTEMPTED: fixed imports, reran tests, pinned httpx\n"
    )
    assert report.status == "failed"
    assert report.fields["ERROR"] == "pytest: 3 failed, 10 passed"
    assert report.fields["ATTEMPTED"] == ("fixed imports", "reran tests", "pinned httpx")


def test_l3_result_with_data_lines_and_flag() -> None:
    report = _parse(
        "```\n"
        "L3_RESULT: search-001\n"
        "STATUS: completed\n"
        "DATA:\n"
        "- src/a.ts (line 15: export function a)\n"
        "- Breakdown:\n"
        "  - src/services/: 23\n"
        "FILES_FOUND: 2\n"
        "TESTS_COMPLETE: true\n"
        "```\n"
    )
    assert report.kind == "L3_RESULT"
    assert report.ident == "search-001"
    assert report.status == "completed"
    assert report.fields["DATA"] == (
        "src/a.ts (line 15: export function a)",
        "Breakdown:",
        "src/services/: 23",
    )
    assert report.fields["FILES_FOUND"] == "2"
    assert report.fields["TESTS_COMPLETE"] == "true"
    assert report.line == 2


def test_l3_result_failed_and_without_status() -> None:
    failed = _parse("L3_RESULT: x\nSTATUS: failed\nERROR: boom\n")
    assert failed.status == "failed"
    bare = _parse("L3_RESULT: x\nDATA:\n- a\n")
    assert bare.status == "unknown"


def test_roadmap_and_epic_complete() -> None:
    roadmap = _parse(
        "ROADMAP_COMPLETE: rm-1\nSTATUS: completed\nPHASES: 4 phases, 12 tasks\n"
        "ARTIFACTS: [docs/plan.md]\n"
    )
    assert roadmap.kind == "ROADMAP_COMPLETE"
    assert roadmap.fields["PHASES"] == "4 phases, 12 tasks"
    assert roadmap.artifacts == ("docs/plan.md",)
    epic = _parse(
        "   EPIC_COMPLETE: epic-users\n   STATUS: completed\n   ROADMAPS: 3 roadmaps\n"
        "   TOKEN_USAGE: 245K/500K (49%)\n   GITHUB: Issue #123 closed\n"
    )
    assert epic.kind == "EPIC_COMPLETE"
    assert epic.ident == "epic-users"
    assert epic.status == "completed"
    assert epic.fields["GITHUB"] == "Issue #123 closed"
    assert epic.line == 1


def test_unknown_complete_kind_and_no_status() -> None:
    report = _parse("FOO_COMPLETE: bar\nWIDGETS: 3\nCUSTOM_KEY: [a, b]\n")
    assert report.kind == "FOO_COMPLETE"
    assert report.status == "completed"
    assert report.fields == {"WIDGETS": "3", "CUSTOM_KEY": ("a", "b")}


def test_status_normalised() -> None:
    assert _parse("TASK_COMPLETE: a\nSTATUS: Done\n").status == "completed"
    assert _parse("TASK_COMPLETE: a\nSTATUS: **PARTIAL**\n").status == "partial"
    assert _parse("TASK_COMPLETE: a\nSTATUS: error\n").status == "failed"


def test_last_block_wins() -> None:
    text = (
        "TASK_COMPLETE: first\nSTATUS: completed\n\n"
        "Some prose.\n\n"
        "TASK_BLOCKED: second\nBLOCKER: waiting\n"
        "TASK_FAILED: third\nERROR: nope\n"
        "trailing prose\n"
    )
    report = _parse(text)
    assert report.kind == "TASK_FAILED"
    assert report.ident == "third"
    assert report.line == 8
    assert report.fields == {"ERROR": "nope"}


def test_template_takes_first_block() -> None:
    text = "TASK_COMPLETE: {taskId}\nSTATUS: completed\n\nTASK_BLOCKED: {taskId}\nBLOCKER: x\n"
    template = parse_template(text)
    assert template is not None
    assert template.kind == "TASK_COMPLETE"
    assert template.ident == "{taskId}"
    assert parse_report(text) is not None
    assert _parse(text).kind == "TASK_BLOCKED"


def test_fenced_and_bare_agree() -> None:
    body = "TASK_COMPLETE: T-1\nSTATUS: completed\nSUMMARY: ok, fine\nVERIFIED: a, b"
    bare = _parse("Done.\n\n" + body + "\n\nThanks!")
    fenced = _parse("Done.\n\n```text\n" + body + "\n```\nThanks!")
    assert bare.fields == fenced.fields
    assert bare.raw == fenced.raw == body
    assert fenced.line == bare.line + 1


def test_bold_and_heading_wrapping() -> None:
    a = _parse("**TASK_COMPLETE: T-5**\n**STATUS**: completed\n**SUMMARY:** it works\n")
    assert (a.kind, a.ident) == ("TASK_COMPLETE", "T-5")
    assert a.fields == {"STATUS": "completed", "SUMMARY": "it works"}
    b = _parse("## **TASK_BLOCKED**: T-6\nBLOCKER: need key\n")
    assert (b.kind, b.ident, b.status) == ("TASK_BLOCKED", "T-6", "blocked")


def test_empty_ident_and_block_end() -> None:
    report = _parse("TASK_COMPLETE:\nSTATUS: completed\nlowercase: ends it\nSUMMARY: not read\n")
    assert report.ident == ""
    assert report.fields == {"STATUS": "completed"}


def test_values_and_items() -> None:
    report = _parse(
        "TASK_COMPLETE: x\n"
        "ARTIFACTS:\n"
        "- `src/a.py`\n"
        "- src/b.py\n"
        "SUMMARY:\n"
        "- one, two\n"
        "- three\n"
        "NOTES: first\n"
        "- second\n"
        "EMPTY_LIST: []\n"
        "GLOBS: [src/{a,b}.py, lib/*.py]\n"
        "VERIFIED:\n"
    )
    assert report.artifacts == ("src/a.py", "src/b.py")
    assert report.summary == "one, two\nthree"
    assert report.fields["NOTES"] == ("first", "second")
    assert report.fields["EMPTY_LIST"] == ()
    assert report.fields["GLOBS"] == ("src/{a,b}.py", "lib/*.py")
    assert report.verified == ()
    assert isinstance(report.fields["SUMMARY"], str)


def test_summary_with_brackets_stays_string() -> None:
    report = _parse("TASK_COMPLETE: x\nSUMMARY: [draft] rewrote a, b and c\n")
    assert report.summary == "[draft] rewrote a, b and c"


def test_no_report() -> None:
    assert parse_report("") is None
    assert parse_report("just prose\nTASK_COMPLETE without colon\ntask_complete: lower\n") is None
    assert parse_report("[L1] ROADMAP_COMPLETE: rm-1") is None
    assert parse_template("nothing here") is None


def test_crlf_tolerated() -> None:
    report = _parse("TASK_COMPLETE: T-1\r\nSTATUS: completed\r\nVERIFIED: a, b\r\n")
    assert report.ident == "T-1"
    assert report.verified == ("a", "b")


SEED_TEMPLATE = (
    "TASK_COMPLETE: {taskId}\n"
    "STATUS: completed\n"
    "ARTIFACTS: [router.py, model.py, migration.sql, ...]\n"
    "SUMMARY: Created/modified [endpoint/model] with [features]\n"
    "VERIFIED: lint-pass, tests-pass, migration-applied\n"
    "DEPLOYMENT_URL: [if applicable]\n"
)


def test_template_parse() -> None:
    template = parse_template(SEED_TEMPLATE)
    assert template is not None
    assert list(template.fields) == ["STATUS", "ARTIFACTS", "SUMMARY", "VERIFIED", "DEPLOYMENT_URL"]
    assert template.artifacts == ("router.py", "model.py", "migration.sql", "...")
    assert template.verified == ("lint-pass", "tests-pass", "migration-applied")


def test_missing_keys() -> None:
    template = parse_template(SEED_TEMPLATE)
    full = _parse(
        "TASK_COMPLETE: T-1\nSTATUS: completed\nARTIFACTS: [a.py]\nSUMMARY: s\nVERIFIED: x\n"
    )
    assert full.missing_keys(template) == ()  # DEPLOYMENT_URL is "[if applicable]"
    partial = _parse("TASK_COMPLETE: T-1\nSTATUS: completed\nEXTRA: kept\n")
    assert partial.missing_keys(template) == ("ARTIFACTS", "SUMMARY", "VERIFIED")
    assert partial.fields["EXTRA"] == "kept"
    assert partial.missing_keys(None) == ()
    blocked = _parse("TASK_BLOCKED: T-1\nBLOCKER: b\n")
    assert blocked.missing_keys(template) == ()  # different kind: not compared


def test_check_artifacts(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    old = tmp_path / "src" / "old.py"
    new = tmp_path / "src" / "new.py"
    old.write_text("x")
    new.write_text("y")
    os.utime(old, (1_000_000, 1_000_000))
    os.utime(new, (2_000_000, 2_000_000))
    absolute = tmp_path / "abs.txt"
    absolute.write_text("z")
    os.utime(absolute, (2_000_000, 2_000_000))
    report = _parse(
        "TASK_COMPLETE: T-1\n"
        f"ARTIFACTS: [src/old.py, src/new.py, missing.py, ..., {{file}}, {absolute}, "
        "src/new.py:12, src/old.py (edited), bad\x00path]\n"
    )
    checks = check_artifacts(report, tmp_path, since=1_500_000)
    assert checks == (
        ArtifactCheck("src/old.py", True, False),
        ArtifactCheck("src/new.py", True, True),
        ArtifactCheck("missing.py", False, None),
        ArtifactCheck(str(absolute), True, True),
        ArtifactCheck("src/new.py:12", True, True),
        ArtifactCheck("src/old.py (edited)", True, False),
        ArtifactCheck("bad\x00path", False, None),
    )
    no_since = check_artifacts(report, tmp_path, since=None)
    assert [c.modified_since for c in no_since] == [None] * len(no_since)
    assert [c.exists for c in no_since] == [c.exists for c in checks]


def test_check_artifacts_no_artifacts(tmp_path: Path) -> None:
    report = _parse("TASK_BLOCKED: T-1\nBLOCKER: b\n")
    assert check_artifacts(report, tmp_path, since=0.0) == ()
    bogus = tmp_path / "not-a-dir"
    report2 = _parse("TASK_COMPLETE: T-1\nARTIFACTS: a.py\n")
    assert check_artifacts(report2, bogus, since=0.0) == (ArtifactCheck("a.py", False, None),)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_report_never_raises(text: str) -> None:
    report = parse_report(text)
    if report is not None:
        _ = (report.status, report.summary, report.artifacts, report.verified)
        report.missing_keys(parse_template(text))
    parse_template(text)


REPORT_ALPHABET = st.sampled_from(
    [
        "TASK_COMPLETE:",
        "L3_RESULT: ",
        "X_FAILED: y",
        "STATUS: ",
        "ARTIFACTS: ",
        "DATA:",
        "SUMMARY: ",
        "- ",
        "  - ",
        "[",
        "]",
        ",",
        "'",
        "`",
        "**",
        "__",
        "\n",
        "\r",
        " ",
        "true",
        "a",
        "...",
        "{x}",
        "```",
        "#",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(REPORT_ALPHABET, max_size=60).map("".join))
def test_parse_report_never_raises_reportish(text: str) -> None:
    report = parse_report(text)
    if report is not None:
        _ = (report.status, report.summary, report.artifacts, report.verified)
        check_artifacts(report, Path("/nonexistent-roster-test-dir"), since=0.0)
