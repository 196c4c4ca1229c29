"""The one set of name rules (tui.core.names): Claude Code's hard rules are errors, its
convention (lowercase letters, digits and hyphens) a note with the suggested slug."""

from __future__ import annotations

import pytest

from tests.helpers.names import NAME_TABLE
from tui.core.names import NameLevel, hard_problem, name_verdict, slug


@pytest.mark.parametrize(("name", "level", "suggested"), NAME_TABLE)
def test_name_table(name: str, level: NameLevel | None, suggested: str) -> None:
    verdict = name_verdict(name)
    assert (verdict.level if verdict else None) is level
    assert slug(name) == suggested
    if verdict is not None and not verdict.is_error:
        assert f"`{suggested}`" in verdict.sentence()


def test_claude_code_limits_measured_by_the_probes() -> None:
    # cc_probes E02/E03: 256 characters load, 257 do not; D21 leading dash; D23 full-width colon
    assert hard_problem("p" * 256) is None
    assert hard_problem("p" * 257) == "is 257 characters long (at most 256)"
    assert hard_problem("-x") == "starts with `-`"
    assert hard_problem("a\uff1ab") == "contains `:`"
    # D22 spaces and E04 surrounding spaces load (not trimmed): a note, not an error
    verdict = name_verdict(" pe04 ")
    assert verdict is not None and verdict.level is NameLevel.INFO


def test_an_error_sentence_names_the_fix() -> None:
    verdict = name_verdict("-api")
    assert verdict is not None
    assert verdict.sentence() == "Claude Code would skip it: the name starts with `-`; use `api`."
    empty = name_verdict("")
    assert empty is not None and "the name is missing" in empty.sentence()


def test_the_suggestion_is_what_the_fix_says() -> None:
    colon = name_verdict("Team:Api")
    assert colon is not None and colon.is_error
    assert colon.slug == "Team-Api" and colon.fix == "use `Team-Api`"
    wide = name_verdict("a\uff1ab")  # the full-width colon too
    assert wide is not None and wide.slug == "a-b"
    assert name_verdict(colon.slug) is not None  # still a note: not the convention
