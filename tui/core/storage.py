"""Safe saves (DESIGN §7): atomic replace, mode kept, and never over a file that changed on disk
since it was loaded unless the caller says so. Also the trash for deleted definitions."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class StorageError(Exception):
    """A save or move that did not happen; the message names the file and what to do."""


class ConflictError(StorageError):
    """The file on disk is not what the editor loaded."""

    def __init__(self, path: Path, disk: bytes | None) -> None:
        self.path = path
        self.disk = disk  # None: the file was deleted (or became a folder)
        what = "was deleted" if disk is None else "changed on disk"
        super().__init__(f"{path} {what} since it was opened")


def digest(data: bytes) -> str:
    """The one content hash (sha256 hex): editor conflict checks, catalog and history."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What an editor loaded: the bytes and their hash, to compare against at save time."""

    path: Path
    data: bytes
    hash: str


def read_snapshot(path: Path) -> Snapshot:
    from tui.core.reading import NotRegular, read_definition

    try:
        data = read_definition(path, limit=1 << 62)  # all of it; a FIFO is never opened
    except NotRegular as exc:
        raise StorageError(f"{path} is not a regular file ({exc})") from None
    except IsADirectoryError:
        raise StorageError(f"{path} is a folder, not a file") from None
    except PermissionError:
        raise StorageError(f"{path} cannot be read: permission denied") from None
    except OSError as exc:
        raise StorageError(f"{path} cannot be read: {exc.strerror or exc}") from None
    return Snapshot(path, data, digest(data))


def _explain(path: Path, exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {path}: the file or its folder is read-only. Your edits are kept."
    if exc.errno == errno.ENOSPC:
        return f"cannot write {path}: the disk is full. The file on disk is untouched."
    if exc.errno == errno.EISDIR:
        return f"cannot write {path}: a folder now has that name."
    return f"cannot write {path}: {exc.strerror or exc}. The file on disk is untouched."


def _check_unchanged(path: Path, expected_hash: str | None, *, create: bool) -> None:
    """ConflictError when the disk is not the version the caller loaded (expected_hash), or
    StorageError when `create` and something already has the name."""
    if create and os.path.lexists(path):
        raise StorageError(f"{path} already exists; choose another name.")
    if expected_hash is None:
        return
    from tui.core.reading import NotRegular, read_definition

    try:
        disk: bytes | None = read_definition(path, limit=1 << 62)  # a FIFO is never opened
    except (FileNotFoundError, NotRegular):
        disk = None  # deleted, or no longer a regular file (a FIFO blocked the save forever)
    except IsADirectoryError:
        raise StorageError(f"cannot write {path}: a folder now has that name.") from None
    except OSError as exc:
        raise StorageError(_explain(path, exc)) from None
    if disk is None or digest(disk) != expected_hash:
        raise ConflictError(path, disk)


def atomic_write(
    path: Path, data: bytes, *, expected_hash: str | None = None, create: bool = False
) -> str:
    """Write `data` to `path` atomically and return its hash.

    expected_hash: the hash the caller loaded; if the disk differs, ConflictError (with the
    disk's bytes) and nothing is written. create=True: the file must not exist yet.
    A symlink is written through: its target gets the new bytes and the link stays (agents kept
    in a dotfiles folder and linked into .claude/agents stay linked).
    """
    if path.is_dir():
        raise StorageError(f"cannot write {path}: a folder now has that name.")
    _check_unchanged(path, expected_hash, create=create)
    mode: int | None = None
    try:
        st = os.stat(path)
        mode = stat.S_IMODE(st.st_mode)
        if not os.access(path, os.W_OK) or not (mode & stat.S_IWUSR):
            raise StorageError(f"cannot write {path}: the file is read-only. Your edits are kept.")
    except FileNotFoundError:
        pass
    real = Path(os.path.realpath(path)) if os.path.islink(path) else path
    folder = real.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".roster-tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp_name, mode if mode is not None else 0o644)
            # Writing and syncing took a while: look again right before replacing, so a
            # concurrent writer's version is not overwritten unseen (the window left is the
            # few microseconds between this read and the rename).
            _check_unchanged(path, expected_hash, create=create)
            os.replace(tmp_name, real)
            tmp_name = None
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except OSError as exc:
        raise StorageError(_explain(path, exc)) from None
    return digest(data)


# ---- trash ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrashEntry:
    id: str
    original: Path
    stored: Path
    deleted_at: float


def _trash_dir(data_dir: Path) -> Path:
    return data_dir / "trash"


def _trash_problem(path: Path, exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"cannot move {path} to the trash: its folder {path.parent} is read-only. "
            "Make the folder writable, then delete again."
        )
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return f"cannot move {path} to the trash: it is a folder, not a definition file."
    if isinstance(exc, FileNotFoundError):
        return f"cannot move {path} to the trash: it is no longer there."
    return f"cannot move {path} to the trash: {exc.strerror or exc}."


def move_to_trash(path: Path, data_dir: Path) -> TrashEntry:
    """Move a definition into the trash (restorable); its original path is remembered.
    On failure nothing changes: the file stays where it was and the trash holds no copy."""
    trash = _trash_dir(data_dir)
    ident = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    stored = trash / f"{ident}--{path.name}"
    meta_path = trash / f"{ident}--{path.name}.json"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(_trash_problem(path, PermissionError(errno.EACCES, "read-only")))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorageError(_trash_problem(path, exc)) from None
    try:
        trash.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(data)
        deleted_at = time.time()
        meta = {"original": str(path), "deleted_at": deleted_at}
        meta_path.write_text(json.dumps(meta), encoding="utf-8")
    except OSError as exc:
        for leftover in (stored, meta_path):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise StorageError(
            f"cannot move {path} to the trash: the trash folder {trash} cannot be written "
            f"({exc.strerror or exc}). Nothing was deleted."
        ) from None
    try:
        path.unlink()
    except OSError as exc:
        for leftover in (stored, meta_path):  # the file stays: no phantom copy in the trash
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise StorageError(_trash_problem(path, exc)) from None
    return TrashEntry(ident, path, stored, deleted_at)


def list_trash(data_dir: Path) -> list[TrashEntry]:
    trash = _trash_dir(data_dir)
    entries: list[TrashEntry] = []
    if not trash.is_dir():
        return entries
    for meta_path in sorted(trash.glob("*.json"), reverse=True):
        stored = meta_path.with_suffix("")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            original = Path(meta["original"])
            when = float(meta["deleted_at"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if stored.is_file():
            ident = stored.name.split("--", 1)[0]
            entries.append(TrashEntry(ident, original, stored, when))
    return entries


def restore_from_trash(entry: TrashEntry) -> Path:
    """Put a trashed file back; if its place is taken, restore beside it with a new name
    (`x.restored-1.md`). On failure the entry stays in the trash."""
    target = entry.original
    n = 1
    while os.path.lexists(target):
        target = entry.original.with_name(f"{entry.original.stem}.restored-{n}.md")
        n += 1

    def fail(why: str) -> StorageError:
        return StorageError(
            f"cannot restore {entry.original.name} to {target.parent}: {why}. "
            "It stays in the trash."
        )

    try:
        data = entry.stored.read_bytes()
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(str(exc.strerror or exc)) from None
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise fail("the folder is read-only; make it writable and try again")
    try:
        atomic_write(target, data, create=True)
    except StorageError as exc:
        raise fail(str(exc).rstrip(".")) from None
    for done in (entry.stored, entry.stored.with_name(entry.stored.name + ".json")):
        with contextlib.suppress(OSError):
            done.unlink()
    return target
