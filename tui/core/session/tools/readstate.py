"""Read before write, as in Claude Code: Write of an existing file and Edit need a Read of that
file in this session, and are refused when the file changed on disk since that Read.

What a session's Read saw is kept per file: the stat taken before reading (mtime, ctime, size,
inode) and a hash of the bytes. A file whose stat is unchanged is fresh; one whose stat changed
is compared by hash (a `touch`, or a save of the same bytes, is no change). The ctime and inode
matter: `touch -r`, `cp -p` or an editor can restore the mtime of a changed file of the same
size, but nobody can set the ctime, and a file swapped in by rename has another inode. A
successful Write or Edit records what it wrote, so consecutive edits need no new Read. The
log lives in memory with the session's ToolContext: a child session has its own, and a resumed
session reads again (the error says so). It also counts the images and PDFs sent, which every
later request carries.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ToolError

# The API refuses a request over 32 MB; the conversation carries every image and PDF read so
# far (base64), so a session stops reading them before their total could reach that.
MAX_SESSION_MEDIA_B64 = 24 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Seen:
    stamp: tuple[int, ...]  # what must be unchanged for the file to count as unchanged
    size: int
    sha256: str


def stamp(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ReadLog:
    seen: dict[Path, Seen] = field(default_factory=dict)
    media_b64: int = 0  # base64 bytes of the images and PDFs this session's Read returned
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def saw(self, path: Path, info: os.stat_result, data: bytes) -> None:
        """`path` was read (or written) as `data`; `info` is its stat from before."""
        with self._lock:
            self.seen[path] = Seen(stamp(info), info.st_size, digest(data))

    def wrote(self, path: Path, data: bytes) -> None:
        """A Write or Edit stored `data`: the next edit needs no new Read."""
        try:
            info = os.stat(path, follow_symlinks=False)
        except OSError:
            return
        self.saw(path, info, data)

    def require_fresh(self, path: Path, label: str, current: bytes | None = None) -> None:
        """Refuse (ToolError) unless `path` was read in this session and is unchanged since.
        A missing file passes (creating one needs no Read). `current`: its bytes, if known."""
        try:
            info = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            return
        except OSError:
            return  # (the write itself reports what is wrong with the path)
        if not stat.S_ISREG(info.st_mode):
            return  # a folder, a FIFO...: the write refuses it with its own message
        with self._lock:
            seen = self.seen.get(path)
        if seen is None:
            raise ToolError(
                f"{label} has not been read in this session. Read it first, then write or "
                "edit it (reads made before the session was resumed do not count)."
            )
        if stamp(info) == seen.stamp:
            return
        if current is None:
            try:
                with open(path, "rb") as handle:
                    current = handle.read(seen.size + 1)
            except OSError:
                current = b""
        if len(current) == seen.size and digest(current) == seen.sha256:
            with self._lock:  # same bytes, new mtime: still what the model saw
                self.seen[path] = Seen(stamp(info), info.st_size, seen.sha256)
            return
        raise ToolError(
            f"{label} has changed on disk since you read it (by the user, a formatter or "
            "another tool); it was not changed now. Read it again, then make your change."
        )

    def add_media(self, b64_size: int, label: str) -> None:
        """Count `b64_size` bytes of image/PDF data toward the session's budget; refuse
        (ToolError) when the conversation would grow past what one request can carry."""
        with self._lock:
            if self.media_b64 + b64_size > MAX_SESSION_MEDIA_B64:
                used = self.media_b64 / 1024 / 1024
                raise ToolError(
                    f"{label} was not read: this session already carries {used:.1f} MB of "
                    "images and PDFs, and every request resends them; with this file the "
                    "request would pass the API's 32 MB limit. Start a new session (or /clear) "
                    "to read it, or read a smaller or text version."
                )
            self.media_b64 += b64_size
