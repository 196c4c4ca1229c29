"""Reading a definition file from disk: only regular files are opened, and at most MAX_BYTES + 1
bytes are read (DESIGN §3: every folder is untrusted input)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_BYTES = 8 * 1024 * 1024  # larger files are listed with an error, not read further


_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a file")


class NotRegular(OSError):
    pass


def read_definition(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The whole file, or its first `limit` + 1 bytes (plain os calls: no file object). Only
    a regular file is opened: a FIFO would block forever, a device could do anything."""
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    kind = _not_regular(mode)
    if kind is not None:
        raise NotRegular(kind)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        kind = _not_regular(st.st_mode)  # swapped between the stat and the open
        if kind is not None:
            raise NotRegular(kind)
        size = st.st_size
        data = os.read(fd, min(size, limit) + 1)
        if len(data) == size:  # all of it: the usual case
            return data
        # too big, growing, shrinking, a short read, or no size (/proc): read on to the end
        parts, total = [data], len(data)
        while total <= limit and (more := os.read(fd, 1 << 16)):
            parts.append(more)
            total += len(more)
        return b"".join(parts)
    finally:
        os.close(fd)
