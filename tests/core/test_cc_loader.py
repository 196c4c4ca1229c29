"""Claude Code's loader rules (DESIGN §2): fences, YAML 1.2, the one retry, the size limit, the
name checks, and what Roster says when a file loads in a surprising way."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tui.core.cc_loader import find_fence, retry_text
from tui.core.definition import AgentDefinition
from tui.core.parse import parse_bytes, parse_file

ROOT = Path("/agents")


def parse(data: bytes) -> AgentDefinition:
    return parse_bytes(data, ROOT / "x.md", ROOT)


def messages(d: AgentDefinition) -> str:
    return "\n".join(x.message for x in d.diagnostics)


def test_one_change_probes_agree_with_claude_code_on_verdict_name_description_tools(
    corpora: Path,
) -> None:
    probes = corpora / "cc_probes"
    with open(probes / "cc_probes.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 194
    wrong = []
    for row in rows:
        d = parse_file(probes / row["set"] / row["file"], probes)
        loaded = row["cc_loaded"] == "yes"
        got: tuple[object, ...] = (d.loads_in_claude_code,)
        want: tuple[object, ...] = (loaded,)
        if loaded:
            tools = "All tools" if d.tools is None else ", ".join(d.tools)
            got += (d.name, d.description, tools)
            want += (row["cc_name"], json.loads(row["cc_description"]), row["cc_tools"])
        else:
            assert d.skip_reason, row["file"]  # a skipped file always says why
        if got != want:
            wrong.append((row["file"], want, got))
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "closer_line"),
    [
        ("---\nname: a\n--------\nbody", 3),  # a long line of dashes
        ("---\nname: a\n  ---\nbody", 3),  # indented
        ("---\nname: a\ntools: Read---\nbody", 3),  # at the end of a value
        ("---\nname: a\ndescription: x --- y\n---\nbody", 3),  # inside a value
        ("---\r\nname: a\r\n---\r\nbody", 3),
    ],
)
def test_the_first_three_dashes_anywhere_close_the_frontmatter(text: str, closer_line: int) -> None:
    fence = find_fence(text)
    assert fence is not None
    assert text.count("\n", 0, fence.closer) + 1 == closer_line


@pytest.mark.parametrize(
    "text",
    ["----\nname: a\n---\n", "--- x\nname: a\n---\n", "\n---\nname: a\n---\n", " ---\na\n---\n"],
)
def test_an_opening_line_with_anything_but_whitespace_after_the_dashes_is_no_frontmatter(
    text: str,
) -> None:
    assert find_fence(text) is None
    assert "no frontmatter" in (parse(text.encode()).skip_reason or "")


def test_a_value_cut_by_dashes_says_which_keys_claude_code_loses() -> None:
    d = parse(b"---\nname: a\ndescription: alpha --- beta\ntools: Read\nmodel: sonnet\n---\nB\n")
    assert d.loads_in_claude_code and d.description == "alpha" and d.tools is None
    assert d.body.startswith("beta\ntools: Read")  # what Claude Code sends as the prompt
    note = next(x for x in d.diagnostics if x.code == "R025")
    assert note.line == 3
    assert "the `---` on line 3 ends the frontmatter" in note.message
    assert "`tools`, `model` below it are ignored" in note.message


def test_a_long_dash_closer_says_the_prompt_starts_with_the_leftover_dashes() -> None:
    d = parse(b"---\nname: a\ndescription: b\n" + b"-" * 56 + b"\nYou are.\n")
    assert d.loads_in_claude_code and d.body.startswith("-" * 53 + "\nYou are.")
    assert "the prompt starts with 53 dashes" in messages(d)


def test_a_plain_closer_line_gives_no_note() -> None:
    d = parse(b"---\nname: a\ndescription: b\n---\nYou are.\n")
    assert d.diagnostics == ()


def test_yaml_is_read_as_1_2_not_1_1() -> None:
    d = parse(b"---\nname: on\ndescription: 1:20\nlevel: 2024-01-01\n---\nb\n")
    assert d.loads_in_claude_code
    assert (d.name, d.description) == ("on", "1:20")
    assert parse(b"---\nname: true\ndescription: d\n---\nb\n").loads_in_claude_code is False
    assert parse(b"---\nname: 404\ndescription: d\n---\nb\n").loads_in_claude_code is False
    tagged = parse(b"---\nname: &n a\ndescription: !weird text\n---\nb\n")
    assert (tagged.name, tagged.description) == ("a", "text")


def test_the_retry_quotes_key_value_lines_and_escapes_what_it_quotes() -> None:
    text, quoted = retry_text('name: a\ndescription: say "hi": now \\ ok\ntools: Read\n')
    assert text.split("\n")[1] == r'description: "say \"hi\": now \\ ok"'
    assert quoted == [1]
    # a list that parses, a value in quotes at both ends, and plain text are left alone
    same = "tools: [Read, Grep]\ncolor: 'x' y 'z'\nmodel: sonnet\n"
    assert retry_text(same) == (same, [])
    assert retry_text("tools:\n\t- Read\n")[0] == "tools:\n  - Read\n"


def test_a_description_with_example_lines_keeps_only_its_first_line_and_says_so() -> None:
    d = parse(
        b"---\nname: a\ndescription: Use it when x. Examples: Context: y\n"
        b'user: "hi"\nassistant: "ho"\ntools: Read\n---\nbody\n'
    )
    assert d.loads_in_claude_code and d.description == "Use it when x. Examples: Context: y"
    note = next(x for x in d.diagnostics if x.code == "R027")
    assert "Claude Code keeps only the first line of this description" in note.message
    assert "`user:`, `assistant:`" in note.message


def test_a_line_the_retry_cannot_read_skips_the_file_with_both_errors_named() -> None:
    d = parse(b"---\nname: a\ndescription: Use: x\n<commentary>\n---\nbody\n")
    assert not d.loads_in_claude_code
    assert d.name == "a"  # still shown, read from its lines
    assert "retry" in (d.skip_reason or "") and "skips this file" in (d.skip_reason or "")


def test_crlf_stops_the_retry_from_quoting() -> None:
    d = parse(b"---\r\nname: a\r\ndescription: Use: x\r\n---\r\nbody\r\n")
    assert not d.loads_in_claude_code
    assert parse(b"---\r\nname: a\r\ndescription: Use x\r\n---\r\nbody\r\n").loads_in_claude_code


@pytest.mark.parametrize(
    ("name", "loads"),
    [
        (b"a" * 256, True),
        (b"a" * 257, False),
        (b'" spaced "', True),
        (b"-lead", False),
        (b'"a:b"', False),
        ("a\uff1ab".encode(), False),  # full-width colon, a `:` after NFKC
    ],
)
def test_name_rules(name: bytes, loads: bool) -> None:
    d = parse(b"---\nname: " + name + b"\ndescription: d\n---\nb\n")
    assert d.loads_in_claude_code is loads
    if loads:
        assert d.name == name.decode().strip('"')  # never trimmed


def test_a_whitespace_description_loads_and_a_literal_backslash_n_is_a_newline() -> None:
    assert parse(b'---\nname: a\ndescription: "   "\n---\nb\n').loads_in_claude_code
    d = parse(b"---\nname: a\ndescription: one\\ntwo\n---\nb\n")
    assert d.description == "one\ntwo"


def test_claude_code_skips_a_file_over_one_mebibyte(tmp_path: Path) -> None:
    head = b"---\nname: a\ndescription: d\n---\n"
    exact = tmp_path / "exact.md"
    exact.write_bytes(head + b"x" * (1024 * 1024 - len(head)))
    over = tmp_path / "over.md"
    over.write_bytes(head + b"x" * (1024 * 1024 - len(head) + 1))
    assert parse_file(exact, tmp_path).loads_in_claude_code
    d = parse_file(over, tmp_path)
    assert not d.loads_in_claude_code and "1 MiB" in (d.skip_reason or "")


def test_a_separate_key_after_a_retried_description_is_not_called_a_cut_description() -> None:
    d = parse(b"---\nname: a\ndescription: Use: x\nmeta: [unclosed\n---\nbody\n")
    assert d.loads_in_claude_code and "R027" not in [x.code for x in d.diagnostics]


@pytest.mark.parametrize(
    ("frontmatter", "name", "description"),
    [
        # measured with the real CLI (2.1.332) through ../shared/tools/cc_probe.py
        ("base: &b {name: merged, description: from merge}\n<<: *b\n", "merged", "from merge"),
        ("name: merge2\n<<: {description: from merge}\n", "merge2", "from merge"),
        ("name: ctrl\ndescription: a\x07b\x1bc\n", "ctrl", "a\x07b\x1bc"),
        ("name: c1\ndescription: a\x85b\n", "c1", "a\x85b"),
        ("name: nel\ndescription: a\x85b: c\n", "nel", "a\x85b: c"),
        ("name: ls\ndescription: a\u2028b\n", "ls", "a\u2028b"),
    ],
    ids=["merge-key", "merge-flow", "c0", "c1", "nel-not-a-break", "ls-in-value"],
)
def test_yaml_that_bun_reads_and_libyaml_did_not(
    frontmatter: str, name: str, description: str
) -> None:
    d = parse_bytes(f"---\n{frontmatter}---\nbody\n".encode(), Path("/a/x.md"), Path("/a"))
    assert d.loads_in_claude_code, [x.message for x in d.diagnostics]
    assert (d.name, d.description) == (name, description)


def test_a_line_separator_before_a_colon_is_skipped_like_claude_code() -> None:
    """`description: a<LS>b: c` fails in Bun and its retry skips the line (JavaScript's `.`
    does not match LS): Claude Code skips the file (measured); libyaml read a new key `b`."""
    text = "---\nname: ls\ndescription: a\u2028b: c\n---\nbody\n"
    d = parse_bytes(text.encode(), Path("/a/x.md"), Path("/a"))
    assert not d.loads_in_claude_code
