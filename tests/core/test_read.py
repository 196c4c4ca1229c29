"""parse_file reads with plain os calls: whole files, capped ones, and files without a size."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.parse import MAX_BYTES, content_hash, parse_file

GOOD = b"---\nname: helper\ndescription: Helps\n---\n\nYou help.\n"


def test_a_file_over_the_cap_is_listed_not_parsed(tmp_path: Path) -> None:
    big = tmp_path / "huge.md"
    big.write_bytes(GOOD + b"x" * MAX_BYTES)
    d = parse_file(big, tmp_path)
    assert d.skip_reason is not None and "larger than 8 MB" in d.skip_reason
    assert [x.code for x in d.diagnostics] == ["R082"]
    assert d.content_hash == content_hash(big.read_bytes()[:4096])


def test_a_file_of_exactly_the_cap_is_parsed(tmp_path: Path) -> None:
    edge = tmp_path / "edge.md"
    edge.write_bytes(GOOD + b"y" * (MAX_BYTES - len(GOOD)))
    d = parse_file(edge, tmp_path)
    assert d.name == "helper" and "R082" not in [x.code for x in d.diagnostics]
    assert d.content_hash == content_hash(edge.read_bytes())


def test_a_file_that_reports_no_size_is_read_to_the_end(tmp_path: Path) -> None:
    proc = Path("/proc/self/status")  # st_size 0, yet it has content
    if not proc.exists():
        pytest.skip("no /proc")
    link = tmp_path / "status.md"
    link.symlink_to(proc)
    d = parse_file(link, tmp_path)
    assert "Name:" in d.body and len(d.body) > 100
