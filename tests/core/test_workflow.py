"""Tests for tui.core.workflow: body -> headings, workflows, quality checks, report template."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.report import parse_template
from tui.core.workflow import BodySections, Heading, Workflow, parse_body

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED = PROJECT_ROOT.parent / "shared"
SEED = SHARED / "seed" / "l2-backend-specialist.md"
CCASP = SHARED / "corpora" / "ccasp"


def _split(text: str) -> tuple[str, int]:
    """(body, line_offset) of a `---` frontmatter file: body line k is file line k + offset."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return "\n".join(lines[i + 1 :]), i + 1
    return text, 0


# A body shaped like a CCASP L2 definition (our own words).
SAMPLE = """\
# Sample Specialist

Intro text.

## Domain-Specific Workflows

### Build a Widget

1. Read the spec
2. Sketch the parts
   continuation line that is not a step
3. Assemble `widget.py`

### Paint the Widget

1) Pick a colour
2) Apply **two** coats

```bash
# not a heading
1. not a step either
```

## Examples

```python
# comment inside a fence
## still not a heading
```

~~~
### tilde fenced, not a heading
~~~

## Release Workflow

1. Tag
2. Push

## Quality Checks

- **Lint**: clean
* [ ] Tests pass
1. **Docs** updated

## Completion Report

```
TASK_COMPLETE: {taskId}
STATUS: completed
ARTIFACTS: [a.py, b.py, ...]
SUMMARY: Did [thing]
VERIFIED: lint-pass, tests-pass
```

---

*footer*
"""


def test_sample_headings_skip_fences() -> None:
    sections = parse_body(SAMPLE)
    titles = [h.title for h in sections.headings]
    assert "not a heading" not in titles
    assert "still not a heading" not in titles
    assert "tilde fenced, not a heading" not in titles
    assert sections.headings[0] == Heading(1, "Sample Specialist", 1)
    assert titles == [
        "Sample Specialist",
        "Domain-Specific Workflows",
        "Build a Widget",
        "Paint the Widget",
        "Examples",
        "Release Workflow",
        "Quality Checks",
        "Completion Report",
    ]


def test_sample_workflows() -> None:
    sections = parse_body(SAMPLE)
    assert [w.title for w in sections.workflows] == [
        "Build a Widget",
        "Paint the Widget",
        "Release Workflow",
    ]
    build, paint, release = sections.workflows
    assert build.steps == ("Read the spec", "Sketch the parts", "Assemble `widget.py`")
    assert paint.steps == ("Pick a colour", "Apply **two** coats")  # fenced "1." ignored
    assert release.steps == ("Tag", "Push")
    assert build.line == 7


def test_sample_quality_checks_and_template() -> None:
    sections = parse_body(SAMPLE, line_offset=10)
    assert sections.quality_checks == ("Lint: clean", "Tests pass", "Docs updated")
    assert sections.report_template is not None
    assert sections.report_template.startswith("TASK_COMPLETE: {taskId}")
    assert sections.report_template.endswith("VERIFIED: lint-pass, tests-pass")
    first_template_line = SAMPLE.split("\n").index("TASK_COMPLETE: {taskId}") + 1
    assert sections.report_template_line == first_template_line + 10
    assert sections.headings[0].line == 11


def test_line_offset_applies_to_everything() -> None:
    a = parse_body(SAMPLE)
    b = parse_body(SAMPLE, line_offset=7)
    assert [h.line + 7 for h in a.headings] == [h.line for h in b.headings]
    assert [w.line + 7 for w in a.workflows] == [w.line for w in b.workflows]


def test_workflow_level_rules() -> None:
    body = (
        "## Workflow\n1. intro step\n### Child\n1. child step\n#### Deeper\n2. deeper step\n"
        "## Other\n### Not a workflow\n1. x\n"
        "# Workflow at level one\n1. ignored\n"
        "## Empty Workflow section\n\ntext only\n"
    )
    sections = parse_body(body)
    assert sections.workflows == (
        Workflow("Workflow", 1, ("intro step",)),
        Workflow("Child", 3, ("child step", "deeper step")),
    )


def test_heading_details() -> None:
    body = "#hashtag\n    # indented code\n## Closed ##\n#\n####### seven\n### C#\n"
    sections = parse_body(body)
    assert sections.headings == (
        Heading(2, "Closed", 3),
        Heading(1, "", 4),
        Heading(3, "C#", 6),
    )


def test_unclosed_fence_and_crlf() -> None:
    body = "## A Workflow\r\n1. one\r\n2. two\r\n```\r\n## hidden\r\n"
    sections = parse_body(body)
    assert [h.title for h in sections.headings] == ["A Workflow"]
    assert sections.workflows == (Workflow("A Workflow", 1, ("one", "two")),)


def test_longer_fence_needs_longer_close() -> None:
    body = "````\n```\n# inside\n```\n````\n# outside\n"
    assert [h.title for h in parse_body(body).headings] == ["outside"]


def test_template_without_fence() -> None:
    body = "## Completion Report\n\nTASK_COMPLETE: {id}\nSTATUS: completed\n\n---\n"
    sections = parse_body(body, line_offset=5)
    assert sections.report_template == "TASK_COMPLETE: {id}\nSTATUS: completed"
    assert sections.report_template_line == 8


def test_template_prefers_fence_with_report_head() -> None:
    body = (
        "## Completion Report Formats\n\n```bash\necho hi\n```\n\n### Blocked\n\n"
        "```\nTASK_BLOCKED: {taskId}\nBLOCKER: x\n```\n"
    )
    sections = parse_body(body)
    assert sections.report_template == "TASK_BLOCKED: {taskId}\nBLOCKER: x"
    assert sections.report_template_line == 10


def test_empty_and_no_sections() -> None:
    assert parse_body("") == BodySections((), (), (), None, None)
    assert parse_body("## Completion Report\n\n") == BodySections(
        (Heading(2, "Completion Report", 1),), (), (), None, None
    )


def test_seed() -> None:
    if not SEED.exists():
        pytest.skip("../shared/seed/l2-backend-specialist.md not present (shared material absent)")
    text = SEED.read_text(encoding="utf-8")
    body, offset = _split(text)
    sections = parse_body(body, line_offset=offset)
    assert [w.title for w in sections.workflows] == [
        "API Endpoint Creation",
        "Database Schema Tasks",
        "Authentication Tasks",
        "Repository/Service Layer",
        "Database Migration Workflow",
    ]
    assert [len(w.steps) for w in sections.workflows] == [6, 6, 5, 5, 5]
    file_lines = text.split("\n")
    for wf in sections.workflows:
        assert file_lines[wf.line - 1].lstrip("#").strip() == wf.title
    assert len(sections.quality_checks) == 5
    assert sections.quality_checks[0].startswith("Lint:")
    assert sections.report_template is not None
    assert sections.report_template_line is not None
    assert file_lines[sections.report_template_line - 1].startswith("TASK_COMPLETE:")
    template = parse_template(sections.report_template)
    assert template is not None
    assert template.kind == "TASK_COMPLETE"
    assert template.ident == "{taskId}"
    assert list(template.fields) == ["STATUS", "ARTIFACTS", "SUMMARY", "VERIFIED"]
    # `#` comment-like lines in the seed's code fences are not headings
    assert all(h.level <= 3 for h in sections.headings)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_body_never_raises(text: str) -> None:
    sections = parse_body(text, line_offset=3)
    for h in sections.headings:
        assert 1 <= h.level <= 6
        assert h.line >= 4


MD_ALPHABET = st.sampled_from(
    [
        "#",
        "## ",
        "### ",
        "```",
        "~~~",
        "\n",
        "\r",
        " ",
        "1. ",
        "2) ",
        "- ",
        "* ",
        "**",
        "Workflow",
        "Quality Checks",
        "Completion Report",
        "TASK_COMPLETE: x",
        "STATUS: ok",
        "a",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MD_ALPHABET, max_size=60).map("".join))
def test_parse_body_never_raises_markdownish(text: str) -> None:
    parse_body(text)


def test_ccasp_corpus() -> None:
    if not CCASP.is_dir():
        pytest.skip("../shared/corpora/ccasp not present (shared corpora absent)")
    files = sorted(CCASP.rglob("*.md"))
    assert files
    with_template = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        body, offset = _split(text)
        sections = parse_body(body, line_offset=offset)
        has_report_heading = any("completion report" in h.title.lower() for h in sections.headings)
        if has_report_heading:
            with_template += 1
            assert sections.report_template, path
            assert sections.report_template_line is not None, path
            assert parse_template(sections.report_template) is not None, path
        for wf in sections.workflows:
            assert wf.line > offset, path
    assert with_template >= 4
