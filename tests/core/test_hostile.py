"""Definition folders are untrusted input (DESIGN §3): control characters stay visible, special
files are never opened, YAML cannot expand without bound, messages and output stay bounded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.catalog import BOMB
from tui.core.catalog import Catalog
from tui.core.parse import parse_bytes, parse_file
from tui.core.roots import Root, RootKind, root_problems
from tui.core.sanitize import quote_value, visible

ROOT = Path("/agents")


# 494 bytes of YAML whose aliases expand to 10^9 values
def test_visible_escapes_c0_c1_and_del_but_keeps_newlines_and_tabs() -> None:
    raw = "a\x1b[2Jb\tc\nd\x07\x7f\x9b\x85e\x00"
    assert visible(raw) == "a\\x1b[2Jb\tc\nd\\x07\\x7f\\x9b\\x85e\\x00"
    assert visible("plain ünïcode → text") == "plain ünïcode → text"
    assert "\x1b" not in visible("\x1b]52;c;ZXZpbA==\x07")  # OSC 52 (clipboard write)


def test_a_quoted_value_is_one_visible_line_of_at_most_120_characters() -> None:
    q = quote_value("x\n" * 1000)
    assert len(q) <= 120 and "\n" not in q and q.endswith("…")


def test_a_fifo_is_listed_as_not_a_regular_file_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.md")  # opening it for reading would block forever
    (tmp_path / "ok.md").write_text("---\nname: ok\ndescription: d\n---\nb\n")
    catalog = Catalog([Root(tmp_path, RootKind.EXTRA, 0)])
    catalog.scan(workers=1)
    fifo = catalog.get(tmp_path / "x.md")
    assert fifo is not None and not fifo.loads_in_claude_code
    assert "not a regular file (a FIFO (named pipe))" in (fifo.skip_reason or "")
    assert [d.name for d in catalog.agents()] == ["ok"]


def test_a_yaml_alias_bomb_is_an_error_not_a_billion_values() -> None:
    assert len(BOMB.encode()) < 520
    d = parse_bytes(BOMB.encode(), ROOT / "bomb.md", ROOT)
    assert not d.loads_in_claude_code
    bomb = next(x for x in d.diagnostics if x.code == "R085")
    assert "aliases expand to more than 100,000 values" in bomb.message
    assert "i" not in d.frontmatter or not isinstance(d.frontmatter["i"], list)


def test_a_self_referring_alias_is_read_without_recursing() -> None:
    """Claude Code 2.1.332 loads `x: &a [1, *a]` (measured with cc_probe): Roster does too,
    keeping a null where the value refers to itself, so nothing downstream can recurse."""
    d = parse_bytes(b"---\nname: a\ndescription: d\nx: &a [1, *a]\n---\nb\n", ROOT / "c.md", ROOT)
    assert d.loads_in_claude_code and d.frontmatter["x"] == [1, None]
    m = parse_bytes(
        b"---\nname: &n a\ndescription: d\nm: &m {k: *m, n: *n}\n---\n", ROOT / "m.md", ROOT
    )
    assert m.loads_in_claude_code and m.frontmatter["m"] == {"k": None, "n": "a"}


def test_a_seven_megabyte_frontmatter_is_not_yaml_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(
        b"---\nname: huge\ndescription: " + b"word: " * (7 * 1024 * 1024 // 6) + b"\n---\nbody\n"
    )
    d = parse_file(path, tmp_path)
    assert not d.loads_in_claude_code and "1 MiB" in (d.skip_reason or "")
    codes = [x.code for x in d.diagnostics]
    assert "R085" in codes  # "the frontmatter is 7168 KB; ... not read"
    assert all(len(x.message) <= 400 for x in d.diagnostics)


def test_a_frontmatter_over_the_limit_in_a_small_file_is_an_error_too() -> None:
    data = b"---\nname: a\ndescription: " + b"x" * 300_000 + b"\n---\nb\n"
    d = parse_bytes(data, ROOT / "a.md", ROOT)
    assert any(x.code == "R085" and "not read" in x.message for x in d.diagnostics)


def test_every_message_quotes_at_most_a_bounded_part_of_a_value() -> None:
    long = "z" * 5000
    d = parse_bytes(
        f"---\nname: a\ndescription: d\nmodel: {long}\ncolor: {long}\nmaxTurns: {long}\n"
        f"tools: {long}\n---\nb\n".encode(),
        ROOT / "a.md",
        ROOT,
    )
    assert len(d.diagnostics) >= 3
    assert all(len(x.message) <= 400 and len(x.fix) <= 400 for x in d.diagnostics)


def test_control_characters_in_a_file_never_reach_a_message_raw() -> None:
    d = parse_bytes(
        b"---\nname: a\x1b[2J\ndescription: d\nmodel: \x1b]52;c;eA==\x07\n---\nb\n",
        ROOT / "a.md",
        ROOT,
    )
    assert d.diagnostics
    for x in d.diagnostics:
        assert "\x1b" not in x.message and "\x07" not in x.message


def test_duplicate_names_give_one_diagnostic_per_file(tmp_path: Path) -> None:
    n = 300
    for i in range(n):
        (tmp_path / f"a{i:03d}.md").write_text("---\nname: same\ndescription: d\n---\nb\n")
    catalog = Catalog([Root(tmp_path, RootKind.EXTRA, 0)])
    catalog.scan(workers=1)
    per_file = [catalog.diagnostics_for(d) for d in catalog.definitions()]
    assert all(len(ds) == 1 for ds in per_file)  # not 299 each
    assert "and 296 more" in per_file[0][0].message


def test_roots_that_do_not_exist_are_named(tmp_path: Path) -> None:
    (tmp_path / "file.md").write_text("x")
    problems = root_problems([tmp_path / "typo"], [tmp_path / "file.md", tmp_path])
    assert problems == [
        f"--agents-dir {tmp_path / 'typo'} does not exist",
        f"config `roots` entry {tmp_path / 'file.md'} is not a folder",
    ]


@pytest.mark.parametrize("kind", ["socket"])
def test_a_socket_is_not_opened(tmp_path: Path, kind: str) -> None:
    import socket

    path = tmp_path / "s.md"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        d = parse_file(path, tmp_path)
    assert "not a regular file (a socket)" in (d.skip_reason or "")


def test_the_editor_refuses_a_fifo_and_still_reads_a_big_file_whole(tmp_path: Path) -> None:
    from tui.core.storage import StorageError, read_snapshot

    os.mkfifo(tmp_path / "x.md")
    with pytest.raises(StorageError, match="not a regular file"):
        read_snapshot(tmp_path / "x.md")
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * (9 * 1024 * 1024))
    assert len(read_snapshot(big).data) == 9 * 1024 * 1024  # nothing lost on a later save
