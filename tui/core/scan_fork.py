"""Parse a long list of files on every core: this process plus forked children.

The list is cut into chunks. Every worker (this process and each child) walks the chunks from its
own starting point and takes the ones nobody has taken yet (a byte per chunk in shared memory),
so a worker on a busy core simply takes fewer: there is no fixed split to get wrong. Children
send each chunk back as marshal'd plain tuples in an unlinked temp file (a byte on a pipe says a
record is ready); turning one back into an AgentDefinition here costs about a fifth of parsing
the file (unpickling the dataclass cost half). Two workers may rarely take the same chunk (the
claim is not atomic): the copy that arrives second is dropped. Whatever a child did not deliver
(it died or hung, fork failed) is parsed here at the end, so the result is always complete.

`parse_chunks` yields (chunk index, definitions) as chunks complete.

Why it stays (tests/bench/bench_catalog.py, 10,000 files of 3.9 KB, 2 cores, Nov 2026): one
process scans 14,700-18,400 files per CPU-second, 0.68-0.79x the single-core ceiling of the
bare read+split+YAML work (eight runs, measured in this process's CPU time so a shared
machine's load does not skew it): below the 0.8x that would make the fork path not worth its
code. A bare `parse_file` loop runs at about the ceiling (21,500-25,600/s): the gap is the
catalog's own work around parsing, so cutting that could still retire this module. On a
near-idle machine two workers scanned 26,600 files/s against 17,800 for one process (1.5x);
with other processes using a whole core, forking gained nothing (0.5-0.9x of one process).
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import mmap
import os
import pickle
import select
import signal
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tui.core.definition import AgentDefinition
from tui.core.parse import parse_file
from tui.core.wire import pack, unpack

Item = tuple[Path, Path]  # (file, its root)
Chunk = tuple[int, list[AgentDefinition]]
STALL_S = 10.0  # no record from any child for this long while we wait: parse the rest here
_HEADER = struct.Struct("<Q")
_PARENT = 255  # this process's claim byte; children use 1, 2, ...


def chunk_size(total: int, workers: int) -> int:
    """Small enough that a slow worker leaves little to wait for, big enough to be cheap."""
    return max(16, min(128, total // max(workers * 12, 1)))


def parse_chunks(items: list[Item], workers: int, size: int) -> Iterator[Chunk]:
    n_chunks = (len(items) + size - 1) // size
    children = min(workers - 1, n_chunks - 1) if hasattr(os, "fork") else 0
    if children <= 0:
        for c in range(n_chunks):
            yield c, _parse_chunk(items, c, size)
        return
    with _Children(items, size, n_chunks) as pool:
        pool.start(children)
        yield from pool.run()


def _parse_chunk(items: list[Item], c: int, size: int) -> list[AgentDefinition]:
    return [parse_file(p, r) for p, r in items[c * size : (c + 1) * size]]


def _encode(c: int, defs: list[AgentDefinition]) -> bytes:
    packed = [pack(d) for d in defs]
    try:
        return marshal.dumps((c, packed))
    except (ValueError, RecursionError):
        pass
    mixed: list[Any] = []
    for d, p in zip(defs, packed, strict=True):
        try:
            marshal.dumps(p)
            mixed.append(p)
        except (ValueError, RecursionError):
            mixed.append(pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL))
    return marshal.dumps((c, mixed))


# ---- the workers ------------------------------------------------------------------------
class _Children:
    def __init__(self, items: list[Item], size: int, n_chunks: int) -> None:
        self.items = items
        self.size = size
        self.n_chunks = n_chunks
        self.claims = mmap.mmap(-1, n_chunks)  # anonymous and shared: the children see it
        self.files: list[IO[bytes]] = []  # per child: the temp file it appends records to
        self.offsets: list[int] = []
        self.pids: list[int] = []
        self.done: set[int] = set()
        self.ready_r, self.ready_w = os.pipe()

    def __enter__(self) -> _Children:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop()
        for f in self.files:
            f.close()
        os.close(self.ready_r)
        if self.ready_w >= 0:
            os.close(self.ready_w)
        self.claims.close()

    def _stop(self) -> None:
        for pid in self.pids:  # normally exited already; after an early stop or a stall, not
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self.pids = []

    def start(self, count: int) -> None:
        for k in range(count):
            try:
                out = tempfile.TemporaryFile(prefix="roster-scan-")  # noqa: SIM115 (closed in __exit__)
            except OSError:
                break
            try:
                pid = os.fork()
            except OSError:
                out.close()
                break
            if pid == 0:  # the child: never returns from here
                self._child(k + 1, (k + 1) * self.n_chunks // (count + 1), out.fileno())
            self.files.append(out)
            self.offsets.append(0)
            self.pids.append(pid)
        os.close(self.ready_w)  # only the children hold it now: EOF once they all exit
        self.ready_w = -1

    def _child(self, me: int, start: int, out: int) -> None:
        status = 1
        try:
            gc.disable()  # the heap is the parent's: a collection would touch (copy) all of it
            os.close(self.ready_r)
            claims = self.claims
            for c in (*range(start, self.n_chunks), *range(start)):
                if claims[c]:
                    continue
                claims[c] = me
                payload = _encode(c, _parse_chunk(self.items, c, self.size))
                _write_all(out, _HEADER.pack(len(payload)) + payload)
                os.write(self.ready_w, b".")
            status = 0
        finally:
            os._exit(status)

    def run(self) -> Iterator[Chunk]:
        claims = self.claims
        for c in range(self.n_chunks):
            if claims[c]:
                continue
            claims[c] = _PARENT
            defs = _parse_chunk(self.items, c, self.size)
            if c not in self.done:
                self.done.add(c)
                yield c, defs
            yield from self._collect()
        while len(self.done) < self.n_chunks and self.pids:
            ready, _, _ = select.select([self.ready_r], [], [], STALL_S)
            if not ready:  # a child hangs (or the disk does): stop waiting for it
                self._stop()
            elif not os.read(self.ready_r, 4096):
                break  # every child exited
            yield from self._collect()
        yield from self._collect()
        for c in range(self.n_chunks):  # whatever no child delivered
            if c not in self.done:
                self.done.add(c)
                yield c, _parse_chunk(self.items, c, self.size)

    def _collect(self) -> Iterator[Chunk]:
        """Every complete record the children have written since the last look."""
        for k, f in enumerate(self.files):
            fd = f.fileno()
            end = os.fstat(fd).st_size
            at = self.offsets[k]
            while end - at >= _HEADER.size:
                (length,) = _HEADER.unpack(os.pread(fd, _HEADER.size, at))
                if end - at - _HEADER.size < length:
                    break
                payload = _read_all(fd, length, at + _HEADER.size)
                at += _HEADER.size + length
                c, packed = marshal.loads(payload)
                if c in self.done:
                    continue
                self.done.add(c)
                base = c * self.size
                items = self.items
                yield c, [unpack(p, *items[base + i]) for i, p in enumerate(packed)]
            self.offsets[k] = at


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_all(fd: int, length: int, offset: int) -> bytes:
    parts: list[bytes] = []
    while length > 0:
        part = os.pread(fd, length, offset)
        if not part:
            raise OSError("scan record truncated")
        parts.append(part)
        length -= len(part)
        offset += len(part)
    return b"".join(parts)
