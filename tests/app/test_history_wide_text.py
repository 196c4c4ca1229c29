"""The history table with wide characters: a CJK agent name, task or folder counted by
characters (not terminal cells) overflowed its column, so the agent's name wrapped onto the
task's line and the task vanished. Every line of every cell now fits its column in cells."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from tui.core.session.store import SessionStore
from tui.screens.history import COLUMNS, clip, history_cells


def test_wide_text_fits_its_columns_and_the_task_stays_visible(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "history.sqlite3")
    try:
        store.create_session(
            definition_name="日本語エージェント名前" * 3,
            definition_path="/x.md",
            definition_sha256="0",
            model="m",
            cwd="/tmp/" + "深" * 60,
            mode="default",
            title="タイトル" * 30,
        )
        (row,) = store.list_sessions()
    finally:
        store.close()
    cells = history_cells(row, "")
    for cell, (label, width) in zip(cells, COLUMNS, strict=True):
        for line in cell.plain.splitlines():
            assert cell_len(line) <= width, (label, line)
    agent, task = cells[2].plain.splitlines()
    assert agent.startswith("日本語") and agent.endswith("…")
    assert task.startswith("タイトル") and task.endswith("…")
    assert cells[3].plain.startswith("…") and cells[3].plain.endswith("深")


def test_clip_keeps_ascii_as_before() -> None:
    assert clip("abcdef", 6) == "abcdef"
    assert clip("abcdefg", 6) == "abcde…"
    assert clip("/a/b/c/d", 5, left=True) == "…/c/d"
