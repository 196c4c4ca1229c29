"""App-wide messages (plain classes: a dataclass costs ~0.2 ms to define, on the way to the first
frame). Widget-owned messages live on their widgets (AgentTree.AgentHighlighted,
FilterBar.Changed). Data flows one way: disk -> catalog (app) -> these messages -> screens."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.core.catalog import Catalog, CatalogDiff
    from tui.core.definition import AgentDefinition
    from tui.core.tree_model import GroupBy


class ScanStarted(Message):
    """A full scan of every root began (first load or reload)."""

    def __init__(self, roots: int) -> None:
        super().__init__()
        self.roots = roots


class ScanProgress(Message):
    """Part of a full scan: `definitions` were read since the last one, `done` of `total` files
    so far (every batch but the last; then `CatalogLoaded` brings the whole catalog)."""

    def __init__(self, definitions: tuple[AgentDefinition, ...], done: int, total: int) -> None:
        super().__init__()
        self.definitions = definitions
        self.done = done
        self.total = total


class CatalogLoaded(Message):
    """A scan thread finished: `catalog` replaces the app's catalog."""

    def __init__(self, catalog: Catalog, elapsed: float) -> None:
        super().__init__()
        self.catalog = catalog
        self.elapsed = elapsed


class FilesChanged(Message):
    """The watcher queued raw changes on the app. Carries nothing: the handler drains the queue,
    so queued copies coalesce and a burst of events becomes one catalog update."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FilesChanged)


class CatalogChanged(Message):
    """The app's catalog changed. `diff` is None after a full (re)scan."""

    def __init__(self, catalog: Catalog, diff: CatalogDiff | None) -> None:
        super().__init__()
        self.catalog = catalog
        self.diff = diff


class JumpToAgent(Message):
    """Reveal and highlight the definition at `path` (command palette, links)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class SetGrouping(Message):
    def __init__(self, group_by: GroupBy) -> None:
        super().__init__()
        self.group_by = group_by


class ReloadRequested(Message):
    """Rescan every root from scratch."""


class SessionStateChanged(Message):
    """A live session started, changed state (streaming, waiting for you, done...) or ended."""

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
