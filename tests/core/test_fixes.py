"""Fixes that fix: each suggested fix, applied verbatim, gives a file that parses and that Claude
Code loads with the values the author meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.catalog import BROKEN_SHAPE, INTENDED
from tui.core.definition import AgentDefinition
from tui.core.fixes import Fix, apply_fixes, fix_file, fixes_for
from tui.core.parse import parse_bytes
from tui.core.tool_list import edit_distance, suggest_tool

ROOT = Path("/agents")


def parse(text: str) -> AgentDefinition:
    return parse_bytes(text.encode(), ROOT / "x.md", ROOT)


def fixed(text: str, code: str) -> tuple[Fix, AgentDefinition, AgentDefinition]:
    d = parse(text)
    fix = next(f for f in fixes_for(text, d) if f.code == code)
    return fix, d, parse(apply_fixes(text, [fix]))


def test_the_common_broken_shape_becomes_a_block_scalar_that_keeps_the_whole_description() -> None:
    fix, before, after = fixed(BROKEN_SHAPE, "R003")
    assert not before.loads_in_claude_code and fix.safe
    assert after.loads_in_claude_code and after.description == INTENDED
    assert after.tools == ("Read", "Grep")
    assert not [x for x in after.diagnostics if x.severity == "error"]


def test_a_description_cut_to_its_first_line_by_the_retry_is_made_whole() -> None:
    text = (
        "---\nname: a\ndescription: Use it when x. Context: y\n"
        'user: "hi"\nassistant: "ho"\nuser: "again"\n---\nbody\n'
    )
    before = parse(text)
    assert before.loads_in_claude_code and before.description == "Use it when x. Context: y"
    r050 = next(x for x in before.diagnostics if x.code == "R050")
    assert "delete" not in r050.fix and "block scalar" in r050.fix  # example lines, not keys
    fix = next(f for f in fixes_for(text, before) if f.line == 3)
    after = parse(apply_fixes(text, [fix]))
    assert after.description == (
        'Use it when x. Context: y\nuser: "hi"\nassistant: "ho"\nuser: "again"'
    )


def test_r051_quoting_escapes_inner_quotes_and_the_fix_text_is_the_exact_line() -> None:
    text = '---\nname: a\ndescription: He said "hi" # not a comment\n---\nbody\n'
    d = parse(text)
    r051 = next(x for x in d.diagnostics if x.code == "R051")
    line = 'description: "He said \\"hi\\" # not a comment"'
    assert r051.fix == f"quote the whole value: `{line}`"
    after = parse(text.replace(text.split("\n")[2], line))  # applied verbatim
    assert after.loads_in_claude_code and after.description == 'He said "hi" # not a comment'
    _, _, via_fix = fixed(text, "R051")
    assert via_fix.description == 'He said "hi" # not a comment'


def test_r051_does_not_print_a_long_description_twice() -> None:
    long = "word " * 340 + "# tail"
    d = parse(f"---\nname: a\ndescription: {long}\n---\nbody\n")
    r051 = next(x for x in d.diagnostics if x.code == "R051")
    assert len(r051.message) + len(r051.fix) < 500
    assert "roster validate --fix" in r051.fix


def test_a_real_duplicate_key_says_which_line_wins_and_the_fix_keeps_the_values() -> None:
    text = "---\nname: a\ndescription: first\ndescription: second\n---\nbody\n"
    fix, before, after = fixed(text, "R050")
    assert fix.safe and fix.line == 3
    assert (after.name, after.description) == (before.name, before.description) == ("a", "second")
    assert not [x for x in after.diagnostics if x.code == "R050"]


def test_r070_suggests_the_inferred_level_or_lists_all_four() -> None:
    react = parse("---\nname: react-expert\ndescription: d\nlevel: banana\n---\nb\n")
    r070 = next(x for x in react.diagnostics if x.code == "R070")
    assert r070.fix == "write `level: L2` (the name `react-expert` suggests it)"
    zork = parse("---\nname: zork\ndescription: d\nlevel: banana\n---\nb\n")
    r070 = next(x for x in zork.diagnostics if x.code == "R070")
    assert "L2`" not in r070.fix and all(lv in r070.fix for lv in ("L0", "L1", "L2", "L3"))


def test_tool_typos_use_edit_distance_with_transpositions() -> None:
    assert edit_distance("raed", "read") == 1
    assert suggest_tool("Raed") == "Read" and suggest_tool("Gerp") == "Grep"
    text = "---\nname: a\ndescription: d\ntools: Raed, Grep\n---\nb\n"
    fix, before, after = fixed(text, "R031")
    assert "did you mean `Read`" in next(x.message for x in before.diagnostics if x.code == "R031")
    assert not fix.safe  # it grants a tool: the author decides
    assert after.tools == ("Read", "Grep")


def _files(corpora: Path) -> list[Path]:
    return sorted(p for p in corpora.rglob("*.md") if p.is_file())


def test_every_fix_on_the_shared_files_round_trips(corpora: Path) -> None:
    checked = 0
    for path in _files(corpora):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
        d = parse_bytes(text.encode(), path, path.parent)
        for fix in fixes_for(text, d):
            after = parse_bytes(apply_fixes(text, [fix]).encode(), path, path.parent)
            checked += 1
            where = (path.name, fix.code, fix.line)
            assert not [x for x in after.diagnostics if x.code == "R085"], where
            if fix.code == "R003":
                assert after.loads_in_claude_code, where
                span = range(fix.line, fix.line + len(fix.new_lines))
                assert not [x for x in after.diagnostics if x.code == "R003" and x.line in span]
                assert not [
                    x for x in after.diagnostics if x.code == "R003" and x.severity == "error"
                ]
                assert after.description and after.description.strip(), where
            if d.loads_in_claude_code:
                assert after.loads_in_claude_code, where
            if fix.code == "R051":
                assert not [x for x in after.diagnostics if x.code == "R051"], where
            if fix.code == "R050":
                assert (after.name, after.description) == (d.name, d.description), where
    assert checked > 50


@pytest.mark.parametrize("name", ["dup-keys.md", "hash-truncation.md"])
def test_synthetic_edge_files_get_a_fix_that_applies(corpora: Path, name: str) -> None:
    path = corpora / "synthetic" / name
    text = path.read_text(encoding="utf-8")
    d = parse_bytes(text.encode(), path, path.parent)
    fixes = fixes_for(text, d)
    assert fixes and all(f.safe for f in fixes)
    after = parse_bytes(apply_fixes(text, fixes).encode(), path, path.parent)
    assert after.loads_in_claude_code
    assert not {x.code for x in after.diagnostics} & {"R050", "R051"}


def test_deleting_an_earlier_duplicate_never_changes_another_key() -> None:
    """`tools:` with a block list at column 0: deleting only the `tools:` line handed the list
    to the key above it (`color` became ['Read', 'Write'])."""
    text = "---\nname: a\ncolor:\ntools:\n- Read\n- Write\ntools: Bash\ndescription: d\n---\nB\n"
    d = parse(text)
    for fix in fixes_for(text, d):
        after = parse(apply_fixes(text, [fix]))
        assert dict(after.frontmatter) == dict(d.frontmatter), fix


def test_fix_file_keeps_the_line_endings_of_lines_it_does_not_touch(tmp_path: Path) -> None:
    """A CRLF frontmatter over an LF body: the body (the system prompt) kept byte for byte."""
    body = b"Body line LF\nSecond LF line\n"
    data = (
        b"---\r\nname: mixed\r\ndescription: Use this agent when\r\n  things. Examples:\r\n"
        b"<example>\r\nuser: hi\r\n</example>\r\ntools: Read\r\n---\r\n" + body
    )
    path = tmp_path / "mixed.md"
    path.write_bytes(data)
    result = fix_file(parse_bytes(data, path, tmp_path), dry_run=False)
    assert result is not None and result.applied
    written = path.read_bytes()
    assert written.endswith(b"---\r\n" + body)
    assert b"description: |-\r\n" in written


def test_quoting_a_cut_name_is_not_applied_without_asking(tmp_path: Path) -> None:
    """`name: cut #1` loads as `cut`: quoting it renames the agent, which `--fix` must not do
    on its own (other definitions call it by name)."""
    path = tmp_path / "cut.md"
    path.write_text("---\nname: cut #1\ndescription: foo #bar\n---\nB\n")
    result = fix_file(parse_bytes(path.read_bytes(), path, tmp_path), dry_run=False)
    assert result is not None
    assert [f.code for f in result.needs_decision] == ["R051"]
    assert parse_bytes(path.read_bytes(), path, tmp_path).name == "cut"
    assert 'description: "foo #bar"' in path.read_text()
