"""Command-palette providers: jump to any agent by name, reload, switch grouping, restore a
deleted agent from the trash.

(Theme switching comes from Textual's own system commands, kept in `RosterApp.COMMANDS`.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from tui.core.sanitize import visible_line
from tui.core.tree_model import GroupBy
from tui.screens.messages import ReloadRequested, SetGrouping
from tui.widgets.plain_title import plain_title  # (a str prompt is read as markup)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.app import App

    from tui.core.catalog import Catalog
    from tui.core.roots import Root
    from tui.core.storage import TrashEntry


def _highlighted(matcher: Matcher, text: str) -> Content:
    """The match highlighted, as Matcher.highlight does; it reads its text as markup, so text
    with a `[` is shown plain instead."""
    shown = visible_line(text)
    return Content(shown) if "[" in shown else matcher.highlight(shown)


def _help(text: str) -> str:
    """Help text from a file for a hit (the palette reads it as markup): every `[` escaped."""
    return visible_line(text).replace("[", "\\[")


@runtime_checkable
class PaletteHost(Protocol):
    """What the palette needs of the app (RosterApp has it; this module never imports it)."""

    catalog: Catalog | None
    roots: list[Root]

    def jump_to(self, path: Path) -> None: ...

    def apply_own_changes(self, paths: Iterable[Path], *, reveal: Path | None = None) -> None: ...


GROUP_COMMANDS: tuple[tuple[str, GroupBy, str], ...] = (
    ("Group by level", GroupBy.LEVEL, "Tree: level → domain → agent"),
    ("Group by domain", GroupBy.DOMAIN, "Tree: domain → agent"),
    ("Group by source root", GroupBy.ROOT, "Tree: root folder → agent"),
    ("Group by folder", GroupBy.FOLDER, "Tree: folder inside the root → agent"),
    ("Group by model", GroupBy.MODEL, "Tree: model → agent"),
)


def _roster(provider: Provider) -> PaletteHost:
    app = provider.app
    assert isinstance(app, PaletteHost)
    return app


class AgentCommands(Provider):
    """Every agent in the catalog, by name: pick one to reveal it in the tree."""

    def _entries(self) -> list[tuple[str, str, Path]]:
        app = _roster(self)
        out: list[tuple[str, str, Path]] = []
        if app.catalog is None:
            return out
        for d in app.catalog.definitions():
            where = d.level or "—"
            help_text = f"{where} · {d.domain} · {d.description or d.skip_reason or ''}"
            out.append((d.display_name, help_text[:120], d.path))
        return out

    def _jump(self, path: Path) -> None:
        _roster(self).jump_to(path)

    async def discover(self) -> Hits:
        for name, help_text, path in self._entries()[:50]:
            yield DiscoveryHit(
                plain_title(f"Agent: {name}"), partial(self._jump, path), help=_help(help_text)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, path in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    _highlighted(matcher, name),
                    partial(self._jump, path),
                    text=name,
                    help=_help(help_text),
                )


def show_roots(provider: Provider) -> None:
    """The roots panel: every root, its kind, its count, whether it exists."""
    from tui.core.root_rows import root_rows
    from tui.screens.roots import RootsScreen

    host = _roster(provider)
    files = (d.root for d in host.catalog.definitions()) if host.catalog is not None else ()
    provider.app.push_screen(RootsScreen(root_rows(host.roots, files)))


class RosterCommands(Provider):
    """Reload and grouping."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        out: list[tuple[str, Callable[[], object], str]] = [
            ("Reload agents", lambda: app.post_message(ReloadRequested()), "Rescan every root"),
            ("Roots searched", partial(show_roots, self), "Every folder read: kind, files"),
        ]
        from tui.core.handoff import find_claude

        if find_claude() is not None:
            out.append(
                (
                    "Hand off to Claude Code",
                    partial(app.run_action, "screen.hand_off"),
                    "Run `claude` with the highlighted agent as the main agent",
                )
            )
        for title, by, help_text in GROUP_COMMANDS:
            out.append((title, partial(app.post_message, SetGrouping(by)), help_text))
        return out

    async def discover(self) -> Hits:
        for title, action, help_text in self._commands():
            yield DiscoveryHit(plain_title(title), action, help=_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, _highlighted(matcher, title), action, text=title, help=_help(help_text)
                )


def trash_title(entry: TrashEntry) -> str:
    """`Restore from trash: NAME (deleted TIME)`; NAME is the agent's name when it reads."""
    from tui.core.parse import parse_bytes

    try:
        data = entry.stored.read_bytes()
    except OSError:
        data = b""
    name = parse_bytes(data, entry.original, entry.original.parent).name or entry.original.stem
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.deleted_at))
    return f"Restore from trash: {name} (deleted {when})"


def restore(app: App[Any], host: PaletteHost, entry: TrashEntry) -> None:
    """Put `entry` back, say where it went, and highlight it."""
    from tui.core.storage import StorageError, restore_from_trash

    try:
        path = restore_from_trash(entry)
    except StorageError as exc:
        app.notify(str(exc), title="Not restored", severity="error", timeout=10)
        return
    host.apply_own_changes([path], reveal=path)
    if path == entry.original:
        app.notify(f"Restored {path.name} to {path.parent}", title="Restored", timeout=4)
    else:
        app.notify(
            f"{entry.original.name} is taken by another file, so the deleted one was restored "
            f"beside it as {path.name} (in {path.parent}). Both may now share a name: rename one "
            "with R.",
            title="Restored under a new file name",
            severity="warning",
            timeout=10,
        )


class TrashCommands(Provider):
    """One command per trashed definition (newest first): restore it."""

    def _entries(self) -> list[tuple[str, Callable[[], object], str]]:
        from tui.config import data_dir
        from tui.core.storage import list_trash

        host = _roster(self)
        return [
            (trash_title(e), partial(restore, self.app, host, e), f"Back to {e.original}")
            for e in list_trash(data_dir())
        ]

    async def discover(self) -> Hits:
        for title, action, help_text in self._entries():
            yield DiscoveryHit(plain_title(title), action, help=_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, _highlighted(matcher, title), action, text=title, help=_help(help_text)
                )
