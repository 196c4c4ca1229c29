"""App-wide messages. Widget-owned messages live on their widgets (AgentTree.AgentHighlighted,
FilterBar.Changed). Data flows one way: disk -> catalog (app) -> these messages -> screens."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.core.catalog import Catalog, CatalogDiff
    from tui.core.definition import AgentDefinition
    from tui.core.tree_model import GroupBy


@dataclass
class ScanStarted(Message):
    """A full scan of every root began (first load or reload)."""

    roots: int


@dataclass
class ScanProgress(Message):
    """Part of a full scan: `definitions` were read since the last one, `done` of `total` files
    so far (every batch but the last; then `CatalogLoaded` brings the whole catalog)."""

    definitions: tuple[AgentDefinition, ...]
    done: int
    total: int


@dataclass
class CatalogLoaded(Message):
    """A scan thread finished: `catalog` replaces the app's catalog."""

    catalog: Catalog
    elapsed: float


@dataclass
class FilesChanged(Message):
    """The watcher queued raw changes on the app. Carries nothing: the handler drains the queue,
    so queued copies coalesce and a burst of events becomes one catalog update."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FilesChanged)


@dataclass
class CatalogChanged(Message):
    """The app's catalog changed. `diff` is None after a full (re)scan."""

    catalog: Catalog
    diff: CatalogDiff | None


@dataclass
class JumpToAgent(Message):
    """Reveal and highlight the definition at `path` (command palette, links)."""

    path: Path


@dataclass
class SetGrouping(Message):
    group_by: GroupBy


@dataclass
class ReloadRequested(Message):
    """Rescan every root from scratch."""


@dataclass
class SessionStateChanged(Message):
    """A live session started, changed state (streaming, waiting for you, done...) or ended."""

    session_id: str
