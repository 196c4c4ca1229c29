"""The app's session routes: launch from an agent, show the sessions screen, resume from
history, follow state changes (the list, the tree badges, "waiting for you" when you are
looking elsewhere), and close every session on exit. Mixed into RosterApp."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App

from tui.screens.messages import SessionStateChanged
from tui.widgets.slash_message import SlashRequested

NOTIFY_AFTER_S = 0.4
HOUSEKEEPING_S = 0.25

if TYPE_CHECKING:
    from tui.app.session_manager import SessionManager
    from tui.config import Settings
    from tui.core.catalog import Catalog
    from tui.core.definition import AgentDefinition
    from tui.core.gc_pacing import GcPacer
    from tui.core.session.store import SessionRow
    from tui.screens.launch import LaunchRequest
    from tui.screens.main import MainScreen
    from tui.screens.services import Roster
    from tui.screens.sessions import SessionsScreen


class SessionRoutes(App[None]):
    sessions: SessionManager
    settings: Settings
    catalog: Catalog | None
    main_screen: MainScreen
    _sessions_screen: SessionsScreen | None = None
    _told_waiting: set[str]
    _gc_pacer: GcPacer | None = None
    _opening: str | None = None  # the session open_sessions is bringing to the front

    @property
    def gc_pacer(self) -> GcPacer:
        """Paces full GC passes while sessions stream (built at the first tick or key, not on
        the way to the first frame)."""
        if self._gc_pacer is None:
            from tui.core.gc_pacing import GcPacer

            self._gc_pacer = GcPacer()
        return self._gc_pacer

    @property
    def services(self) -> Roster:
        """What the screens get at construction (RosterApp: the app itself)."""
        raise NotImplementedError

    def start_housekeeping(self) -> None:
        """Full GC passes wait for a quiet moment while a session streams (see GcPacer);
        batched text deltas reach the history at least this often."""
        self.set_interval(HOUSEKEEPING_S, self._housekeeping, name="housekeeping")

    def _housekeeping(self) -> None:
        self.gc_pacer.tick(any(live.running for live in self.sessions.sessions))
        self.sessions.flush_history()

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(
                event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
            )
            and not event.is_forwarded
        ):
            self.gc_pacer.input()
        await super().on_event(event)

    def sessions_screen(self) -> SessionsScreen:
        if self._sessions_screen is None:
            from tui.screens.sessions import SessionsScreen

            self._sessions_screen = SessionsScreen(self.services)
            self.install_screen(self._sessions_screen, "sessions")
        return self._sessions_screen

    @work(group="launch", exclusive=True)
    async def launch_dialog(self, definition: AgentDefinition) -> None:
        from tui.screens.launch import LaunchScreen

        request = await self.push_screen_wait(
            LaunchScreen(
                definition,
                self.settings,
                cwd=self.sessions.start_dir(),
                problem=self.sessions.can_run(),
                sdk_loaded=self.sessions.sdk_loaded,
            )
        )
        if request is not None:
            await self.start_session(request)

    async def start_session(self, request: LaunchRequest) -> None:
        live = self.sessions.launch(request)
        await self.open_sessions(live.id)

    async def open_sessions(self, session_id: str | None = None) -> None:
        """The sessions screen, always right above the agents (a resume from history leaves
        history): Esc or Ctrl+O there is always one step back to the agents."""
        self._opening = session_id
        try:
            await self._open_sessions(session_id)
        finally:
            self._opening = None

    async def _open_sessions(self, session_id: str | None) -> None:
        from tui.screens.history import HistoryScreen, SessionReplayScreen

        screen = self.sessions_screen()
        if screen in self.screen_stack:
            while self.screen is not screen:
                await self.pop_screen()
        else:
            while isinstance(self.screen, HistoryScreen | SessionReplayScreen):
                await self.pop_screen()
            await self.push_screen(screen)
        for live in self.sessions.sessions:
            await screen.add(live)
        target = (
            session_id
            or screen.current
            or (self.sessions.sessions[-1].id if self.sessions.sessions else None)
        )
        if target is not None:
            screen.show(target)

    async def show_agents(self) -> None:
        """Ctrl+O: back to the agents; every session keeps running."""
        while self.screen is not self.main_screen and len(self.screen_stack) > 1:
            await self.pop_screen()

    def resume_session(self, row: SessionRow) -> None:
        definition = self._definition_for(row)
        if definition is None:
            self.notify(
                f"{row.definition_name} is not in the catalog any more ({row.definition_path}): "
                "restore the file to resume this session.",
                severity="error",
                timeout=8,
            )
            return
        problem = self.sessions.can_run()
        if problem is not None and not row.demo:
            self.notify(problem, severity="error", timeout=8)
            return
        try:
            live = self.sessions.resume(row, definition)
        except Exception as exc:  # a damaged history row must not take the app down
            self.notify(f"Cannot resume {row.id}: {exc}", severity="error")
            return
        self.run_worker(self.open_sessions(live.id), group="open-sessions")

    def _definition_for(self, row: SessionRow) -> AgentDefinition | None:
        catalog = self.catalog
        if catalog is None:
            return None
        by_path = catalog.get(Path(row.definition_path))
        if by_path is not None:
            return by_path
        if row.demo:
            from tui.core.session.demo_agent import demo_definition

            return demo_definition()
        return catalog.find(row.definition_name)

    @on(SlashRequested)
    async def _slash(self, message: SlashRequested) -> None:
        """/clear, /compact, /export typed in a session view (slash_routes.py)."""
        from tui.app.slash_routes import run_command

        await run_command(self.sessions, self.sessions_screen(), message.live, message.name)

    @on(SessionStateChanged)
    def _session_state(self, message: SessionStateChanged) -> None:
        screen = self._sessions_screen
        if screen is not None and screen.is_mounted:
            screen.refresh_list()
        self.main_screen.show_session_badges(self.sessions.live_counts())
        live = self.sessions.get(message.session_id)
        if live is None:
            return
        if not live.running:  # a turn ended: the totals in the preview may have moved
            self.main_screen.show_session_totals()
        if not live.waiting:
            self._told_waiting.discard(live.id)
            return
        # a session just launched is about to be shown: decide once the screen settled
        self.set_timer(NOTIFY_AFTER_S, lambda: self._tell_waiting(live.id))

    def _tell_waiting(self, session_id: str) -> None:
        live = self.sessions.get(session_id)
        screen = self._sessions_screen
        if live is None or not live.waiting or session_id in self._told_waiting:
            return
        if session_id == self._opening:  # on its way to the front (a slow first show): wait
            self.set_timer(NOTIFY_AFTER_S, lambda: self._tell_waiting(session_id))
            return
        if screen is not None and self.screen is screen and screen.current == session_id:
            return  # the prompt is in front of the user
        self._told_waiting.add(session_id)
        self.notify(
            f"{live.label} is waiting for you (s opens the sessions).",
            title="Permission needed",
            severity="warning",
            timeout=8,
        )

    async def on_unmount(self) -> None:
        try:
            await self.sessions.shutdown()
        finally:
            if self._gc_pacer is not None:
                self._gc_pacer.resume()  # the interpreter's thresholds outlive the app
