"""Reading and writing files inside the working folder without races or surprises.

- Every folder on the way is opened relative to the previous one with O_NOFOLLOW, starting from
  the working folder: a folder swapped for a symlink between the check and the write is refused,
  never followed. The opened folder is checked again (its /proc path) before anything is written.
- Writes go to a temp file created exclusively (random name, O_EXCL | O_NOFOLLOW) in the
  target's folder, then renamed over the target relative to the folder's handle. The target's
  mode is kept. A planted symlink at any name cannot redirect the write.
- Only regular files are opened: FIFOs, sockets and devices are refused after an lstat, before
  any open (and opens use O_NONBLOCK anyway).
- Text keeps its encoding: BOM (UTF-8/16/32), UTF-8, else Latin-1 (which maps every byte), so
  text decoded and encoded again is the same bytes.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .base import ToolError

MAX_READ_BYTES = 50 * 1024 * 1024
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class TextCodec:
    name: str
    bom: bytes = b""


UTF8 = TextCodec("utf-8")


def decode(data: bytes, label: str) -> tuple[str, TextCodec]:
    """The text and how it was stored; ToolError for binary or undecodable data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), TextCodec(name, bom)
            except UnicodeDecodeError as exc:
                raise ToolError(f"{label} starts with a {name} BOM but is not {name}.") from exc
    if b"\x00" in data[:8192]:
        raise ToolError(f"{label} looks like a binary file; it cannot be read as text.")
    try:
        return data.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        return data.decode("latin-1"), TextCodec("latin-1")


def encode(text: str, codec: TextCodec, label: str) -> bytes:
    try:
        return codec.bom + text.encode(codec.name)
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        raise ToolError(
            f"{label} is stored as {codec.name}, which cannot hold {bad!r}; the file was not "
            "changed. Use characters that encoding can store."
        ) from exc


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symlink that changed while it was being opened"
    return "not a regular file"


def _inside(fd: int, root: Path) -> bool:
    """Where the opened folder really is (Linux /proc; elsewhere the O_NOFOLLOW walk stands)."""
    try:
        real = Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return True
    return real == root or real.is_relative_to(root)


@contextlib.contextmanager
def folder_of(path: Path, root: Path, *, create: bool = False) -> Iterator[int]:
    """An fd for `path`'s folder, opened component by component from `root` without
    following any symlink (missing folders created when `create`)."""
    try:
        parts = path.parent.relative_to(root).parts
    except ValueError as exc:
        raise ToolError(f"Access denied: {path} is outside the working directory.") from exc
    fd = os.open(root, _DIR_FLAGS)
    try:
        for part in parts:
            try:
                nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
                nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except PermissionError:
                raise
            except OSError as exc:  # ELOOP: a symlink (never followed); ENOTDIR: a file
                raise ToolError(
                    f"Access denied: {part!r} on the way to {path} is not a plain folder "
                    "(a symlink, or a file); refused."
                ) from exc
            os.close(fd)
            fd = nxt
        if not _inside(fd, root):
            raise ToolError(f"Access denied: {path} left the working directory.")
        yield fd
    finally:
        os.close(fd)


def read_bytes(path: Path, root: Path, *, limit: int = MAX_READ_BYTES) -> bytes:
    """A regular file's bytes; FIFOs, sockets, devices and directories refused unopened."""
    return read_file(path, root, limit=limit)[0]


SizeCheck = Callable[[bytes, int], None]


def read_file(
    path: Path, root: Path, *, limit: int = MAX_READ_BYTES, check: SizeCheck | None = None
) -> tuple[bytes, os.stat_result]:
    """A regular file's bytes and its stat taken before reading (so a change while reading
    shows up as a different stat later). `check(first_bytes, size)` may refuse the file (raise
    ToolError) after its first 64 bytes, before the rest is read."""
    if path == root:
        raise ToolError(f"{path} is a directory, not a file. Use Glob or Bash `ls` to list it.")
    try:
        with folder_of(path, root) as dfd:
            info = os.stat(path.name, dir_fd=dfd, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                raise ToolError(
                    f"{path} is a directory, not a file. Use Glob or Bash `ls` to list it."
                )
            if not stat.S_ISREG(info.st_mode):
                raise ToolError(f"{path} is {_kind(info.st_mode)}; refusing to open it.")
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            fd = os.open(path.name, flags, dir_fd=dfd)
            with os.fdopen(fd, "rb") as handle:
                opened = os.fstat(handle.fileno())
                if not stat.S_ISREG(opened.st_mode):
                    raise ToolError(f"{path} is {_kind(opened.st_mode)}; refusing to read it.")
                head = b""
                if check is not None:
                    head = handle.read(64)
                    check(head, opened.st_size)
                if opened.st_size > limit:
                    raise ToolError(f"{path} is too large ({opened.st_size} bytes) to read.")
                data = head + handle.read(limit + 1 - len(head))
                return data[:limit], opened
    except FileNotFoundError as exc:
        raise ToolError(f"File does not exist: {path}") from exc
    except OSError as exc:
        raise ToolError(f"Could not read {path}: {exc.strerror or exc}") from exc


def read_text(path: Path, root: Path) -> tuple[str, TextCodec]:
    return decode(read_bytes(path, root), str(path))


def existing_codec(path: Path, root: Path) -> TextCodec | None:
    try:
        return read_text(path, root)[1]
    except ToolError:
        return None


def write_bytes(path: Path, root: Path, data: bytes) -> bool:
    """Replace (or create) `path` with `data` atomically; True if it existed before."""
    if path == root:
        raise ToolError(f"{path} is a directory.")
    name = path.name
    try:
        with folder_of(path, root, create=True) as dfd:
            mode = None
            try:
                info = os.stat(name, dir_fd=dfd, follow_symlinks=False)
            except FileNotFoundError:
                info = None
            if info is not None:
                if stat.S_ISDIR(info.st_mode):
                    raise ToolError(f"{path} is a directory.")
                if not stat.S_ISREG(info.st_mode):
                    raise ToolError(f"{path} is {_kind(info.st_mode)}; refusing to replace it.")
                mode = stat.S_IMODE(info.st_mode)
            tmp = f".{name[:200]}.{secrets.token_hex(8)}.roster-tmp"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(tmp, flags, 0o600 if mode is not None else 0o666, dir_fd=dfd)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    if mode is not None:
                        os.fchmod(handle.fileno(), mode)
                    os.fsync(handle.fileno())
                os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dfd)
                raise
            return info is not None
    except OSError as exc:
        raise ToolError(f"Could not write {path}: {exc.strerror or exc}") from exc
