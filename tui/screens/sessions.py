"""Every live session: a list on the left (grouped by agent, state on each line, "waiting for
you" in yellow), the selected session's view on the right. The views stay mounted while
hidden, so switching never pauses a stream."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.sanitize import visible, visible_line
from tui.screens.confirm import ConfirmScreen
from tui.screens.history import SESSIONS_CSS, clip, open_child
from tui.screens.messages import SessionStateChanged
from tui.widgets.session_blocks import ToolView
from tui.widgets.session_view import SessionView
from tui.widgets.status_line import report_badge, state_badge

if TYPE_CHECKING:
    from tui.core.session.blocks import AgentRun
    from tui.core.session.live import LiveSession
    from tui.screens.services import Roster


TITLE_WIDTH = 26  # the task under a session's state, in the 34-column list
AGENT_WIDTH = 28


def child_line(run: AgentRun) -> Text:
    text = Text("      ↳ ")
    text.append(visible(run.agent), style="magenta")
    text.append("  ")
    text.append_text(state_badge(run.state))
    return text


class SessionsScreen(Screen[None]):
    CSS_PATH = SESSIONS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "escape",
            "Interrupt / back",
            id="sessions.escape",
            tooltip="Interrupt the running turn; when idle, back to the agents",
        ),
        Binding(
            "ctrl+o",
            "agents",
            "Agents",
            id="sessions.agents",
            tooltip="Back to the agents; every session keeps running",
        ),
        Binding(
            "ctrl+pagedown,alt+down",
            "cycle(1)",
            "Next session",
            id="sessions.next",
            tooltip="Show the next session (its stream keeps running)",
        ),
        Binding(
            "ctrl+pageup,alt+up",
            "cycle(-1)",
            "Previous session",
            id="sessions.previous",
            show=False,
            tooltip="Show the previous session",
        ),
        Binding(
            "x",
            "close_session",
            "Close",
            id="sessions.close",
            tooltip="Close the session (the history keeps it); a running one asks first",
        ),
        Binding(
            "ctrl+l",
            "focus_list",
            "List",
            id="sessions.list",
            show=False,
            tooltip="Move to the session list",
        ),
    ]
    HELP = "Each session keeps streaming while you look at another. Esc interrupts."

    def __init__(self, roster: Roster) -> None:
        super().__init__(id="sessions-screen")
        self.roster = roster
        self._view_ids: dict[str, str] = {}  # session id -> widget id
        self.current: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="sessions-main"):
            with Vertical(id="sessions-side"):
                yield Static(Text("Sessions", style="bold"), id="sessions-title")
                yield OptionList(id="session-list")
            yield ContentSwitcher(id="session-views")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "sessions"
        self.refresh_list()

    def on_screen_resume(self) -> None:
        self.refresh_list()
        self._focus_current()

    # ------------------------------------------------------------------ views

    def view(self, session_id: str) -> SessionView | None:
        widget_id = self._view_ids.get(session_id)
        if widget_id is None:
            return None
        return self.query_one("#session-views", ContentSwitcher).get_child_by_id(
            widget_id, SessionView
        )

    def current_view(self) -> SessionView | None:
        return self.view(self.current) if self.current is not None else None

    async def add(self, live: LiveSession) -> SessionView:
        existing = self.view(live.id)
        if existing is not None:
            return existing
        widget_id = f"session-{len(self._view_ids) + 1}"
        self._view_ids[live.id] = widget_id
        view = SessionView(
            live.transcript,
            live=live,
            agent=live.label,
            flush_history=self.roster.sessions.flush_history,
            id=widget_id,
        )
        await self.query_one("#session-views", ContentSwitcher).mount(view)
        return view

    async def forget(self, session_id: str) -> None:
        """The session left the list (/clear replaced it): its view goes too."""
        view = self.view(session_id)
        self._view_ids.pop(session_id, None)
        if view is not None:
            await view.remove()
        self.refresh_list()

    def show(self, session_id: str) -> None:
        widget_id = self._view_ids.get(session_id)
        if widget_id is None:
            return
        self.current = session_id
        self.query_one("#session-views", ContentSwitcher).current = widget_id
        self.refresh_list()
        self.call_after_refresh(self._focus_current)

    def _focus_current(self) -> None:
        view = self.current_view()
        if view is not None:
            view.focus_input()

    # ------------------------------------------------------------------ the list

    def refresh_list(self) -> None:
        manager = self.roster.sessions
        found = self.query("#session-list").results(OptionList)
        option_list = next(iter(found), None)
        if option_list is None:  # not composed yet, or being torn down at exit
            return
        by_agent: dict[str, list[LiveSession]] = {}
        for live in manager.sessions:
            by_agent.setdefault(live.label, []).append(live)
        options: list[Option] = []
        highlight: int | None = None
        for agent, group in by_agent.items():
            name = clip(visible_line(agent), AGENT_WIDTH)
            options.append(Option(Text(f"◆ {name}", style="bold"), disabled=True))
            for live in group:
                if live.id == self.current:
                    highlight = len(options)
                options.append(Option(self._line(live), id=live.id))
                # its delegated sessions, nested under it (a prompt of theirs is the parent's)
                runs = {id(r): r for r in live.transcript.agent_runs.values()}.values()
                options.extend(Option(child_line(run), disabled=True) for run in runs)
        option_list.set_options(options)
        if highlight is not None:
            option_list.highlighted = highlight
        waiting = sum(1 for live in manager.sessions if live.waiting)
        title = Text("Sessions", style="bold")
        if waiting:
            title.append(f"  {waiting} waiting for you", style="bold black on yellow")
        for label in self.query("#sessions-title").results(Static):
            label.update(title)

    def _line(self, live: LiveSession) -> Text:
        t = live.transcript
        text = Text("  ")
        state = "waiting for you" if live.waiting else t.state
        text.append_text(state_badge(state))
        text.append_text(report_badge(t))
        title = live.session.config.title or "(no task)"
        text.append(f"\n    {clip(visible_line(title), TITLE_WIDTH)}", style="dim")
        return text

    @on(ToolView.OpenChild)
    def _open_child(self, event: ToolView.OpenChild) -> None:
        open_child(self, self.roster, event.session_id)

    @on(OptionList.OptionSelected, "#session-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.show(event.option.id)

    @on(SessionStateChanged)
    def _state_changed(self, _message: SessionStateChanged) -> None:
        self.refresh_list()

    # ------------------------------------------------------------------ sending

    @on(SessionView.SendRequested)
    def _send(self, event: SessionView.SendRequested) -> None:
        if event.view.live is not None:
            self.roster.sessions.send(event.view.live, event.text)

    @on(SessionView.RetryRequested)
    def _retry(self, event: SessionView.RetryRequested) -> None:
        if event.view.live is not None:
            self.roster.sessions.retry(event.view.live)

    # ------------------------------------------------------------------ actions

    def action_escape(self) -> None:
        view = self.current_view()
        if view is not None and view.live is not None and view.live.running:
            view.live.interrupt()
            self.notify("Interrupted.", timeout=2)
            return
        self.app.pop_screen()

    async def action_agents(self) -> None:
        await self.roster.show_agents()

    def action_cycle(self, step: int) -> None:
        ids = [live.id for live in self.roster.sessions.sessions]
        if not ids:
            return
        at = ids.index(self.current) if self.current in ids else -1
        self.show(ids[(at + step) % len(ids)])

    def action_focus_list(self) -> None:
        self.query_one("#session-list", OptionList).focus()

    def _target(self) -> LiveSession | None:
        """The highlighted session when the list has the focus, else the one shown."""
        option_list = self.query_one("#session-list", OptionList)
        chosen = self.current
        if option_list.has_focus and option_list.highlighted is not None:
            chosen = option_list.get_option_at_index(option_list.highlighted).id or chosen
        return next((s for s in self.roster.sessions.sessions if s.id == chosen), None)

    @work(group="close-session", exclusive=True)
    async def action_close_session(self) -> None:
        """x: a finished session leaves the list at once; a running one (or one waiting for
        you) asks first, and is interrupted before it closes. The history keeps it."""
        live = self._target()
        if live is None:
            return
        label = visible_line(live.label)
        if live.running:
            question = ConfirmScreen(
                f"{label} is still working. Interrupt it and close the session?",
                title="Close session",
                yes="Interrupt and close",
                no="Keep it",
                danger=True,
            )
            if not await self.app.push_screen_wait(question):
                return
        ids = [s.id for s in self.roster.sessions.sessions]
        await self.roster.sessions.close(live)
        widget_id = self._view_ids.pop(live.id, None)
        if widget_id is not None:
            views = self.query_one("#session-views", ContentSwitcher)
            await views.get_child_by_id(widget_id).remove()
        rest = [i for i in ids if i != live.id]
        self.notify(f"Closed {label}: the history keeps it (H).", timeout=4)
        if not rest:
            self.current = None
            self.refresh_list()
            self.app.pop_screen()
            return
        if self.current == live.id or self.current not in rest:
            at = min(ids.index(live.id), len(rest) - 1)
            self.show(rest[at])
        else:
            self.refresh_list()
