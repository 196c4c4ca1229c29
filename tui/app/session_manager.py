"""The app's live sessions: launching, sending, retrying, resuming, and shutting them down.

UI glue over `tui.core.session`: it builds the engine's config from the settings and the
launch dialog, runs each turn as a worker on the app (so a stream keeps running whichever
screen is shown), and posts `SessionStateChanged` when a session's state moves, which the
session list, the tree badges and the "waiting for you" notification follow. The demo server
and the history database are opened on first use, not at startup.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.screens.messages import SessionStateChanged

if TYPE_CHECKING:
    from textual.app import App

    from tui.app.attention import Attention
    from tui.config import Settings
    from tui.core.definition import AgentDefinition
    from tui.core.session.engine import SessionConfig
    from tui.core.session.history import HistoryWriter
    from tui.core.session.live import LiveSession
    from tui.core.session.store import SessionRow, SessionStore
    from tui.core.session.transcript import Change
    from tui.screens.launch import LaunchRequest


class SessionManager:
    """`app` runs the turns as workers and receives `SessionStateChanged`; `freeze_heap` is
    called once the SDK is loaded (see `sdk_loaded`)."""

    def __init__(
        self,
        app: App[Any],
        settings: Settings,
        *,
        demo: bool = False,
        freeze_heap: Callable[[], None] = lambda: None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.demo = demo
        self._freeze_heap = freeze_heap
        self.sessions: list[LiveSession] = []
        self.definitions: dict[str, AgentDefinition] = {}
        self._states: dict[str, str] = {}
        self._store: SessionStore | None = None
        self._history: HistoryWriter | None = None
        self._demo: Any = None
        self._demo_dir: Path | None = None
        self._totals: dict[str, dict[str, float]] | None = None
        self._sdk_frozen = False
        # the catalog the Agent tool resolves names in (set by the app; None: no delegation)
        self.catalog_of: Callable[[], Any] = lambda: None
        self._attention: Attention | None = None

    # ------------------------------------------------------------------ resources

    @property
    def attention(self) -> Attention:
        """A bell (and a desktop notification) when a session out of sight needs the user;
        built with the first session (not on the way to the first frame)."""
        if self._attention is None:
            from tui.app.attention import Attention

            self._attention = Attention(
                self.app, bell=self.settings.bell, desktop=self.settings.desktop_notify
            )
            self._attention.looking = self._looking_at
        return self._attention

    @property
    def store(self) -> SessionStore:
        if self._store is None:
            from tui.core.session.store import SessionStore

            self._store = SessionStore()
        return self._store

    @property
    def history(self) -> HistoryWriter:
        """What the sessions record through; the session view flushes it before it shows."""
        if self._history is None:
            from tui.core.session.history import HistoryWriter

            self._history = HistoryWriter(self.store, on_trouble=self._history_trouble)
        return self._history

    def config(
        self,
        *,
        model: str | None = None,
        permission_mode: str | None = None,
        title: str = "",
        allow: tuple[str, ...] = (),
        deny: tuple[str, ...] = (),
    ) -> SessionConfig:
        from tui.core.session.engine import SessionConfig

        settings = self.settings
        config = SessionConfig(
            model=model or None,
            permission_mode=permission_mode or None,
            default_model=settings.default_model,
            model_aliases=settings.models or None,
            max_tokens=settings.max_tokens,
            allow_rules=(*settings.allow, *allow),
            deny_rules=(*settings.deny, *deny),
            ask_rules=settings.ask,
            continuations=settings.continuations,
            connect_timeout_s=settings.connect_timeout_s,
            read_timeout_s=settings.stall_timeout_s,
            demo=self.demo,
            title=title,
            secrets=settings.secrets,
            driver="the Roster app",
            subagents=self._subagents(),
            max_depth=settings.max_delegation_depth,
            web_tools=settings.web_tools,
        )
        if self.demo:
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

    def start_dir(self) -> Path | None:
        """Where the launch dialog's folder starts: a temp folder in the demo (made once per
        run; the user may still pick another), else None (the current folder)."""
        if not self.demo:
            return None
        if self._demo_dir is None:
            from tui.core.session.demo_agent import demo_workdir

            self._demo_dir = demo_workdir()
        return self._demo_dir

    def _subagents(self) -> Any:
        """What the Agent tool may call: the browser's catalog, same names and precedence."""
        from tui.core.session.options import Subagents

        def resolve(name: str) -> AgentDefinition | None:
            catalog = self.catalog_of()
            return catalog.find(name) if catalog is not None else None

        def listing() -> list[tuple[str, str]]:
            catalog = self.catalog_of()
            if catalog is None:
                return []
            names = sorted({d.name for d in catalog.agents() if d.name})
            winners = [catalog.winner(n) for n in names]
            return [(w.name or "", w.description or "") for w in winners if w is not None]

        return Subagents(resolve, listing)

    def can_run(self) -> str | None:
        """None when sessions can start, else what the user has to do first."""
        if self.demo:
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
            allow=request.allow_rules,
            deny=request.deny_rules,
        )
        session = AgentSession(request.definition, request.cwd, config, history=self.history)
        if request.max_turns is not None:  # the dialog's field beats the file's maxTurns
            session.max_turns = request.max_turns or None
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
        session = AgentSession.resume(  # the task stays its title
            self.store, row.id, definition, self.config(title=row.title), history=self.history
        )
        live = LiveSession(session, label=definition.display_name)
        live.load_history(from_events(self.store.events(row.id), row.status))
        self._adopt(live, definition)
        return live

    def adopt(self, live: LiveSession, definition: AgentDefinition) -> None:
        """A session made elsewhere (/clear) joins the list."""
        self._adopt(live, definition)

    def drop(self, live: LiveSession) -> None:
        """Out of the list (/clear replaced it); the caller closes it."""
        if live in self.sessions:
            self.sessions.remove(live)
        self.definitions.pop(live.id, None)
        self._states.pop(live.id, None)
        if self._watch_state in live.listeners:
            live.listeners.remove(self._watch_state)
        self._post(live)

    def _adopt(self, live: LiveSession, definition: AgentDefinition) -> None:
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

    def compact(self, live: LiveSession) -> None:
        """/compact: the summary request runs like a turn (user_commands.py)."""
        self.app.run_worker(
            self._turn(live, None, compact=True),
            group="session",
            exit_on_error=False,
            name=f"session {live.id} compact",
        )

    async def _turn(self, live: LiveSession, prompt: str | None, *, compact: bool = False) -> None:
        from tui.core.session.events import SessionStatus

        try:
            status = await (live.compact() if compact else live.run(prompt))
            # messages typed during the turn go next (an interrupt hands them back instead)
            while live.queued and status not in {SessionStatus.INTERRUPTED, SessionStatus.ERROR}:
                status = await live.run(live.take_queued())
        finally:
            self._totals = None
            self._post(live)

    async def close(self, live: LiveSession) -> None:
        """Off the list (the history keeps it): a running turn is interrupted first."""
        with contextlib.suppress(Exception):
            await live.session.aclose()
        if live in self.sessions:
            self.sessions.remove(live)
        self.definitions.pop(live.id, None)
        self._states.pop(live.id, None)
        self._post(live)

    def get(self, session_id: str) -> LiveSession | None:
        for live in self.sessions:
            if live.id == session_id:
                return live
        return None

    def flush_history(self) -> None:
        """Before the session view shows a batch, and on the app's tick (HistoryWriter decides
        what that means; a failure is said once through `_history_trouble`)."""
        if self._history is not None:
            self._history.flush()

    def _history_trouble(self, message: str | None) -> None:
        if message is None:
            self.app.notify(
                "The session history is being written again.", title="History", timeout=4
            )
        else:
            self.app.notify(message, title="History", severity="error", timeout=10)

    def live_counts(self) -> dict[Path, tuple[int, int]]:
        """Per definition path: (running sessions, sessions waiting for the user), the
        children a session delegated to included (their definitions run too)."""
        counts: dict[Path, tuple[int, int]] = {}

        def add(path: Path, waiting: bool) -> None:
            running, asking = counts.get(path, (0, 0))
            counts[path] = (running + 1, asking + (1 if waiting else 0))

        catalog = self.catalog_of()
        for live in self.sessions:
            if not live.running:
                continue
            add(self.definitions[live.id].path, live.waiting)
            for run in live.transcript.agent_runs.values():
                if run.state not in {"running", "waiting for you"} or catalog is None:
                    continue
                child = catalog.find(run.agent)
                if child is not None:
                    add(child.path, run.state == "waiting for you")
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
            self._freeze_heap()

    def _watch_state(self, live: LiveSession, _changes: list[Change]) -> None:
        if not self._sdk_frozen:
            self.app.call_later(self.sdk_loaded)
        state = live.transcript.state
        if self._states.get(live.id) != state:
            self._states[live.id] = state
            self._post(live)

        self.attention.seen(live)

    def _looking_at(self, session_id: str) -> bool:
        """Is this session on screen, in a terminal that has the focus?"""
        from tui.screens.sessions import SessionsScreen

        stack = self.app.screen_stack
        screen = stack[-1] if stack else None
        shown = isinstance(screen, SessionsScreen) and screen.current == session_id
        return shown and self.app.app_focus

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
            self._history = None
            self._store.close()
            self._store = None
