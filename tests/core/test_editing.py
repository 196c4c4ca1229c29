"""The UI-free editing core: encodings, minimal spans, the session's save decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.editing import (
    EditSession,
    analyse,
    changed_span,
    decode_for_editing,
    encode_for_saving,
    frontmatter_problem,
    unified_diff,
)
from tui.core.storage import ConflictError, digest


@pytest.mark.parametrize(
    "data",
    [b"---\nname: a\n---\n", b"---\r\nname: a\r\n---\r\n", b"\xef\xbb\xbf---\nname: a\n---\n"],
)
def test_utf8_round_trips_byte_for_byte(data: bytes) -> None:
    decoded = decode_for_editing(data)
    assert encode_for_saving(decoded.text, decoded.encoding) == data


def test_latin1_is_detected_and_converted() -> None:
    decoded = decode_for_editing("café".encode("latin-1"))
    assert decoded.encoding == "latin-1" and decoded.text == "café"
    assert encode_for_saving(decoded.text, decoded.encoding) == "café".encode()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("abc", "aXc"),
        ("abc", "ac"),
        ("ac", "abc"),
        ("ab", "aX"),
        ("abc", "a"),
        ("a", "ab"),
        ("abc", "xyz"),
        ("", "a"),
        ("a", ""),
    ],
)
def test_changed_span_rebuilds_new(old: str, new: str) -> None:
    o, n = list(old), list(new)
    first, old_end, new_end = changed_span(o, n)
    assert o[:first] + n[first:new_end] + o[old_end:] == n


def test_session_conflict_then_over_then_deleted(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_bytes(b"---\nname: a\n---\nv1\n")
    session, _ = EditSession.open(f, tmp_path)
    f.write_bytes(b"theirs")
    with pytest.raises(ConflictError) as info:
        session.save("mine")
    assert f.read_bytes() == b"theirs"
    f.write_bytes(b"theirs again")
    with pytest.raises(ConflictError):
        session.save("mine", over=info.value.disk)  # they wrote again after we looked
    session.save("mine", over=b"theirs again")
    assert f.read_bytes() == b"mine" and session.hash == digest(b"mine")
    assert session.is_own_write(b"mine") and not session.is_dirty("mine")
    f.unlink()
    with pytest.raises(ConflictError) as gone:
        session.save("mine 2")
    assert gone.value.disk is None
    session.save("mine 2", create=True)
    assert f.read_bytes() == b"mine 2"


def test_frontmatter_problem_and_diff(tmp_path: Path) -> None:
    ok = analyse("---\nname: a\ndescription: d\n---\nbody\n", "utf-8", tmp_path / "a.md", tmp_path)
    assert frontmatter_problem(ok) is None
    broken = analyse("name: a\n---\nbody\n", "utf-8", tmp_path / "a.md", tmp_path)
    assert frontmatter_problem(broken) is not None
    diff = unified_diff("a\nb\n", "a\nc\n", tmp_path / "a.md")
    assert "-b" in diff and "+c" in diff
