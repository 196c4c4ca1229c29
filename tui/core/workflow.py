"""Body -> sections: headings, workflow outline, quality checks, completion-report template.

Pure, stdlib only, and total: `parse_body` never raises on any `str`.

Reading rules (a pragmatic subset of CommonMark, chosen for agent definitions):

* Lines are split on ``\\n``; a trailing ``\\r`` is dropped, so line numbers always match a
  ``\\n``-normalised editor view.
* Fenced code blocks open with ````` ``` ````` or ``~~~`` (3 or more) and close with at least as
  many of the same character and nothing else on the line. Any indentation is accepted (fences
  inside list items are common in prompts). An unclosed fence runs to the end of the body.
  Nothing inside a fence is a heading, a step or a check.
* ATX headings only (``#`` .. ``######``, at most 3 spaces of indentation, a space or the end of
  the line after the hashes; a closing ``###`` run is removed). Setext headings are not read.
* A workflow section is a level-2 heading whose title contains "workflow" (any case). Every
  level-3 heading inside it (up to the next level 1/2 heading) is a `Workflow` whose steps are
  the numbered-list items (``1. x`` / ``2) x``, any indentation, nested numbered items included)
  between it and the next heading of level <= 3. Numbered items directly under the level-2
  heading (before its first level-3 child) make the level-2 section itself a `Workflow`, listed
  before its children; a level-2 section with neither children nor steps yields nothing.
* Quality checks: numbered or bulleted items under every heading (any level) whose title
  matches "quality check" (so also "Quality Checklist"), up to the next heading of the same or a
  higher level; ``**``/``__`` markers and task-list boxes (``[ ]``) are stripped.
* Report template: the first heading (any level) whose title contains "completion report".
  Its template is the content of the first fenced block in its section that contains a report
  head line (``KIND: id``), else of the first fenced block, else the section's own text
  (trailing blank lines and thematic breaks dropped). `report_template_line` is the file line of
  the template's first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BodySections", "Heading", "Workflow", "parse_body"]


@dataclass(frozen=True, slots=True)
class Workflow:
    """One workflow: its heading text, the heading's 1-based file line, its numbered steps."""

    title: str
    line: int
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """One ATX heading outside code fences; `line` is 1-based in the file."""

    level: int
    title: str
    line: int


@dataclass(frozen=True, slots=True)
class BodySections:
    headings: tuple[Heading, ...]
    workflows: tuple[Workflow, ...]
    quality_checks: tuple[str, ...]
    report_template: str | None
    report_template_line: int | None


_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_NUMBERED = re.compile(r"^[ \t]*\d{1,9}[.)][ \t]+(\S.*)$")
_BULLETED = re.compile(r"^[ \t]*[-*+][ \t]+(\S.*)$")
_TASK_BOX = re.compile(r"^\[[ xX]\][ \t]+")
_THEMATIC_BREAK = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUALITY = re.compile(r"quality[ \t]+check", re.IGNORECASE)
_REPORT_HEAD = re.compile(
    r"^[ \t]*(?:\*\*|__)?[A-Z][A-Z0-9_]*_(?:COMPLETE|BLOCKED|FAILED|RESULT)(?:\*\*|__)?[ \t]*:"
)


@dataclass(frozen=True, slots=True)
class _Line:
    """A body line with what the fence scan learned about it."""

    text: str
    in_fence: bool  # inside a fenced block (fence delimiter lines excluded)
    fence_delim: bool  # an opening or closing fence line
    fence_id: int  # index of the fenced block this line belongs to (delimiters included), or -1


def _split_lines(body: str) -> list[str]:
    return [line[:-1] if line.endswith("\r") else line for line in body.split("\n")]


def _scan(lines: list[str]) -> list[_Line]:
    out: list[_Line] = []
    fence_char = ""
    fence_len = 0
    fence_count = -1
    for text in lines:
        if fence_char:
            stripped = text.strip()
            if len(stripped) >= fence_len and stripped == fence_char * len(stripped):
                out.append(_Line(text, False, True, fence_count))
                fence_char = ""
                fence_len = 0
            else:
                out.append(_Line(text, True, False, fence_count))
            continue
        m = _FENCE_OPEN.match(text)
        if m is not None and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence_char = m.group(1)[0]
            fence_len = len(m.group(1))
            fence_count += 1
            out.append(_Line(text, False, True, fence_count))
            continue
        out.append(_Line(text, False, False, -1))
    return out


def _heading_of(text: str) -> tuple[int, str] | None:
    m = _HEADING.match(text)
    if m is None:
        return None
    title = (m.group(2) or "").strip()
    title = _CLOSING_HASHES.sub("", title).strip()
    return len(m.group(1)), title


def _section_end(heads: list[tuple[int, int, str]], index: int, n_lines: int) -> int:
    """Index (0-based line) where the section of heads[index] ends: next heading of <= level."""
    level = heads[index][1]
    for line_idx, lvl, _title in heads[index + 1 :]:
        if lvl <= level:
            return line_idx
    return n_lines


def _numbered_steps(scanned: list[_Line], start: int, end: int) -> tuple[str, ...]:
    steps: list[str] = []
    for ln in scanned[start:end]:
        if ln.in_fence or ln.fence_delim:
            continue
        m = _NUMBERED.match(ln.text)
        if m is not None:
            steps.append(m.group(1).strip())
    return tuple(steps)


def _strip_emphasis(text: str) -> str:
    text = _TASK_BOX.sub("", text)
    return text.replace("**", "").replace("__", "").strip()


def _template(
    scanned: list[_Line], start: int, end: int, line_offset: int
) -> tuple[str | None, int | None]:
    """The report template in body lines [start, end): (text, 1-based file line)."""
    blocks: dict[int, list[int]] = {}
    order: list[int] = []
    for idx in range(start, end):
        ln = scanned[idx]
        if ln.in_fence:
            if ln.fence_id not in blocks:
                blocks[ln.fence_id] = []
                order.append(ln.fence_id)
            blocks[ln.fence_id].append(idx)
        elif ln.fence_delim and ln.fence_id not in blocks:
            blocks[ln.fence_id] = []
            order.append(ln.fence_id)
    chosen: list[int] | None = None
    for fid in order:
        if any(_REPORT_HEAD.match(scanned[i].text) for i in blocks[fid]):
            chosen = blocks[fid]
            break
    if chosen is None:
        for fid in order:
            if blocks[fid]:
                chosen = blocks[fid]
                break
    if chosen is not None:
        text = "\n".join(scanned[i].text for i in chosen)
        return text, chosen[0] + 1 + line_offset
    # No fenced block: the section's own text, trimmed.
    idxs = list(range(start, end))
    while idxs and not scanned[idxs[0]].text.strip():
        idxs.pop(0)
    while idxs and (
        not scanned[idxs[-1]].text.strip() or _THEMATIC_BREAK.match(scanned[idxs[-1]].text)
    ):
        idxs.pop()
    if not idxs:
        return None, None
    return "\n".join(scanned[i].text for i in idxs), idxs[0] + 1 + line_offset


def parse_body(body: str, line_offset: int = 0) -> BodySections:
    """Split a definition body into its sections.

    `line_offset` is the number of file lines before the body, so body line k (1-based) is file
    line k + line_offset. Never raises for a `str` argument.
    """
    try:
        offset = int(line_offset)
    except (TypeError, ValueError, OverflowError):
        offset = 0
    if not isinstance(body, str):
        body = ""
    scanned = _scan(_split_lines(body))
    n = len(scanned)

    # (0-based line index, level, title)
    heads: list[tuple[int, int, str]] = []
    for idx, ln in enumerate(scanned):
        if ln.in_fence or ln.fence_delim:
            continue
        h = _heading_of(ln.text)
        if h is not None:
            heads.append((idx, h[0], h[1]))
    headings = tuple(Heading(lvl, title, idx + 1 + offset) for idx, lvl, title in heads)

    workflows: list[Workflow] = []
    quality: list[str] = []
    template: str | None = None
    template_line: int | None = None
    template_found = False

    for hi, (idx, lvl, title) in enumerate(heads):
        end = _section_end(heads, hi, n)
        lowered = title.lower()

        if lvl == 2 and "workflow" in lowered:
            children = [
                (ci, c_idx, c_title)
                for ci, (c_idx, c_lvl, c_title) in enumerate(heads)
                if ci > hi and c_idx < end and c_lvl == 3
            ]
            intro_end = children[0][1] if children else end
            intro_steps = _numbered_steps(scanned, idx + 1, intro_end)
            if intro_steps:
                workflows.append(Workflow(title, idx + 1 + offset, intro_steps))
            for ci, c_idx, c_title in children:
                c_end = min(_section_end(heads, ci, n), end)
                workflows.append(
                    Workflow(
                        c_title, c_idx + 1 + offset, _numbered_steps(scanned, c_idx + 1, c_end)
                    )
                )

        if _QUALITY.search(title):
            for ln in scanned[idx + 1 : end]:
                if ln.in_fence or ln.fence_delim:
                    continue
                if _THEMATIC_BREAK.match(ln.text):
                    continue
                m = _NUMBERED.match(ln.text) or _BULLETED.match(ln.text)
                if m is not None:
                    item = _strip_emphasis(m.group(1))
                    if item:
                        quality.append(item)

        if not template_found and "completion report" in lowered:
            template_found = True
            template, template_line = _template(scanned, idx + 1, end, offset)

    return BodySections(
        headings=headings,
        workflows=tuple(workflows),
        quality_checks=tuple(quality),
        report_template=template,
        report_template_line=template_line,
    )
