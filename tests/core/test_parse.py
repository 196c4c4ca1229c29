"""Parsing one file: encodings, line endings, YAML shapes and fallbacks, and what each one tells
the user (diagnostic code, line, fix) and Claude Code (the verdict)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.definition import AgentDefinition, Severity
from tui.core.parse import parse_bytes, parse_file

ROOT = Path("/agents")
GOOD = b"---\nname: helper\ndescription: Helps with things\n---\n\nYou help.\n"


def parse(data: bytes, name: str = "x.md") -> AgentDefinition:
    return parse_bytes(data, ROOT / name, ROOT)


def codes(d: AgentDefinition) -> set[str]:
    return {x.code for x in d.diagnostics}


def test_good_file_reads_every_field() -> None:
    d = parse(
        b"---\nname: l2-api\ndescription: Builds APIs\ntools: Read, Grep, Bash(git diff:*)\n"
        b"model: sonnet\npermissionMode: acceptEdits\nlevel: l2\ndomain: Backend\n"
        b"frameworks: [fastapi, django]\ncolor: blue\ncustom: kept\n---\n\n# Body\n"
    )
    assert d.name == "l2-api"
    assert d.description == "Builds APIs"
    assert d.tools == ("Read", "Grep", "Bash(git diff:*)")
    assert d.model == "sonnet"
    assert d.permission_mode == "acceptEdits"
    assert (d.level, d.level_inferred) == ("L2", False)
    assert (d.domain, d.domain_inferred) == ("backend", False)
    assert d.frameworks == ("fastapi", "django")
    assert d.color == "blue"
    assert d.extra["custom"] == "kept"
    assert d.body == "# Body\n"  # Claude Code eats the whitespace after the closing fence
    assert d.body_line == 14
    assert d.key_lines["tools"] == 4
    assert d.loads_in_claude_code and d.skip_reason is None
    assert d.diagnostics == ()


@pytest.mark.parametrize(
    ("tools_line", "expected"),
    [
        (None, None),  # absent: all tools
        ("tools:", ()),  # empty: no tools
        ("tools: []", ()),
        ('tools: ""', ()),
        ("tools: Read, Write", ("Read", "Write")),
        ("tools: Read Write Grep", ("Read", "Write", "Grep")),
        ("tools: [Read, Grep]", ("Read", "Grep")),
        ("tools:\n  - Read\n  - Bash(git *)", ("Read", "Bash(git *)")),
        ("tools: Agent(a, b), Read", ("Agent(a, b)", "Read")),
        ("tools: mcp__github__search, Read", ("mcp__github__search", "Read")),
    ],
)
def test_tools_shapes(tools_line: str | None, expected: tuple[str, ...] | None) -> None:
    fm = "name: a\ndescription: b\n" + (tools_line + "\n" if tools_line else "")
    d = parse(f"---\n{fm}---\nbody\n".encode())
    assert d.tools == expected
    assert d.loads_in_claude_code


def test_obsolete_and_typo_tools_warn_on_their_line() -> None:
    d = parse(b"---\nname: a\ndescription: b\ntools: MultiEdit, LS, Reed, Task\n---\nbody\n")
    by_code = {x.code: x for x in d.diagnostics}
    assert by_code["R030"].line == 4 and "obsolete" in by_code["R030"].message
    assert "did you mean `Read`" in by_code["R031"].message
    assert by_code["R032"].severity is Severity.INFO  # Task -> Agent
    assert d.loads_in_claude_code


@pytest.mark.parametrize(
    ("data", "code", "reason_part"),
    [
        (b"", "R001", "empty file"),
        (b"# Just markdown\n", "R001", "no frontmatter"),
        (b"---\nname: a\ndescription: b\n", "R002", "never closed"),
        (b"---\nname: a\ndescription: b\n...\nbody\n", "R024", "closed with `...`"),
        (b"---\n- a\n- b\n---\nbody\n", "R004", "is a list"),
        (b"---\njust text\n---\nbody\n", "R004", "is a str"),
        (b"---\ndescription: b\n---\nbody\n", "R010", "no `name`"),
        (b"---\nname: 404\ndescription: b\n---\nbody\n", "R011", "not text"),
        (b"---\nname: -x\ndescription: b\n---\nbody\n", "R012", "starts with `-`"),
        (b'---\nname: "a:b"\ndescription: b\n---\nbody\n', "R012", "contains `:`"),
        (b"---\nname: a\n---\nbody\n", "R013", "no `description`"),
        (b"---\nname: a\ndescription: b\nhooks: []\n---\nbody\n", "R042", "drops the whole agent"),
        (b"---\r---\rname: a\r", "R022", "CR-only"),
        (b"\xff\xfe" + "---\nname: a\ndescription: b\n---\n".encode("utf-16-le"), "R021", "UTF-16"),
        (b"\x00\x01\x02binary\x00garbage", "R081", "binary"),
    ],
)
def test_files_claude_code_skips_get_a_reason(data: bytes, code: str, reason_part: str) -> None:
    d = parse(data)
    assert not d.loads_in_claude_code
    assert code in codes(d)
    assert d.skip_reason is not None and reason_part in d.skip_reason
    diag = next(x for x in d.diagnostics if x.code == code)
    assert diag.severity is Severity.ERROR and diag.fix


def test_yaml_error_falls_back_like_claude_code_and_points_at_the_line() -> None:
    data = b"---\nname: triage\ndescription: Use when: the build breaks\ntools: Read\n---\nbody\n"
    d = parse(data)
    assert d.name == "triage"
    assert d.description == "Use when: the build breaks"
    assert d.tools == ("Read",)
    assert d.loads_in_claude_code
    yaml_diag = next(x for x in d.diagnostics if x.code == "R003")
    assert yaml_diag.severity is Severity.WARNING
    assert yaml_diag.line == 3  # the description line
    assert "quote" in yaml_diag.fix


def test_unclosed_flow_list_loads_as_the_text_the_retry_quoted() -> None:
    # Claude Code's retry quotes `[Read` and lists the tool `[Read` (probe C14)
    d = parse(b"---\nname: a\ndescription: b\ntools: [Read\n---\nbody\n")
    assert d.loads_in_claude_code
    assert d.tools == ("[Read",)
    assert any("[Read" in x.message for x in d.diagnostics)


def test_tab_indented_list_is_recovered_with_a_fix_about_tabs() -> None:
    d = parse(b"---\nname: t\ndescription: d\ntools:\n\t- Read\n\t- Grep\n---\nbody\n")
    assert d.loads_in_claude_code
    assert d.tools == ("Read", "Grep")
    assert "tabs" in next(x for x in d.diagnostics if x.code == "R003").fix


def test_yaml11_yes_name_is_text_like_claude_code() -> None:
    d = parse(b"---\nname: yes\ndescription: b\n---\nbody\n")
    assert d.name == "yes" and d.loads_in_claude_code
    assert "R044" in codes(d)


def test_hash_truncation_warns_with_the_cut_value() -> None:
    d = parse(b"---\nname: a\ndescription: Handles C# code #really\n---\nbody\n")
    diag = next(x for x in d.diagnostics if x.code == "R051")
    assert diag.line == 3
    assert "Handles C# code" in diag.message
    assert d.description == "Handles C# code"


def test_duplicate_keys_and_typos_and_bad_enums_warn() -> None:
    d = parse(
        b"---\nname: a\ndescription: one\ndescription: two\nTools: Read\n"
        b"permissionMode: acceptedits\nmodel: gpt-4\ncolor: magenta\nlevel: senior\n"
        b"maxTurns: many\n---\nbody\n"
    )
    got = codes(d)
    assert {"R050", "R040", "R041", "R070", "R043"} <= got
    assert d.description == "two"
    typo = next(x for x in d.diagnostics if x.code == "R040")
    assert "`tools`" in typo.message and typo.line == 5
    mode = next(x for x in d.diagnostics if x.code == "R041" and "permissionMode" in x.message)
    assert "acceptEdits" in mode.fix
    assert d.loads_in_claude_code  # warnings only


@pytest.mark.parametrize(
    ("prefix", "encoding"),
    [(b"\xef\xbb\xbf", "utf-8-sig"), (b"", "utf-8")],
)
def test_bom_and_crlf_load(prefix: bytes, encoding: str) -> None:
    d = parse(prefix + GOOD.replace(b"\n", b"\r\n"))
    assert d.name == "helper" and d.loads_in_claude_code
    assert d.encoding == encoding
    assert "\r" not in d.body


def test_latin1_warns_with_position_and_still_loads() -> None:
    d = parse(b"---\nname: a\ndescription: acad\xe9mic\n---\nbody\n")
    assert d.description == "académic"
    diag = next(x for x in d.diagnostics if x.code == "R020")
    assert (diag.line, diag.column) == (3, 18)
    assert d.loads_in_claude_code


def test_level_inference_is_marked() -> None:
    assert parse(b"---\nname: l3-runner\ndescription: b\n---\nx\n").level == "L3"
    d = parse(b"---\nname: release-orchestrator\ndescription: b\n---\nx\n")
    assert (d.level, d.level_inferred) == ("L1", True)
    d = parse(b"---\nname: helper\ndescription: b\n---\nx\n")
    assert (d.level, d.level_inferred) == (None, False)


def test_domain_from_category_then_folder() -> None:
    d = parse_bytes(
        b"---\nname: a\ndescription: b\ncategory: data-ai\n---\nx\n", ROOT / "x" / "a.md", ROOT
    )
    assert (d.domain, d.domain_inferred) == ("data ai", True)
    d = parse_bytes(
        b"---\nname: a\ndescription: b\n---\nx\n",
        ROOT / "categories" / "02-language-specialists" / "a.md",
        ROOT,
    )
    assert (d.domain, d.domain_inferred) == ("language specialists", True)
    d = parse_bytes(b"---\nname: a\ndescription: b\n---\nx\n", ROOT / "a.md", ROOT)
    assert (d.domain, d.domain_inferred) == ("general", True)


def test_empty_body_warns() -> None:
    d = parse(b"---\nname: a\ndescription: b\n---\n")
    assert "R071" in codes(d) and d.loads_in_claude_code


def test_unreadable_file_and_directory_named_md(tmp_path: Path) -> None:
    folder = tmp_path / "dir.md"
    folder.mkdir()
    d = parse_file(folder, tmp_path)
    assert "R080" in codes(d) and "directory" in (d.skip_reason or "")
    locked = tmp_path / "locked.md"
    locked.write_bytes(GOOD)
    locked.chmod(0)
    try:
        d = parse_file(locked, tmp_path)
        import os

        if os.geteuid() == 0:  # root reads anything; the verdict must still be right
            assert d.loads_in_claude_code
        else:
            assert "permission denied" in (d.skip_reason or "")
    finally:
        locked.chmod(0o644)
    missing = parse_file(tmp_path / "gone.md", tmp_path)
    assert "R080" in codes(missing)


def test_five_megabyte_file_is_read_but_claude_code_skips_it(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(GOOD + b"word " * (1024 * 1024))
    d = parse_file(big, tmp_path)
    assert d.name == "helper" and not d.loads_in_claude_code
    assert "R083" in codes(d) and "1 MiB" in (d.skip_reason or "")
    assert len(d.body) > 5_000_000
