"""The catalog service, mixed into RosterApp: the scan worker, the file watcher and the path
from "something changed on disk" (or "Roster itself wrote a file") to the screens.

Startup never waits for the scan: the first frame shows an empty tree with a loading indicator
while a thread worker reads every root, then `CatalogLoaded` swaps the catalog in. The watcher is
a single-instance async worker over every existing root (watchfiles `awatch`, imported inside the
worker); it queues raw changes and posts a payload-free `FilesChanged` that coalesces, so a burst
of events becomes one `catalog.apply` and one tree update. A 0.5 s root check re-arms the watcher
when a root appears, disappears or is replaced (deleted and re-created).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.worker import Worker, get_current_worker

from tui.app.early_rows import FREEZE_DELAY_S, EarlyRows
from tui.screens.messages import (
    CatalogChanged,
    CatalogLoaded,
    FilesChanged,
    JumpToAgent,
    ReloadRequested,
    ScanProgress,
    ScanStarted,
    SetGrouping,
)

if TYPE_CHECKING:
    from tui.core.catalog import Catalog, ChangeKind
    from tui.core.change_notes import Burst
    from tui.core.definition import AgentDefinition
    from tui.core.roots import Root
    from tui.core.tree_model import GroupBy
    from tui.screens.editor import EditorScreen
    from tui.screens.main import MainScreen

WATCH_DEBOUNCE_MS = 80  # longest a burst is held before it is yielded
WATCH_STEP_MS = 20  # a batch is yielded once nothing new arrived for this long
ROOT_CHECK_S = 0.5

BURST_S = 0.4  # changes reported within this long after the first make one notification

RootState = tuple[int, int] | None
LOADING_DELAY_S = 0.3  # show the loading indicator only for scans that take a while
SCAN_STEPS = 6  # a big first scan fills the tree in about this many steps
SCAN_BATCH_MIN = 1000  # ... of at least this many files (a smaller catalog arrives in one go)
SCAN_FIRST = 250  # ... after a first, quick one of this many
SCAN_STEP_S = 0.3  # ... and no more often than this (each step re-groups the whole tree, on
# the thread the scan shares the GIL with)


def _root_state(path: Path) -> RootState:
    try:
        st = os.stat(path)
    except OSError:
        return None
    import stat

    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


class CatalogService(EarlyRows):
    """Scanning and watching. RosterApp sets these attributes in its __init__."""

    roots: list[Root]
    main_screen: MainScreen
    catalog: Catalog | None
    loaded: bool
    scanning: bool
    watch_enabled: bool
    watcher_ready: bool
    scan_workers: int | None
    scan_batch: int | None
    _pending: dict[Path, ChangeKind]
    _armed: dict[Path, RootState]
    _rescan_next: set[Path]
    _reveal_after_scan: Path | None = None
    _burst: Burst | None = None

    def start_watching(self) -> None:
        """The first frame is on screen: read the disk, then follow it. The catalog code is
        imported here, on this thread (~40 ms): imported by the scan thread while this one
        paints, it took ~300 ms of GIL ping-pong before the first file was read."""
        import tui.core.catalog
        import tui.core.scan_fork  # noqa: F401

        if self.catalog is None:  # else the early scan delivered it before the first frame
            self.reload()
        if self.watch_enabled:
            self._arm()
            self.set_interval(ROOT_CHECK_S, self._check_roots, name="root-check")
            if self.catalog is not None:
                self._catch_up()

    def watcher_failed(self) -> None:
        self._armed = {}  # the root check re-arms on its next tick

    # ---- scanning ---------------------------------------------------------------------
    def reload(self) -> None:
        self.scanning = True
        self.main_screen.post_message(ScanStarted(len(self.roots)))
        self._scan()

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def _scan(self) -> None:
        from tui.core.catalog import Catalog

        worker = get_current_worker()
        started = time.perf_counter()
        early, self.early = self.early, None
        try:
            taken = None if early is None else self._take_early(early, worker)
            if early is not None:  # done, or stalled/dead: never a second reader beside a scan
                early.close()
            if taken is None:
                catalog = Catalog(self.roots)
                self._read_progressively(catalog, worker)
            else:
                catalog = taken
        except Exception:  # e.g. no fork available: scan in this thread instead
            catalog = Catalog(self.roots)
            catalog.scan(workers=1)
        finally:
            if early is not None:
                early.close()
        if not worker.is_cancelled:  # a newer scan (reload) replaces this one
            self.post_message(CatalogLoaded(catalog, time.perf_counter() - started))

    def _read_progressively(self, catalog: Catalog, worker: Worker[None]) -> None:
        """Scan, posting what was read every `scan_batch` files (default: SCAN_FIRST files, then
        a SCAN_STEPS-th of the catalog but at least SCAN_BATCH_MIN files and SCAN_STEP_S apart)
        so the tree fills as it goes. A catalog of up to SCAN_BATCH_MIN files (or one
        `scan_batch`) arrives in one go, with CatalogLoaded."""
        pending: list[AgentDefinition] = []
        posted = 0.0
        step = self.scan_batch or 0
        batches = catalog.scan_batches(batch=min(step or 128, 128), workers=self.scan_workers)
        try:
            for batch in batches:
                if worker.is_cancelled or batch.done == batch.total:
                    return  # the last batch: CatalogLoaded brings everything
                pending.extend(batch.definitions)
                if step:
                    due = len(pending) >= step
                elif batch.total <= SCAN_BATCH_MIN:
                    due = False
                elif not posted:
                    due = len(pending) >= SCAN_FIRST
                else:
                    due = len(pending) >= max(SCAN_BATCH_MIN, batch.total // SCAN_STEPS) and (
                        time.perf_counter() - posted >= SCAN_STEP_S
                    )
                if due:
                    progress = ScanProgress(tuple(pending), batch.done, batch.total)
                    self.main_screen.post_message(progress)
                    pending = []
                    posted = time.perf_counter()
        finally:
            batches.close()

    @on(CatalogLoaded)
    def _loaded(self, message: CatalogLoaded) -> None:
        first = not self.loaded
        self.catalog = message.catalog
        self.set_timer(FREEZE_DELAY_S, self.freeze_heap)  # after the tree is painted
        self.loaded = True
        self.scanning = False
        self.main_screen.post_message(CatalogChanged(self.catalog, None))
        if not first:
            self.notify(f"Reloaded {len(self.catalog):,} files", timeout=2)
        if self._pending:
            self.post_message(FilesChanged())
        if self._catch_up_since is not None and self.watch_enabled:
            self._catch_up()
        reveal, self._reveal_after_scan = self._reveal_after_scan, None
        if reveal is not None and reveal in self.catalog:
            self.main_screen.post_message(JumpToAgent(reveal))

    def freeze_heap(self) -> None:
        """Tens of thousands of long-lived catalog objects make every full GC pass slow (30+ ms
        pauses while typing in the filter at 10,000 agents). Move what is alive now out of the
        collector's sight; a reload unfreezes first so the old catalog can still be freed.
        Due before the first frame (a slow start), it ends the startup pause itself, or that
        frame's `startup_gc.resume` would freeze what was made since, garbage included."""
        import gc

        from tui.core import startup_gc

        startup_gc.resume()
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    @on(ReloadRequested)
    def _reload_requested(self, _message: ReloadRequested) -> None:
        self.reload()

    @on(SetGrouping)
    def _forward_grouping(self, message: SetGrouping) -> None:
        self.main_screen.set_grouping(message.group_by)

    def set_grouping(self, by: GroupBy) -> None:
        self.main_screen.set_grouping(by)

    # ---- watching ---------------------------------------------------------------------
    def _root_states(self) -> dict[Path, RootState]:
        return {r.path: _root_state(r.path) for r in self.roots}

    def _arm(self) -> None:
        self._armed = self._root_states()
        self.watcher_ready = False
        paths = tuple(p for p, st in self._armed.items() if st is not None)
        self._watch(paths)

    def _queue(self, path: Path) -> None:
        # The disk is the truth: awatch hands over a set (no order), so an atomic save may
        # arrive as both "deleted" and "added" for the same path.
        from tui.core.catalog import ChangeKind

        self._pending[path] = ChangeKind.ADDED if os.path.lexists(path) else ChangeKind.DELETED

    def _check_roots(self) -> None:
        if self._rescan_next:
            for path in self._rescan_next:
                self._queue(path)
            self._rescan_next = set()
            self.post_message(FilesChanged())
        states = self._root_states()
        if states == self._armed:
            return
        for path, state in states.items():
            if self._armed.get(path) != state:
                self._queue(path)
                if state is not None:
                    # files written between the walk and the new watch: look once more
                    self._rescan_next.add(path)
        self._arm()
        self.post_message(FilesChanged())

    def _wanted(self, path: str) -> bool:
        name = os.path.basename(path)
        if name.endswith(".md"):
            return not name.startswith(".")
        if os.path.isdir(path):
            return True
        # something that went away: a folder (moved out, deleted) is worth a look; editors'
        # temp and swap files (`x.md.tmp`, `.x.md.swp`, `x.md~`) are not
        return not os.path.lexists(path) and not os.path.splitext(name)[1] and "~" not in name

    @work(exclusive=True, group="watcher", exit_on_error=False)
    async def _watch(self, paths: tuple[Path, ...]) -> None:
        if not paths:
            return
        from watchfiles import Change, DefaultFilter, awatch

        base = DefaultFilter()
        wanted = self._wanted

        def keep(change: Change, path: str) -> bool:
            return base(change, path) and wanted(path)

        self.watcher_ready = True
        async for changes in awatch(
            *paths,
            watch_filter=keep,
            debounce=WATCH_DEBOUNCE_MS,
            step=WATCH_STEP_MS,
            recursive=True,
            ignore_permission_denied=True,
        ):
            for _change, raw in changes:
                self._queue(Path(raw))
            self.post_message(FilesChanged())
            self._check_roots()

    @on(FilesChanged)
    def _files_changed(self, _message: FilesChanged) -> None:
        if not self.loaded or self.scanning or not self._pending or self.catalog is None:
            return  # applied once the scan lands
        changes = [(kind, path) for path, kind in self._pending.items()]
        self._pending = {}
        own = self._tell_editors({path for _kind, path in changes})
        catalog = self.catalog
        before = {p: catalog.get(p) for _k, p in changes}
        try:
            diff = catalog.apply(changes)
        except Exception as exc:  # bad input must never take the app down
            self.notify(f"Could not read changes: {exc}", severity="error")
            return
        if diff.empty:
            return
        self.main_screen.post_message(CatalogChanged(catalog, diff))
        if own:  # an open editor's own save is not news from "the disk"
            diff = replace(
                diff,
                added=tuple(p for p in diff.added if p not in own),
                modified=tuple(p for p in diff.modified if p not in own),
            )

        def named(paths: tuple[Path, ...]) -> dict[Path, str]:
            out = {}
            for p in paths:
                d = catalog.get(p) or before.get(p)
                out[p] = d.display_name if d is not None else p.stem
            return out

        if self._burst is None:  # one notification per burst: batches within BURST_S fold
            from tui.core.change_notes import Burst  # (the first change, not the first frame)

            self._burst = Burst()
            self.set_timer(BURST_S, self._tell_burst)
        self._burst.fold(named(diff.added), named(diff.modified), named(diff.removed))

    def _tell_burst(self) -> None:
        burst, self._burst = self._burst, None
        text = burst.describe() if burst is not None else ""
        if text:
            self.notify(text, title="On disk", timeout=3)

    def _tell_editors(self, paths: set[Path]) -> set[Path]:
        """Open editors decide themselves: reload quietly when clean, warn when dirty, and
        ignore the bytes of our own save. Returns the paths whose change is an editor's own
        save (or one still in progress), which the "On disk" notification leaves out."""
        from tui.screens.editor import EditorScreen

        own: set[Path] = set()
        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen) and screen.path in paths:
                try:
                    data: bytes | None = screen.path.read_bytes() if screen.path.is_file() else None
                except OSError:
                    data = None
                if screen.saving or (
                    screen.session is not None and screen.session.is_own_write(data)
                ):
                    own.add(screen.path)
                screen.external_change(data)
        return own

    # ---- our own changes (editor saves, new, duplicate, rename, delete, restore) ------------
    def apply_own_changes(self, paths: Iterable[Path], *, reveal: Path | None = None) -> None:
        """Fold files Roster itself just wrote, moved or deleted into the catalog now (the
        watcher's echo then finds nothing new, so it is not reported as an outside change),
        and optionally highlight `reveal` in the tree."""
        from tui.core.catalog import ChangeKind

        changes = [
            (ChangeKind.ADDED if os.path.lexists(p) else ChangeKind.DELETED, p) for p in paths
        ]
        catalog = self.catalog
        if not self.loaded or self.scanning or catalog is None:
            for kind, p in changes:  # folded in once the scan lands
                self._pending[p] = kind
            return
        try:
            diff = catalog.apply(changes)
        except Exception as exc:  # bad input must never take the app down
            self.notify(f"Could not read changes: {exc}", severity="error")
            return
        if not diff.empty:
            self.main_screen.post_message(CatalogChanged(catalog, diff))
        if reveal is not None and reveal in catalog:
            self.main_screen.post_message(JumpToAgent(reveal))

    def add_root(self, root: Root, *, reveal: Path | None = None) -> None:
        """A folder Roster just created (an install into a new `.claude/agents`): read it
        from now on, rescan, and highlight `reveal` once the scan lands."""
        if all(r.path != root.path for r in self.roots):
            self.roots.append(root)
            self.roots.sort(key=lambda r: r.rank)
        self._reveal_after_scan = reveal
        self.reload()

    def jump_to(self, path: Path) -> None:
        """Reveal and highlight `path` in the tree (the palette's agent commands)."""
        self.main_screen.post_message(JumpToAgent(path))

    def on_editor_screen_editor_saved(self, message: EditorScreen.EditorSaved) -> None:
        """An editor saved: the tree shows the new state at once, on the saved agent. A copy
        saved into an agents folder that is no root yet (a new project `.claude/agents`) makes
        it one."""
        folder = message.path.parent
        if message.copied and all(r.path != folder for r in self.roots):
            from tui.core.roots import Root, RootKind

            user = folder == Path.home() / ".claude" / "agents"
            rank = min((r.rank for r in self.roots), default=0) - 1
            kind = RootKind.USER if user else RootKind.PROJECT
            self.add_root(Root(folder, kind, rank), reveal=message.path)
            return
        self.apply_own_changes([message.path], reveal=message.path)
