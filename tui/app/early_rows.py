"""The early scan's side of the catalog service: the rows the first frame shows, the rest of
the child's records, and the catch-up read once the watcher runs (tui/core/early_scan.py says
why the catalog is read in a forked child while the app starts)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.worker import Worker

from tui.screens.messages import FilesChanged, ScanProgress

if TYPE_CHECKING:
    from tui.core.catalog import Catalog
    from tui.core.early_scan import EarlyScan
    from tui.core.roots import Root
    from tui.screens.main import MainScreen

FIRST_ROWS_WAIT_S = 0.5  # longest the first frame waits for the early scan's first rows
FREEZE_DELAY_S = 0.5  # the full GC pass of freeze_heap waits until the rows are on screen


class EarlyRows(App[None]):
    """Mixed into CatalogService; RosterApp sets `early` in its __init__."""

    roots: list[Root]
    main_screen: MainScreen
    catalog: Catalog | None
    loaded: bool
    early: EarlyScan | None
    _early_shown: bool = False  # the early scan's first record is in the tree already
    _catch_up_since: float | None = None  # an early scan began then: re-read what changed since

    def _queue(self, path: Path) -> None:  # CatalogService: a change for the next FilesChanged
        raise NotImplementedError

    def freeze_heap(self) -> None:  # CatalogService
        raise NotImplementedError

    def take_early_rows(self) -> Catalog | ScanProgress | None:
        """Called by the main screen before its first frame: the early scan's first record
        (waiting up to FIRST_ROWS_WAIT_S for it). The whole catalog when it fits in one
        record (it is then loaded: no scan follows), else the first rows to show while the
        scan worker takes the rest, else None (the scan worker brings everything)."""
        early = self.early
        if early is None or self.catalog is not None:
            return None
        try:
            batch = early.first(FIRST_ROWS_WAIT_S)
        except OSError:
            batch = None
        if batch is None:
            return None
        if batch.order is None:
            self._early_shown = True
            return ScanProgress(batch.definitions, batch.done, batch.total)
        from tui.core.catalog import Catalog

        catalog = Catalog(self.roots)
        catalog.adopt(batch.definitions, batch.order)
        self._close_early()
        self._catch_up_since = batch.started
        self.catalog = catalog
        self.loaded = True
        self.set_timer(FREEZE_DELAY_S, self.freeze_heap)
        return catalog

    def _close_early(self) -> None:
        if self.early is not None:
            self.early.close()
            self.early = None

    @work(thread=True, group="scan", exit_on_error=False)
    def _catch_up(self) -> None:
        """Files changed between the early scan's start and the watcher's: read them again."""
        since, self._catch_up_since = self._catch_up_since, None
        catalog = self.catalog
        if since is None or catalog is None:
            return
        from tui.core.early_scan import changed_since

        paths = changed_since(catalog, since)
        self.call_from_thread(self._queue_all, paths)

    def _queue_all(self, paths: list[Path]) -> None:
        for path in paths:
            self._queue(path)
        if paths:
            self.post_message(FilesChanged())

    def _take_early(self, early: EarlyScan, worker: Worker[None]) -> Catalog | None:
        """The rest of the early scan's records, posted as they come, as a catalog. None: it
        failed (the caller scans from scratch)."""
        from tui.core.catalog import Catalog
        from tui.core.early_scan import EarlyScanFailed

        catalog = Catalog(self.roots)
        try:
            for k, batch in enumerate(early.batches()):
                if worker.is_cancelled:
                    return catalog
                catalog.adopt(batch.definitions, batch.order or ())
                if batch.order is not None:
                    self._catch_up_since = batch.started
                    return catalog
                if k or not self._early_shown:
                    progress = ScanProgress(batch.definitions, batch.done, batch.total)
                    self.main_screen.post_message(progress)
        except EarlyScanFailed:
            pass
        return None
