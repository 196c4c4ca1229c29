"""The completion report in a session's final text, checked against disk and the template.

Grammar and checks live in `tui.core.report` / `tui.core.workflow`; this only assembles the
ReportParsed event. Imported lazily so a missing or broken parser never stops a session.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .events import Outcome, ReportParsed

if TYPE_CHECKING:
    from tui.core.report import CompletionReport

_OUTCOMES = {"completed": Outcome.COMPLETED, "blocked": Outcome.BLOCKED, "failed": Outcome.FAILED}


def find_report(text: str, body: str, cwd: Path, since: float | None) -> ReportParsed | None:
    try:
        from tui.core import report as report_mod
        from tui.core import workflow
    except ImportError:
        return None
    parsed, real = final_report(report_mod.report_blocks(text), text)
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
        note=f"{real} reports in the answer; the last one counts." if real > 1 else "",
        report=parsed,
    )


_PLACEHOLDER = re.compile(r"^\s*(\{[^{}]*\}|<[^<>]*>)\s*$")
_TEMPLATE_WORDS = re.compile(r"\b(template|format|example|e\.g\.)", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_FENCE = re.compile(r"^\s*(```|~~~)")


def final_report(blocks: list[CompletionReport], text: str) -> tuple[CompletionReport | None, int]:
    """The completion report of a final answer: the LAST real block, and how many real ones
    there were. Not real: a placeholder id (`{taskId}`, `<id>`), a block whose values are
    mostly placeholders, no field at all, or a block inside a quoted template (a section
    headed template/format/example, a `>` quote, or a fence introduced as one)."""
    lines = text.split("\n")
    real = [b for b in blocks if not _is_template(b, lines)]
    return (real[-1] if real else None), len(real)


def _is_template(block: CompletionReport, lines: list[str]) -> bool:
    if _PLACEHOLDER.match(block.ident) or not block.fields:
        return True
    values = [v for v in block.fields.values() if isinstance(v, str) and v.strip()]
    if values and sum(bool(_PLACEHOLDER.match(v)) for v in values) * 2 >= len(values):
        return True
    head = block.line - 1
    if head < len(lines) and lines[head].lstrip().startswith(">"):
        return True
    fences = [j for j in range(head) if _FENCE.match(lines[j])]
    if len(fences) % 2:  # inside a fence: is it introduced as a template?
        opening = fences[-1]
        intro = next((x for x in reversed(lines[:opening]) if x.strip()), "")
        if _TEMPLATE_WORDS.search(intro):
            return True
    inside: set[int] = set()
    for a, b in zip(fences[::2], fences[1::2], strict=False):
        inside.update(range(a, b + 1))
    for j in range(head - 1, -1, -1):  # the nearest heading above (outside fences)
        if j not in inside and _HEADING.match(lines[j]):
            return bool(_TEMPLATE_WORDS.search(lines[j]))
    return False


def _outcome(kind: str, status: str) -> Outcome:
    if status in _OUTCOMES:
        return _OUTCOMES[status]
    if status in {"partial", "unknown"} and kind.endswith("_COMPLETE"):
        return Outcome.COMPLETED
    return Outcome.OTHER
