"""The completion report in a session's final text, checked against disk and the template.

Grammar and checks live in `tui.core.report` / `tui.core.workflow`; this only assembles the
ReportParsed event. Imported lazily so a missing or broken parser never stops a session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .events import Outcome, ReportParsed

_OUTCOMES = {"completed": Outcome.COMPLETED, "blocked": Outcome.BLOCKED, "failed": Outcome.FAILED}


def find_report(text: str, body: str, cwd: Path, since: float | None) -> ReportParsed | None:
    try:
        from tui.core import report as report_mod
        from tui.core import workflow
    except ImportError:
        return None
    parsed = report_mod.parse_report(text)
    if parsed is None:
        return None
    template = None
    section = workflow.parse_body(body).report_template
    if section:
        template = report_mod.parse_template(section)
    checks = report_mod.check_artifacts(parsed, cwd, since)
    status = parsed.status
    data: dict[str, Any] = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in parsed.fields.items()
    }
    return ReportParsed(
        kind=parsed.kind,
        report_id=parsed.ident,
        status=status,
        outcome=_outcome(parsed.kind, status),
        data=data,
        artifacts=tuple(checks),
        missing_keys=tuple(parsed.missing_keys(template)),
        report=parsed,
    )


def _outcome(kind: str, status: str) -> Outcome:
    if status in _OUTCOMES:
        return _OUTCOMES[status]
    if status in {"partial", "unknown"} and kind.endswith("_COMPLETE"):
        return Outcome.COMPLETED
    return Outcome.OTHER
