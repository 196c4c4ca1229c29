"""A hostile repository's .gitignore: a FIFO (opening it blocked the Glob thread forever), a
symlink to a device or to another file (git does not follow in-tree .gitignore symlinks), a
binary file, and a file of a million patterns (every path paid for each one)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from tui.core.ignore import MAX_PATTERNS, GitIgnore


def make_repo(root: Path) -> Path:
    (root / ".git").mkdir(parents=True)
    (root / "a.txt").write_text("a")
    return root


def test_a_fifo_gitignore_is_not_opened(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    fifo = root / ".gitignore"
    os.mkfifo(fifo)
    done = threading.Event()

    def writer() -> None:  # feeds `*.txt` to whoever opens the FIFO for reading
        while not done.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader yet
                done.wait(0.01)
                continue
            os.write(fd, b"*.txt\n")
            os.close(fd)
            return

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        assert not GitIgnore(root).ignored(root / "a.txt")
    finally:
        done.set()
        thread.join()


def test_symlinked_and_binary_gitignores_are_not_read(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "rules").write_text("*.txt\n")
    (root / ".gitignore").symlink_to("rules")
    assert not GitIgnore(root).ignored(root / "a.txt")
    (root / ".gitignore").unlink()
    (root / ".gitignore").write_bytes(b"*.txt\n\x00\x01\x02" * 10)
    assert not GitIgnore(root).ignored(root / "a.txt")
    (root / ".gitignore").write_bytes(b"*.txt\n")  # (the same pattern as text does apply)
    assert GitIgnore(root).ignored(root / "a.txt")


def test_only_the_first_patterns_of_a_huge_gitignore_count(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r")
    (root / "b.log").write_text("b")
    filler = "".join(f"nothing-{i}\n" for i in range(MAX_PATTERNS - 1))
    (root / ".gitignore").write_text(f"*.txt\n{filler}*.log\n" + "x" * 100_000 + "\n")
    ignore = GitIgnore(root)
    assert ignore.ignored(root / "a.txt")  # pattern 1 applies
    assert not ignore.ignored(root / "b.log")  # pattern MAX_PATTERNS + 1 does not
    spec = ignore._spec(root)
    assert spec is not None and len(spec.patterns) == MAX_PATTERNS
