"""The metadata form writes through set_key: only that key's lines may change (byte diff)."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.fm_edit import EditError, set_key
from tui.core.parse import parse_bytes

SOURCE = (
    "---\n"
    "# team agent, keep this comment\n"
    "name: api-builder\n"
    'description: "Builds APIs: REST and GraphQL"\n'
    "custom-key: kept as is   # with a comment\n"
    "tools: Read, Grep\n"
    "model: sonnet  # fast enough\n"
    "frameworks:\n"
    "    - fastapi\n"
    "    - django\n"
    "---\n"
    "\n"
    "Body stays.\n"
)


def changed_lines(a: str, b: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def reparse(text: str) -> dict[str, object]:
    from pathlib import Path

    return dict(parse_bytes(text.encode(), Path("/r/x.md"), Path("/r")).frontmatter)


def test_changing_model_touches_one_line_and_keeps_comment() -> None:
    out = set_key(SOURCE, "model", "opus")
    assert changed_lines(SOURCE, out) == [
        "-model: sonnet  # fast enough",
        "+model: opus  # fast enough",
    ]


def test_tools_keep_comma_style_and_block_lists_keep_indent() -> None:
    out = set_key(SOURCE, "tools", ["Read", "Grep", "Bash(git *)"])
    assert changed_lines(SOURCE, out) == ["-tools: Read, Grep", "+tools: Read, Grep, Bash(git *)"]
    out = set_key(SOURCE, "frameworks", ["flask"])
    assert changed_lines(SOURCE, out) == ["-    - fastapi", "-    - django", "+    - flask"]
    assert reparse(out)["frameworks"] == ["flask"]


def test_flow_list_style_kept() -> None:
    text = "---\nname: a\ndescription: b\ntools: [Read, Grep]\n---\nx\n"
    assert "tools: [Read]\n" in set_key(text, "tools", ["Read"])
    assert "tools: []\n" in set_key(text, "tools", [])


def test_quoted_description_stays_quoted_and_needs_quotes_when_required() -> None:
    out = set_key(SOURCE, "description", "Builds APIs: now with gRPC")
    assert changed_lines(SOURCE, out) == [
        '-description: "Builds APIs: REST and GraphQL"',
        '+description: "Builds APIs: now with gRPC"',
    ]
    plain = "---\nname: a\ndescription: plain\n---\n"
    out = set_key(plain, "description", "Use when: tests fail #2")
    assert reparse(out)["description"] == "Use when: tests fail #2"
    assert reparse(set_key(plain, "name", "yes"))["name"] == "yes"


def test_new_key_goes_after_anchor_and_removal_drops_only_its_lines() -> None:
    out = set_key(SOURCE, "permissionMode", "plan", after=["model"])
    assert changed_lines(SOURCE, out) == ["+permissionMode: plan"]
    assert out.index("permissionMode") > out.index("model: sonnet")
    out = set_key(SOURCE, "frameworks", None)
    assert changed_lines(SOURCE, out) == ["-frameworks:", "-    - fastapi", "-    - django"]


def test_crlf_is_kept() -> None:
    crlf = SOURCE.replace("\n", "\r\n")
    out = set_key(crlf, "model", "haiku")
    assert "\n" not in out.replace("\r\n", "")
    assert "model: haiku  # fast enough\r\n" in out


def test_unknown_keys_and_body_are_byte_identical() -> None:
    out = set_key(SOURCE, "name", "api-builder-2")
    assert out.replace("name: api-builder-2", "name: api-builder") == SOURCE


@pytest.mark.parametrize("text", ["no frontmatter\n", "---\nname: a\n"])
def test_no_frontmatter_raises_edit_error(text: str) -> None:
    with pytest.raises(EditError):
        set_key(text, "name", "x")


def test_plain_values_get_no_quotes_nobody_typed() -> None:
    from tui.core.cc_loader import yaml12_load

    text = "---\nname: a\n---\nbody\n"
    for value in ("3d-printer", "4.x", "1st-responder", "C# expert", "a: b", "true", " x", "#x"):
        out = set_key(text, "domain", value)
        line = out.splitlines()[2]
        fm = yaml12_load(out.split("---\n")[1])
        assert fm["domain"] == value, (value, line)  # reads back as typed
        plain = value in ("3d-printer", "4.x", "1st-responder", "C# expert")
        assert (line == f"domain: {value}") == plain, line


def test_multiline_value_from_a_block_scalar_stays_valid_yaml() -> None:
    """A `description: |` block shown in the form and edited there was written back plain
    with a raw line break: the next line started at column 0 and the frontmatter broke (Claude
    Code skipped the agent)."""
    from tui.core.cc_loader import yaml12_load

    text = "---\nname: a\ndescription: |\n  Line one\n  Line two\nmodel: sonnet\n---\nbody\n"
    out = set_key(text, "description", "Line one\nLine two now")
    assert out == (
        '---\nname: a\ndescription: "Line one\\nLine two now"\nmodel: sonnet\n---\nbody\n'
    )
    assert yaml12_load(out.split("---\n")[1])["description"] == "Line one\nLine two now"


@settings(max_examples=400, deadline=None)
@given(
    value=st.text(alphabet=list("ab :#'\"-*&!|>%@`,[]{}\\\n\r\t\x07\x1b\x85\u2028~?=.07yesno")),
    before=st.sampled_from(["plain", "'q'", '"q"']),
)
def test_any_value_reads_back_as_typed(value: str, before: str) -> None:
    """Whatever the form writes (line breaks, CR, tabs, control characters, YAML indicators,
    after a plain, single- or double-quoted old value), Claude Code's YAML reads it back."""
    from tui.core.cc_loader import yaml12_load

    if value.strip("-") == "" and value:
        return  # a value of dashes reads back, but splitting on the fence below would not
    out = set_key(f"---\nname: a\ndescription: {before}\n---\nbody\n", "description", value)
    fm = out.split("\n---\n")[0].removeprefix("---\n")
    got = yaml12_load(fm)["description"]
    assert got == value or (value == "" and got is None)
