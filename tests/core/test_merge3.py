"""The editor's three-way merge (tui/core/merge3.py): examples and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.merge3 import merge3

BASE = "---\nname: a\ndescription: d\n---\n\none\ntwo\nthree\nfour\nfive\n"


def test_separate_edits_merge() -> None:
    mine = BASE.replace("one", "ONE")
    theirs = BASE.replace("five", "FIVE")
    result = merge3(BASE, mine, theirs)
    assert result.clean
    assert result.text == BASE.replace("one", "ONE").replace("five", "FIVE")


def test_insertions_at_both_ends_merge() -> None:
    result = merge3(BASE, "# top\n" + BASE, BASE + "bottom\n")
    assert result.text == "# top\n" + BASE + "bottom\n"


def test_same_line_changed_differently_is_a_conflict_with_its_lines() -> None:
    result = merge3(BASE, BASE.replace("three", "3"), BASE.replace("three", "III"))
    assert not result.clean and result.text is None
    assert result.conflicts == ((8, 8),)
    assert "line 8" in result.reason


def test_adjacent_lines_are_a_conflict() -> None:
    result = merge3(BASE, BASE.replace("two", "2"), BASE.replace("three", "3"))
    assert not result.clean and "lines 7-8" in result.reason


def test_one_side_unchanged_takes_the_other() -> None:
    mine = BASE.replace("two", "2")
    assert merge3(BASE, mine, BASE).text == mine
    assert merge3(BASE, BASE, mine).text == mine


_line = st.text(alphabet="abc \n", max_size=6).map(lambda s: s.replace("\n", "") + "\n")
_texts = st.lists(_line, max_size=12).map("".join)


@settings(max_examples=200, deadline=None)
@given(base=_texts, edit=_texts)
def test_identical_edits_merge_cleanly(base: str, edit: str) -> None:
    assert merge3(base, edit, edit).text == edit


@settings(max_examples=200, deadline=None)
@given(base=_texts, a=_texts, b=_texts)
def test_merge_is_symmetric_when_clean(base: str, a: str, b: str) -> None:
    one, two = merge3(base, a, b), merge3(base, b, a)
    assert one.clean == two.clean
    assert one.text == two.text


@st.composite
def _separate_edits(draw: st.DrawFn) -> tuple[list[str], tuple[int, int], tuple[int, int]]:
    n = draw(st.integers(min_value=3, max_value=30))
    base = [f"base line {i}\n" for i in range(n)]
    a1 = draw(st.integers(min_value=0, max_value=n - 3))
    a2 = draw(st.integers(min_value=a1, max_value=n - 2))
    b1 = draw(st.integers(min_value=a2 + 1, max_value=n))  # at least one untouched line between
    b2 = draw(st.integers(min_value=b1, max_value=n))
    return base, (a1, a2), (b1, b2)


@settings(max_examples=300, deadline=None)
@given(
    edits=_separate_edits(),
    mine_new=st.lists(st.integers(0, 99), max_size=4),
    theirs_new=st.lists(st.integers(0, 99), max_size=4),
    swap=st.booleans(),
)
def test_non_overlapping_edits_always_merge_to_both(
    edits: tuple[list[str], tuple[int, int], tuple[int, int]],
    mine_new: list[int],
    theirs_new: list[int],
    swap: bool,
) -> None:
    base, (a1, a2), (b1, b2) = edits
    ins_a = [f"mine {k}\n" for k in mine_new]
    ins_b = [f"theirs {k}\n" for k in theirs_new]
    if (a1 == a2 and not ins_a) or (b1 == b2 and not ins_b):
        return  # an empty edit is no edit
    mine = base[:a1] + ins_a + base[a2:]
    theirs = base[:b1] + ins_b + base[b2:]
    expected = "".join(base[:a1] + ins_a + base[a2:b1] + ins_b + base[b2:])
    if swap:
        mine, theirs = theirs, mine
    result = merge3("".join(base), "".join(mine), "".join(theirs))
    assert result.clean, result.reason
    assert result.text == expected
    for line in ins_a + ins_b:
        assert line in (result.text or "")


@settings(max_examples=300, deadline=None)
@given(a=_texts, b=_texts)
def test_line_changes_turn_one_text_into_the_other(a: str, b: str) -> None:
    from tui.core.merge3 import _changes

    la, lb = a.splitlines(keepends=True), b.splitlines(keepends=True)
    out: list[str] = []
    at_a = at_b = 0
    for i1, i2, j1, j2 in _changes(la, lb):
        assert i1 >= at_a and la[at_a:i1] == lb[at_b:j1]  # what is skipped is equal
        out += la[at_a:i1] + lb[j1:j2]
        at_a, at_b = i2, j2
    assert la[at_a:] == lb[at_b:]
    assert "".join(out + la[at_a:]) == b


def test_repetitive_text_never_reaches_difflib_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Merge cost is bounded: 1,000 alternating lines took 10 s on the event loop (difflib's
    worst case on repeated lines), 20,000 did not finish. Only small regions go to difflib
    now; the rest is trimmed and anchored on unique lines."""
    import difflib

    from tui.core import merge3 as m

    sizes: list[int] = []
    real = difflib.SequenceMatcher

    def recording(isjunk: None, a: list[str], b: list[str], autojunk: bool = True) -> object:
        sizes.append(len(a) * len(b))
        assert len(a) * len(b) <= 4_096, "a big region went to difflib"  # fails at once
        return real(isjunk, a, b, autojunk=autojunk)

    monkeypatch.setattr(m.difflib, "SequenceMatcher", recording)
    n = 20_000
    base = "".join("x\n" if i % 2 else "y\n" for i in range(n))
    mine = "".join("x\n" if i % 3 else "y\n" for i in range(n))
    theirs = base.replace("y\n", "z\n", 10)
    result = merge3(base, mine, theirs)
    assert not result.clean and "both versions change" in result.reason
    assert all(size <= m.SMALL_REGION for size in sizes)
    # Separate edits in a long text with many repeated (blank) lines still merge.
    base = "".join(f"line {k}\n" if k % 3 else "\n" for k in range(n))
    lines = base.splitlines(keepends=True)
    mine_l, theirs_l = list(lines), list(lines)
    mine_l[10] = "mine\n"
    theirs_l[n - 10] = "theirs\n"
    result = merge3(base, "".join(mine_l), "".join(theirs_l))
    expected = [*lines[:10], "mine\n", *lines[11 : n - 10], "theirs\n", *lines[n - 9 :]]
    assert result.text == "".join(expected)
    assert all(size <= m.SMALL_REGION for size in sizes)


def test_both_sides_adding_the_same_key_in_different_places_is_a_conflict() -> None:
    """A clean text merge, but `model` twice: Claude Code keeps the last one, so one side's
    choice was dropped without a word."""
    from tui.core.merge3 import merge_definition

    base = "---\nname: a\ndescription: d\n---\n\nbody\n"
    mine = "---\nname: a\nmodel: sonnet\ndescription: d\n---\n\nbody\n"
    theirs = "---\nname: a\ndescription: d\nmodel: opus\n---\n\nbody\n"
    assert merge3(base, mine, theirs).clean  # as text it merges
    result = merge_definition(base, mine, theirs)
    assert not result.clean and "`model`" in result.reason
    # different keys still merge
    other = "---\nname: a\ndescription: d\ncolor: red\n---\n\nbody\n"
    assert merge_definition(base, mine, other).clean
