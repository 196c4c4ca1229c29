"""Atomic saves, conflict detection, and the trash, on real files."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from tui.core import storage
from tui.core.storage import ConflictError, StorageError, atomic_write, read_snapshot


def test_atomic_write_keeps_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    f.chmod(0o640)
    snap = read_snapshot(f)
    new_hash = atomic_write(f, b"new", expected_hash=snap.hash)
    assert f.read_bytes() == b"new" and new_hash == storage.digest(b"new")
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_conflict_when_disk_changed_and_when_deleted(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_bytes(b"v1")
    snap = read_snapshot(f)
    f.write_bytes(b"someone else")
    with pytest.raises(ConflictError) as info:
        atomic_write(f, b"mine", expected_hash=snap.hash)
    assert info.value.disk == b"someone else"
    assert f.read_bytes() == b"someone else"
    f.unlink()
    with pytest.raises(ConflictError) as info:
        atomic_write(f, b"mine", expected_hash=snap.hash)
    assert info.value.disk is None and not f.exists()


def test_read_only_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    f = tmp_path / "ro.md"
    f.write_bytes(b"x")
    f.chmod(0o444)
    with pytest.raises(StorageError, match="read-only"):
        atomic_write(f, b"y")
    assert f.read_bytes() == b"x"


def test_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    f = folder / "a.md"
    f.write_bytes(b"x")
    if os.geteuid() == 0:
        # root writes into 0555 folders; make the temp-file creation fail the way it does
        # for everyone else
        def denied(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(storage.tempfile, "mkstemp", denied)
    folder.chmod(0o555)
    try:
        with pytest.raises(StorageError, match="read-only"):
            atomic_write(f, b"y")
        assert f.read_bytes() == b"x"
    finally:
        folder.chmod(0o755)


def test_disk_full_leaves_original_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "a.md"
    f.write_bytes(b"original")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", full)
    with pytest.raises(StorageError, match="disk is full"):
        atomic_write(f, b"new content")
    assert f.read_bytes() == b"original"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_file_replaced_by_directory(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.mkdir()
    with pytest.raises(StorageError, match="folder"):
        atomic_write(f, b"x")


def test_create_refuses_existing(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_bytes(b"x")
    with pytest.raises(StorageError, match="already exists"):
        atomic_write(f, b"y", create=True)


def test_trash_round_trip_and_restore_beside_a_taken_name(tmp_path: Path) -> None:
    data = tmp_path / "data"
    f = tmp_path / "a.md"
    f.write_bytes(b"agent")
    entry = storage.move_to_trash(f, data)
    assert not f.exists()
    listed = storage.list_trash(data)
    assert [e.original for e in listed] == [f]
    f.write_bytes(b"a new one took the name")
    restored = storage.restore_from_trash(listed[0])
    assert restored != f and restored.read_bytes() == b"agent"
    assert f.read_bytes() == b"a new one took the name"
    assert storage.list_trash(data) == []
    assert entry.original == f


def test_writer_that_lands_during_the_save_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program saves while ours is writing its temp file: the hash is checked again
    right before the rename, so theirs survives and ours reports a conflict."""
    f = tmp_path / "a.md"
    f.write_bytes(b"v1")
    snap = read_snapshot(f)
    real_fsync = os.fsync
    calls = {"n": 0}

    def fsync_then_other_writer(fd: int) -> None:
        real_fsync(fd)
        calls["n"] += 1
        if calls["n"] == 1:  # our temp file is written; now the other program saves
            f.write_bytes(b"theirs")

    monkeypatch.setattr(storage.os, "fsync", fsync_then_other_writer)
    with pytest.raises(ConflictError) as info:
        atomic_write(f, b"mine", expected_hash=snap.hash)
    assert info.value.disk == b"theirs" and f.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temp file left behind


def test_create_refuses_a_file_that_appears_during_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "new.md"
    real_fsync = os.fsync

    def fsync_then_other_creates(fd: int) -> None:
        real_fsync(fd)
        if not f.exists():
            f.write_bytes(b"theirs")

    monkeypatch.setattr(storage.os, "fsync", fsync_then_other_creates)
    with pytest.raises(StorageError, match="already exists"):
        atomic_write(f, b"mine", create=True)
    assert f.read_bytes() == b"theirs" and [p.name for p in tmp_path.iterdir()] == ["new.md"]


def test_trash_failure_leaves_the_file_and_no_phantom_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    f = tmp_path / "a.md"
    f.write_bytes(b"agent")
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self == f:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(StorageError, match="read-only") as info:
        storage.move_to_trash(f, data)
    assert str(f) in str(info.value) and "writable" in str(info.value)
    assert f.read_bytes() == b"agent"
    assert storage.list_trash(data) == [] and list((data / "trash").iterdir()) == []


def test_restore_into_a_read_only_folder_keeps_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "agents"
    folder.mkdir()
    f = folder / "a.md"
    f.write_bytes(b"agent")
    entry = storage.move_to_trash(f, data)
    real_access = os.access
    monkeypatch.setattr(
        storage.os, "access", lambda p, m: False if Path(p) == folder else real_access(p, m)
    )
    with pytest.raises(StorageError, match="read-only") as info:
        storage.restore_from_trash(entry)
    assert "a.md" in str(info.value) and "stays in the trash" in str(info.value)
    assert not f.exists() and [e.stored for e in storage.list_trash(data)] == [entry.stored]


def test_save_through_a_symlink_updates_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    """Agents kept in a dotfiles folder and linked into .claude/agents: a save writes the
    linked file and the link stays a link (it was replaced by a regular file, so the dotfiles
    copy silently stopped receiving edits)."""
    from tui.core.edit_copy import write_problem
    from tui.core.editing import EditSession

    dot = tmp_path / "dotfiles"
    dot.mkdir()
    real = dot / "a.md"
    real.write_text("---\nname: a\ndescription: d\n---\nbody\n", encoding="utf-8")
    agents = tmp_path / "proj" / ".claude" / "agents"
    agents.mkdir(parents=True)
    link = agents / "a.md"
    link.symlink_to(Path("../../../dotfiles/a.md"))
    session, _ = EditSession.open(link, agents)
    session.save(session.saved_text + "more\n")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").endswith("body\nmore\n")
    assert [p.name for p in dot.iterdir()] == ["a.md"]  # no temporary file left
    # The folder that counts for "read-only" is the target's, not the link's.
    agents.chmod(0o555)
    try:
        assert write_problem(link) is None
        session.save(session.saved_text + "again\n")
        assert real.read_text(encoding="utf-8").endswith("more\nagain\n")
    finally:
        agents.chmod(0o755)


def test_a_file_replaced_by_a_fifo_is_a_conflict_not_a_hang(tmp_path: Path) -> None:
    """The save's "did the disk change?" read opened whatever had the name: a FIFO put there
    blocked the save (and quitting) forever. It counts as "no longer a regular file"."""
    import threading

    from tui.core.editing import EditSession

    path = tmp_path / "f.md"
    path.write_text("---\nname: f\ndescription: d\n---\n", encoding="utf-8")
    session, _ = EditSession.open(path, tmp_path)
    path.unlink()
    os.mkfifo(path)
    outcome: list[BaseException | None] = []

    def save() -> None:
        try:
            session.save("changed\n")
            outcome.append(None)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=save, daemon=True)
    worker.start()
    worker.join(timeout=30)  # a hang detector, not a speed check
    assert outcome, "the save blocked on the FIFO"
    error = outcome[0]
    assert isinstance(error, ConflictError) and error.disk is None
    assert stat.S_ISFIFO(os.lstat(path).st_mode)  # nothing replaced it
