"""The app's live sessions: launching, sending, retrying, resuming, and shutting them down.

UI glue over `tui.core.session`: it builds the engine's config from the settings and the
launch dialog, runs each turn as a worker on the app (so a stream keeps running whichever
screen is shown), and posts `SessionStateChanged` when a session's state moves, which the
session list, the tree badges and the "waiting for you" notification follow. The demo server
and the history database are opened on first use, not at startup.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.messages import SessionStateChanged

if TYPE_CHECKING:
    from tui.app import RosterApp
    from tui.core.definition import AgentDefinition
    from tui.core.session.engine import SessionConfig
    from tui.core.session.live import LiveSession
    from tui.core.session.store import SessionRow, SessionStore
    from tui.core.session.transcript import Change


@dataclass(frozen=True)
class LaunchRequest:
    definition: AgentDefinition
    prompt: str
    cwd: Path
    model: str | None = None  # alias or id; None: the definition's
    permission_mode: str | None = None  # None: the definition's


class SessionManager:
    def __init__(self, app: RosterApp) -> None:
        self.app = app
        self.sessions: list[LiveSession] = []
        self.definitions: dict[str, AgentDefinition] = {}
        self._states: dict[str, str] = {}
        self._store: SessionStore | None = None
        self._demo: Any = None
        self._totals: dict[str, dict[str, float]] | None = None
        self._sdk_frozen = False
        self._flush_failed = False

    # ------------------------------------------------------------------ resources

    @property
    def store(self) -> SessionStore:
        if self._store is None:
            from tui.core.session.store import SessionStore

            self._store = SessionStore()
        return self._store

    def config(
        self, *, model: str | None = None, permission_mode: str | None = None, title: str = ""
    ) -> SessionConfig:
        from tui.core.session.engine import SessionConfig

        settings = self.app.settings
        config = SessionConfig(
            model=model or None,
            permission_mode=permission_mode or None,
            default_model=settings.default_model,
            model_aliases=settings.models or None,
            max_tokens=settings.max_tokens,
            demo=self.app.demo,
            title=title,
            secrets=settings.secrets,
        )
        if self.app.demo:
            from tui.core.session.replay import DEMO_API_KEY, DEMO_MODEL, DemoServer

            if self._demo is None:
                self._demo = DemoServer().start()
            config = replace(
                config,
                base_url=self._demo.url,
                api_key=DEMO_API_KEY,
                model=config.model or DEMO_MODEL,
            )
        return config

    def can_run(self) -> str | None:
        """None when sessions can start, else what the user has to do first."""
        if self.app.demo:
            return None
        from tui.core.session.engine import has_credentials
        from tui.core.session.errors import NO_KEY_MESSAGE

        return None if has_credentials() else NO_KEY_MESSAGE

    # ------------------------------------------------------------------ sessions

    def launch(self, request: LaunchRequest) -> LiveSession:
        from tui.core.session.engine import AgentSession
        from tui.core.session.live import LiveSession

        config = self.config(
            model=request.model,
            permission_mode=request.permission_mode,
            title=request.prompt.splitlines()[0][:120] if request.prompt else "",
        )
        session = AgentSession(request.definition, request.cwd, config, self.store)
        live = LiveSession(session, label=request.definition.display_name)
        self._adopt(live, request.definition)
        self.send(live, request.prompt)
        return live

    def resume(self, row: SessionRow, definition: AgentDefinition) -> LiveSession:
        """A stored session back as a live one (same id, cwd, model and mode)."""
        for live in self.sessions:
            if live.id == row.id:
                return live
        from tui.core.session.engine import AgentSession
        from tui.core.session.live import LiveSession
        from tui.core.session.transcript import from_events

        # no model or mode given: resume keeps the stored session's
        session = AgentSession.resume(self.store, row.id, definition, self.config())
        live = LiveSession(session, label=definition.display_name)
        live.load_history(from_events(self.store.events(row.id), row.status))
        self._adopt(live, definition)
        return live

    def _adopt(self, live: LiveSession, definition: AgentDefinition) -> None:
        # batched text deltas reach the history when the session view is about to show them
        # (and on the app's housekeeping tick), not once per event
        live.session.flush_per_event = False
        self.sessions.append(live)
        self.definitions[live.id] = definition
        live.listeners.append(self._watch_state)
        self._states[live.id] = live.transcript.state
        self.app.post_message(SessionStateChanged(live.id))

    def send(self, live: LiveSession, prompt: str) -> None:
        self.app.run_worker(
            self._turn(live, prompt),
            group="session",
            exit_on_error=False,
            name=f"session {live.id}",
        )

    def retry(self, live: LiveSession) -> None:
        self.app.run_worker(
            self._turn(live, None),
            group="session",
            exit_on_error=False,
            name=f"session {live.id} retry",
        )

    async def _turn(self, live: LiveSession, prompt: str | None) -> None:
        try:
            await live.run(prompt)
        finally:
            self._totals = None
            self._post(live)

    def get(self, session_id: str) -> LiveSession | None:
        for live in self.sessions:
            if live.id == session_id:
                return live
        return None

    def flush_history(self) -> None:
        """Write batched deltas to the history. A failure (the file locked by another
        roster past its timeout, a full disk) keeps them queued and is said once, not on
        every retry; the next success says so."""
        if self._store is None:
            return
        try:
            self._store.flush()
        except sqlite3.Error as exc:
            if not self._flush_failed:
                self._flush_failed = True
                self.app.notify(
                    f"Cannot write the session history {self._store.path}: {exc}. The text "
                    "is kept in memory and written when the file can be written again.",
                    title="History",
                    severity="error",
                    timeout=10,
                )
            return
        if self._flush_failed:
            self._flush_failed = False
            self.app.notify(
                "The session history is being written again.", title="History", timeout=4
            )

    def live_counts(self) -> dict[Path, tuple[int, int]]:
        """Per definition path: (running sessions, sessions waiting for the user)."""
        counts: dict[Path, tuple[int, int]] = {}
        for live in self.sessions:
            if not live.running:
                continue
            path = self.definitions[live.id].path
            running, waiting = counts.get(path, (0, 0))
            counts[path] = (running + 1, waiting + (1 if live.waiting else 0))
        return counts

    def totals(self, name: str) -> dict[str, float] | None:
        if self._store is None:
            from tui.core.session.store import default_db_path

            if not default_db_path().exists():  # browsing must not create a history file
                return None
        if self._totals is None:
            try:
                self._totals = self.store.totals_by_definition()
            except Exception:  # a broken history file must not break the preview
                self._totals = {}
        return self._totals.get(name)

    def sdk_loaded(self) -> None:
        """Once per run, after `anthropic` is imported: the SDK (pydantic models, httpx) adds a
        few hundred thousand long-lived objects; left in the collector's sight, full GC passes
        pause the UI 100-200 ms mid-stream. The launch dialog calls this after its warm-up
        import (while the user types); otherwise the first session event does."""
        if not self._sdk_frozen and "anthropic" in sys.modules:
            self._sdk_frozen = True
            self.app.freeze_heap()

    def _watch_state(self, live: LiveSession, _changes: list[Change]) -> None:
        if not self._sdk_frozen:
            self.app.call_later(self.sdk_loaded)
        state = live.transcript.state
        if self._states.get(live.id) != state:
            self._states[live.id] = state
            self._post(live)

    def _post(self, live: LiveSession) -> None:
        self.app.post_message(SessionStateChanged(live.id))

    async def shutdown(self) -> None:
        for live in self.sessions:
            with contextlib.suppress(Exception):
                await live.session.aclose()
        if self._demo is not None:
            self._demo.stop()
            self._demo = None
        if self._store is not None:
            self._store.close()
            self._store = None
