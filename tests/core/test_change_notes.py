"""One notification per burst of outside changes, named the way a person would (issue 16.6)."""

from __future__ import annotations

from pathlib import Path

from tui.core.change_notes import Burst, describe

A, B, C = Path("/r/a.md"), Path("/r/b.md"), Path("/r/c.md")


def test_a_rename_is_one_rename_not_added_and_removed() -> None:
    assert describe({B: "beta"}, {}, {A: "alpha"}) == "renamed alpha → beta"
    assert describe({B: "same"}, {}, {A: "same"}) == "renamed a.md → b.md"


def test_small_changes_are_named_and_bulk_ones_counted_with_plurals() -> None:
    assert describe({}, {A: "alpha"}, {}) == "alpha changed"
    assert describe({}, {A: "alpha", B: "beta"}, {}) == "alpha, beta changed"
    many = {Path(f"/r/{i}.md"): f"n{i}" for i in range(12)}
    assert describe({}, many, {}) == "12 agents changed"
    mixed = describe({C: "gamma"}, {A: "alpha"}, {B: "beta"})
    assert mixed == "renamed beta → gamma; alpha changed"
    assert describe({C: "gamma"}, {A: "alpha", B: "beta"}, {}) == "3 agents changed"


def test_batches_of_one_burst_fold_into_one_line() -> None:
    burst = Burst()
    for i in range(3):  # a bulk sed arrives in three batches
        burst.fold({}, {Path(f"/r/{i}-{j}.md"): f"n{i}{j}" for j in range(4)}, {})
    assert burst.describe() == "12 agents changed"
    adds = Burst()
    adds.fold({Path(f"/r/{i}.md"): f"n{i}" for i in range(5)}, {}, {})
    assert adds.describe() == "5 agents added"
    atomic = Burst()  # an editor's atomic save: delete, then create, of one file
    atomic.fold({}, {}, {A: "alpha"})
    atomic.fold({A: "alpha"}, {}, {})
    assert atomic.describe() == "alpha changed"
