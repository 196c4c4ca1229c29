"""The remembered-view file (tui.core.ui_state) when it is not a plain file: never a hang at
start, never a crash, a note that names the file; the next change replaces it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tui.core.ui_state import UiState, read_state, remember


def _read_in_thread(path: Path) -> tuple[UiState, str | None] | None:
    """read_state in a thread: a FIFO opened for reading would block it for ever."""
    out: list[tuple[UiState, str | None]] = []
    thread = threading.Thread(target=lambda: out.append(read_state(path)), daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # unblock it (a writer opens and closes the FIFO) before failing
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
        return None
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_as_state_file_does_not_hang_the_start(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    os.mkfifo(path)
    result = _read_in_thread(path)
    assert result is not None, "read_state blocked on a FIFO"
    state, note = result
    assert state == UiState()
    assert note is not None and str(path) in note and "FIFO" in note


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_choosing_a_theme_replaces_a_fifo_state_file(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    os.mkfifo(path)
    done: list[str | None] = []
    thread = threading.Thread(target=lambda: done.append(remember(path, theme="nord")))
    thread.daemon = True
    thread.start()
    thread.join(10)
    if thread.is_alive():
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
        pytest.fail("remember blocked on a FIFO")
    assert done == [None]
    assert read_state(path) == (UiState(theme="nord"), None)


def test_a_directory_as_state_file_is_a_note(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    path.mkdir()
    state, note = read_state(path)
    assert state == UiState()
    assert note is not None and str(path) in note


def test_a_deeply_nested_state_file_is_a_note_not_a_crash(tmp_path: Path) -> None:
    # 60,000 `[` (under the 64 KiB cap): json raises RecursionError, not JSONDecodeError, and
    # the app's on_mount (restore_view) ended Roster with a traceback at every start
    path = tmp_path / "ui-state.json"
    path.write_text("[" * 60_000)
    state, note = read_state(path)
    assert state == UiState()
    assert note is not None and str(path) in note and "nested" in note
    assert remember(path, theme="nord") is None  # the next change replaces it
    assert read_state(path) == (UiState(theme="nord"), None)
