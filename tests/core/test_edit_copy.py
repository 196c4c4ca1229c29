"""Save a copy (the editor's way out of a read-only file): the copy overwrites only the file the
dialog showed. A file that changed at the destination after the dialog listed it is left alone
(it was overwritten unseen: the check read the destination again at write time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.edit_copy import copy_plans, write_copy
from tui.core.install import InstallPlan, Scope
from tui.core.parse import parse_bytes
from tui.core.storage import StorageError

MINE = b"---\nname: a\ndescription: mine\n---\nmy edits\n"


def plans_for(tmp_path: Path, there: bytes | None) -> tuple[InstallPlan, str, Path]:
    library = tmp_path / "library"
    library.mkdir()
    (library / "a.md").write_bytes(MINE)
    project = tmp_path / "proj"
    (project / ".git").mkdir(parents=True)
    agents = project / ".claude" / "agents"
    agents.mkdir(parents=True)
    if there is not None:
        (agents / "a.md").write_bytes(there)
    defn = parse_bytes(MINE, library / "a.md", library)
    plans, diffs = copy_plans(defn, MINE, project, tmp_path / "home")
    return plans[Scope.PROJECT], diffs[Scope.PROJECT], agents / "a.md"


def test_copy_overwrites_what_the_dialog_showed(tmp_path: Path) -> None:
    plan, diff, target = plans_for(tmp_path, b"---\nname: a\ndescription: old\n---\nold\n")
    assert "-old" in diff
    write_copy(plan, MINE)
    assert target.read_bytes() == MINE


def test_destination_changed_after_the_dialog_is_not_overwritten(tmp_path: Path) -> None:
    plan, _, target = plans_for(tmp_path, b"---\nname: a\ndescription: old\n---\nold\n")
    teammate = b"---\nname: a\ndescription: teammate\n---\nnew work\n"
    target.write_bytes(teammate)  # e.g. a git pull while the dialog was open
    with pytest.raises(StorageError, match="changed after the dialog"):
        write_copy(plan, MINE)
    assert target.read_bytes() == teammate


def test_identical_destination_changed_after_the_dialog_is_not_called_saved(
    tmp_path: Path,
) -> None:
    """The dialog said "already there"; if the file changed since, the editor must not go on
    as if the user's text were on disk (closing it would drop the edits)."""
    plan, _, target = plans_for(tmp_path, MINE)
    assert plan.identical
    target.write_bytes(b"---\nname: a\ndescription: other\n---\n")
    with pytest.raises(StorageError, match="changed after the dialog"):
        write_copy(plan, MINE)


def test_a_file_appearing_at_an_empty_destination_is_not_overwritten(tmp_path: Path) -> None:
    plan, _, target = plans_for(tmp_path, None)
    assert not plan.exists
    target.write_bytes(b"someone else's\n")
    with pytest.raises(StorageError, match="already exists"):
        write_copy(plan, MINE)
    assert target.read_bytes() == b"someone else's\n"
