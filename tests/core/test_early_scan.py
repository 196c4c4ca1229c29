"""The early scan: the catalog read in a forked child while the app starts (real files, a
real fork). Its catalog must be exactly what a scan in this process builds, bad files
included, and a child that dies or cannot start must never hang or lose a file."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

# The child runs only code already imported here (a fork inherits no import lock held by
# another of this process's threads); `roster` itself forks before it has any threads.
import tui.core.catalog
import tui.core.parse
import tui.core.scan_fork
import tui.core.wire  # noqa: F401
from tui.core.catalog import Catalog
from tui.core.early_scan import FIRST_BATCH, EarlyScan, EarlyScanFailed, changed_since
from tui.core.roots import Root, RootKind

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _agent(folder: Path, name: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(f"---\nname: {name}\ndescription: d {name}\n{extra}---\nbody\n")
    return path


def _roots(tmp_path: Path) -> list[Root]:
    return [
        Root(tmp_path / "project", RootKind.PROJECT, 0),
        Root(tmp_path / "lib", RootKind.BUNDLED, 9),
    ]


def _collect(early: EarlyScan, roots: list[Root]) -> Catalog:
    catalog = Catalog(roots)
    for batch in early.batches():
        catalog.adopt(batch.definitions, batch.order or ())
    early.close()
    return catalog


def _same(a: Catalog, b: Catalog) -> None:
    assert a.paths() == b.paths()
    for path in a.paths():
        x, y = a.get(path), b.get(path)
        assert x == y, path


def test_a_small_catalog_comes_whole_in_the_first_record(tmp_path: Path) -> None:
    roots = _roots(tmp_path)
    for i in range(5):
        _agent(tmp_path / "project", f"agent-{i}", "level: L2\ndomain: backend\n")
    _agent(tmp_path / "lib", "agent-1")  # shadowed by the project's
    (tmp_path / "project" / "broken.md").write_text("---\nname: [unclosed\n---\nx\n")
    (tmp_path / "project" / "binary.md").write_bytes(b"\x00\xff\xfe" * 50)
    (tmp_path / "project" / "empty.md").write_text("")
    early = EarlyScan.start(roots)
    assert early is not None
    first = early.first(30)
    assert first is not None and first.order is not None, "one record holds the whole catalog"
    assert first.done == first.total == 9
    here = Catalog(roots)
    here.scan(workers=1)
    _same(_collect(early, roots), here)
    assert here.winner("agent-1") is not None
    assert here.winner("agent-1").root == tmp_path / "project"  # type: ignore[union-attr]


def test_a_big_catalog_sends_its_first_rows_early_and_the_rest_in_order(tmp_path: Path) -> None:
    roots = _roots(tmp_path)
    for i in range(FIRST_BATCH * 2 + 37):
        _agent(tmp_path / "project" / f"d{i % 7}", f"agent-{i}")
    early = EarlyScan.start(roots)
    assert early is not None
    first = early.first(30)
    assert first is not None and first.order is None
    assert FIRST_BATCH <= len(first.definitions) < first.total  # a screenful, not the lot
    here = Catalog(roots)
    here.scan(workers=1)
    _same(_collect(early, roots), here)


def test_a_child_that_dies_is_a_failure_not_a_hang(tmp_path: Path) -> None:
    roots = _roots(tmp_path)
    for i in range(3):
        _agent(tmp_path / "project", f"agent-{i}")
    early = EarlyScan.start(roots)
    assert early is not None
    os.kill(early.pid, signal.SIGKILL)
    os.waitpid(early.pid, 0)
    early.pid = os.getpid() + 10**6  # already reaped: close() must not wait for it again
    # it may have written everything before the signal landed; if not, batches() says so
    try:
        catalog = _collect(early, roots)
    except EarlyScanFailed:
        return
    assert len(catalog) == 3


def test_the_child_stops_when_nobody_reads(tmp_path: Path) -> None:
    roots = _roots(tmp_path)
    _agent(tmp_path / "project", "a")
    early = EarlyScan.start(roots)
    assert early is not None
    early.close()  # killed and reaped: nothing left running
    with pytest.raises(ChildProcessError):
        os.waitpid(early.pid, os.WNOHANG)


def test_it_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROSTER_EARLY_SCAN", "0")
    assert EarlyScan.start(_roots(tmp_path)) is None


def test_changed_since_names_what_the_scan_may_have_missed(tmp_path: Path) -> None:
    roots = _roots(tmp_path)
    old = _agent(tmp_path / "project", "old")
    edited = _agent(tmp_path / "project", "edited")
    gone = _agent(tmp_path / "project", "gone")
    past = time.time() - 3600
    for path in (old, edited, gone):
        os.utime(path, (past, past))
    catalog = Catalog(roots)
    catalog.scan(workers=1)
    since = time.time()
    edited.write_text("---\nname: edited\ndescription: new\n---\n")
    gone.unlink()
    added = _agent(tmp_path / "lib", "added")
    changed = set(changed_since(catalog, since))
    assert changed == {edited, gone, added}


_ORPHAN_SCRIPT = """
import os, signal, sys, time
from pathlib import Path
import tui.core.catalog, tui.core.parse, tui.core.scan_fork, tui.core.wire
from tui.core.early_scan import EarlyScan
from tui.core.roots import Root, RootKind
early = EarlyScan.start([Root(Path(sys.argv[1]), RootKind.PROJECT, 0)])
assert early is not None and early.first(30) is not None
os.kill(early.pid, signal.SIGSTOP)  # stuck mid-way (as in a long walk): no getppid check runs
print(early.pid, flush=True)
time.sleep(600)
"""


def _state(pid: int) -> str | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()[0]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_the_child_does_not_outlive_a_killed_roster(tmp_path: Path) -> None:
    """Roster killed (SIGTERM, SIGKILL, a crash) while the child is still reading: the child
    goes too, rather than running or staying stopped for ever as an orphan."""
    import subprocess
    import sys

    for i in range(FIRST_BATCH * 4):
        _agent(tmp_path / "project" / f"g{i % 7}", f"agent-{i}")
    proc = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT, str(tmp_path / "project")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    child = int(proc.stdout.readline())
    try:
        proc.kill()
        proc.wait(30)
        deadline = time.monotonic() + 20
        while _state(child) not in (None, "Z") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _state(child) in (None, "Z"), "the early-scan child outlived Roster"
    finally:
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)
