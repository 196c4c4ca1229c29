"""Read the catalog in a forked process while the app is still starting.

`roster` spends its first ~0.2 s importing Textual and building the screen, all on one core.
Forked before that, a child walks and parses every root on the other core and appends what it
read to an unlinked temp file (a byte on a pipe says a record is ready), so the first frame can
already show the agents instead of an empty tree that fills a quarter second later.

Records are marshal'd `(done, total, [(path, root, packed), ...])` tuples (scan_fork's packing);
the last one also carries the paths in catalog order, so the catalog built here is exactly what
`Catalog.scan` builds. The child stops when this process is gone. If it dies, stalls, or fork is
not available, the caller scans as before: `batches()` raises `EarlyScanFailed`, never hangs.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import select
import signal
import struct
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tui.core.definition import AgentDefinition
from tui.core.roots import Root

if TYPE_CHECKING:
    from tui.core.catalog import Catalog

STALL_S = 10.0  # no record for this long: the child is stuck, scan here instead
FIRST_BATCH = 200  # the first record: enough rows for a screenful, quick to read
BATCH = 2000  # later records
_HEADER = struct.Struct("<Q")
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class EarlyScanFailed(RuntimeError):
    """The child could not deliver the whole catalog: scan in this process instead."""


@dataclass(frozen=True, slots=True)
class EarlyBatch:
    definitions: tuple[AgentDefinition, ...]
    done: int
    total: int
    order: tuple[Path, ...] | None  # set on the last batch: every path, in catalog order
    started: float  # wall-clock time the child began reading (for the watcher's catch-up)


class EarlyScan:
    """A running child scan. Take its batches with `batches()` (once), then `close()`."""

    def __init__(self, pid: int, out: IO[bytes], ready: int, started: float) -> None:
        self.pid = pid
        self._out = out
        self._ready = ready
        self._offset = 0
        self.started = started
        self._pending: list[EarlyBatch] = []
        self._finished = False
        self._closed = False

    @classmethod
    def start(cls, roots: Sequence[Root]) -> EarlyScan | None:
        """Fork the reader. None when this platform cannot fork or the fork fails."""
        if not hasattr(os, "fork") or os.environ.get("ROSTER_EARLY_SCAN") == "0":
            return None
        try:
            out = tempfile.TemporaryFile(prefix="roster-early-")  # noqa: SIM115 (closed in close)
        except OSError:
            return None
        ready_r, ready_w = os.pipe()
        started = time.time()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            out.close()
            os.close(ready_r)
            os.close(ready_w)
            return None
        if pid == 0:  # the child: never returns from here
            os.close(ready_r)
            _child(list(roots), out.fileno(), ready_w, parent)
        os.close(ready_w)
        return cls(pid, out, ready_r, started)

    # ---- reading what the child wrote ---------------------------------------------------
    def _collect(self) -> None:
        fd = self._out.fileno()
        end = os.fstat(fd).st_size
        at = self._offset
        while end - at >= _HEADER.size:
            (length,) = _HEADER.unpack(os.pread(fd, _HEADER.size, at))
            if end - at - _HEADER.size < length:
                break
            payload = os.pread(fd, length, at + _HEADER.size)
            if len(payload) < length:
                break
            at += _HEADER.size + length
            self._pending.append(_decode(payload, self.started))
        self._offset = at

    def _wait(self, timeout: float) -> bool:
        """Wait for a new record (or the child's end); False on timeout."""
        ready, _, _ = select.select([self._ready], [], [], max(timeout, 0.0))
        if not ready:
            return False
        if not os.read(self._ready, 65536):  # the child exited: no more records
            self._finished = True
        return True

    def first(self, timeout: float) -> EarlyBatch | None:
        """The first record, waiting up to `timeout` seconds for it (None: not yet)."""
        deadline = time.monotonic() + timeout
        while not self._pending:
            self._collect()
            if self._pending or self._finished:
                break
            if not self._wait(deadline - time.monotonic()):
                break
        self._collect()
        return self._pending[0] if self._pending else None

    def batches(self) -> Iterator[EarlyBatch]:
        """Every record in order, ending with the one that carries the order. Raises
        EarlyScanFailed when the child dies or stalls before that."""
        while True:
            self._collect()
            while self._pending:
                batch = self._pending.pop(0)
                yield batch
                if batch.order is not None:
                    return
            if self._finished:
                self._collect()
                if not self._pending:
                    raise EarlyScanFailed("the early scan ended without the whole catalog")
                continue
            if not self._wait(STALL_S):
                raise EarlyScanFailed(f"the early scan sent nothing for {STALL_S:.0f} s")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)  # normally gone already
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self._ready)
        self._out.close()


def _decode(payload: bytes, started: float) -> EarlyBatch:
    from tui.core.wire import unpack

    done, total, rows, order = marshal.loads(payload)
    defs = tuple(unpack(packed, Path(path), Path(root)) for path, root, packed in rows)
    paths = None if order is None else tuple(Path(p) for p in order)
    return EarlyBatch(defs, done, total, paths, started)


# ---- the child ----------------------------------------------------------------------------
def _die_with(parent: int) -> None:
    """Linux: the kernel kills this child when Roster ends, however it ends (SIGTERM, a crash,
    SIGKILL): the getppid checks below only run between records, and a long walk (a big tree
    with few definitions) or a stopped child would otherwise outlive Roster."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # Roster ended before the line above ran
        os._exit(1)


def _child(roots: list[Root], out: int, ready: int, parent: int) -> None:
    status = 1
    try:
        _die_with(parent)
        import gc

        gc.disable()  # short-lived: the heap is thrown away at exit
        from tui.core.catalog import Catalog
        from tui.core.wire import pack_any

        catalog = Catalog(roots)
        rows: list[tuple[str, str, Any]] = []
        sent = 0
        for batch in catalog.scan_batches(batch=FIRST_BATCH, workers=1):
            if os.getppid() != parent:  # Roster is gone: nobody will read this
                break
            rows.extend((str(d.path), str(d.root), pack_any(d)) for d in batch.definitions)
            last = batch.done == batch.total
            if last or len(rows) >= (FIRST_BATCH if not sent else BATCH):
                order = [str(d) for d in catalog.paths()] if last else None
                payload = marshal.dumps((batch.done, batch.total, rows, order))
                _write_all(out, _HEADER.pack(len(payload)) + payload)
                os.write(ready, b".")
                sent += 1
                rows = []
        status = 0
    finally:
        os._exit(status)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


# ---- after the early scan -----------------------------------------------------------------
CATCH_UP_MARGIN_S = 2.0  # files changed this long before the child began are read again


def changed_since(catalog: Catalog, since: float) -> list[Path]:
    """Paths that may differ from what an early scan that began at `since` read: files
    modified from a little before then (coarse file-system clocks), files it does not hold,
    and files it holds that are gone. Re-reading an unchanged file is free (`apply` compares
    content hashes), so this errs on the side of reading again."""
    from tui.core.discover import walk_definitions

    found: set[Path] = set()
    out: list[Path] = []
    for root in catalog.roots:
        for path in walk_definitions(root.path):
            found.add(path)
            try:
                mtime = os.stat(path).st_mtime
            except OSError:
                mtime = since
            if path not in catalog or mtime >= since - CATCH_UP_MARGIN_S:
                out.append(path)
    out.extend(p for p in catalog.paths() if p not in found)
    return out
