from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.dir_complete import complete_dir


def test_completes_folders_only_and_keeps_what_was_typed(tmp_path: Path) -> None:
    (tmp_path / "projects").mkdir()
    (tmp_path / "profile.txt").write_text("x")
    (tmp_path / ".private").mkdir()
    base = str(tmp_path)
    assert complete_dir(base + "/pro") == base + "/projects/"
    assert complete_dir(base + "/projects") == base + "/projects/"
    assert complete_dir(base + "/prof") is None  # a file is not a working folder
    assert complete_dir(base + "/") == base + "/projects/"  # hidden ones are not offered
    assert complete_dir(base + "/.pr") == base + "/.private/"
    assert complete_dir(base + "/missing/x") is None
    assert complete_dir("") is None


def test_tilde_stays_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "work").mkdir()
    assert complete_dir("~/wo") == "~/work/"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_folder_gives_no_suggestion(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    (locked / "inside").mkdir(parents=True)
    locked.chmod(0)
    try:
        assert complete_dir(str(locked) + "/in") is None
    finally:
        locked.chmod(0o755)
