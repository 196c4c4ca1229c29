"""What the screens may ask of the app, as Protocols.

Screens receive an object satisfying `Roster` at construction (the App passes itself) and
never import the App class: the arrows point down (app -> screens -> widgets -> core), and a
screen can be built in a test with any object that has these few members."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tui.core.catalog import Catalog
    from tui.core.definition import AgentDefinition
    from tui.core.roots import Root
    from tui.core.session.live import LiveSession
    from tui.core.session.store import SessionRow, SessionStore
    from tui.screens.messages import ScanProgress


class Sessions(Protocol):
    """The live sessions and the history they write to."""

    @property
    def sessions(self) -> list[LiveSession]: ...

    @property
    def store(self) -> SessionStore: ...

    def send(self, live: LiveSession, prompt: str) -> None: ...

    def retry(self, live: LiveSession) -> None: ...

    def totals(self, name: str) -> dict[str, float] | None: ...

    def flush_history(self) -> None: ...

    def live_counts(self) -> dict[Path, tuple[int, int]]: ...

    async def close(self, live: LiveSession) -> None: ...


class Roster(Protocol):
    """The app's services: the roots, the catalog's own-change path, and the sessions."""

    @property
    def roots(self) -> Sequence[Root]: ...

    @property
    def sessions(self) -> Sessions: ...

    def reload(self) -> None: ...

    def take_early_rows(self) -> Catalog | ScanProgress | None: ...

    def apply_own_changes(self, paths: Iterable[Path], *, reveal: Path | None = None) -> None: ...

    def add_root(self, root: Root, *, reveal: Path | None = None) -> None: ...

    def launch_dialog(self, definition: AgentDefinition) -> object: ...

    async def open_sessions(self, session_id: str | None = None) -> None: ...

    async def show_agents(self) -> None: ...

    def resume_session(self, row: SessionRow) -> None: ...
