"""Past sessions from the history database: filter by agent or task text and by status, open
one read-only, resume it, or export it to Markdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from tui.core.sanitize import visible_line
from tui.core.session.outcomes import OUTCOME_STYLE, outcome_of, short_folder, status_style
from tui.widgets.session_blocks import ToolView
from tui.widgets.session_view import SessionView
from tui.widgets.status_line import clock, tokens

if TYPE_CHECKING:
    from tui.core.session.store import SessionRow
    from tui.screens.services import Roster, Sessions

# the session screens' stylesheet (this replay screen and SessionsScreen): loaded when first shown
SESSIONS_CSS = Path(__file__).with_name("sessions.tcss")
STATUSES = ("all", "completed", "error", "interrupted", "running", "max_turns")
HISTORY_LIMIT = 500
# Two lines a row, fixed widths that fit 120 columns with the table's scrollbar:
# (label, width) of id/started · status/report · agent/task · folder · tokens/cost
COLUMNS = (("Session", 22), ("Status", 11), ("Agent · task", 41), ("Folder", 22), ("Tokens", 11))


def clip(text: str, width: int, *, left: bool = False) -> str:
    """`text` in `width` cells, cut with "…" (at the start for a path: its end matters).
    Cells, not characters: a CJK or emoji task is two cells a character."""
    kept: list[str] = []
    used = 0
    for ch in reversed(text) if left else text:  # stops at the width: a huge task is cheap
        used += cell_len(ch)
        if used > width:
            break
        kept.append(ch)
    else:
        return text
    used -= cell_len(ch)
    while kept and used > width - 1:
        used -= cell_len(kept.pop())
    return "…" + "".join(reversed(kept)) if left else "".join(kept) + "…"


def history_cells(r: SessionRow, outcome: str) -> tuple[Text, ...]:
    """One session's cells, two lines each: the id always whole (22 characters)."""
    started = dt.datetime.fromtimestamp(r.started_at).strftime("%m-%d %H:%M")
    spent = clock((r.ended_at or r.updated_at) - r.started_at)
    session = Text.assemble((r.id, "bold"), "\n", (f"{started} · {spent}", "dim"))
    status = Text(r.status, style=status_style(r.status))
    if r.demo:
        status.append(" DEMO", style="magenta")
    status.append("\n")
    status.append(outcome or "no report", style=OUTCOME_STYLE.get(outcome, "dim"))
    width = COLUMNS[2][1]
    agent = Text.assemble(
        (clip(visible_line(r.definition_name), width), "bold"),
        "\n",
        clip(visible_line(r.title) or "(no task)", width),
    )
    folder = Text(clip(short_folder(r.cwd), COLUMNS[3][1], left=True), style="dim")
    usage = r.totals()  # (the same figures as the status line and the export)
    figures = Text(f"{tokens(usage.input)}/{tokens(usage.output)}\n{usage.cost_text()}")
    return session, status, agent, folder, figures


def export_session(sessions: Sessions, row: SessionRow) -> str:
    """Write the session as Markdown under the data dir; returns what to tell the user."""
    from tui.config import data_dir
    from tui.core.session.export import to_markdown

    text = to_markdown(sessions.store, row.id)
    if text is None:
        return f"Session {row.id} is not in the history any more."
    folder = data_dir() / "exports"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"session-{row.id}.md"
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        return f"Could not export to {folder}: {exc.strerror or exc}"
    return f"Exported to {target}"


class HistoryScreen(Screen[None]):
    CSS_PATH = Path(__file__).with_name("history.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="history.back", tooltip="Back"),
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            id="history.filter",
            tooltip="Filter by agent, task, folder or report outcome",
            priority=True,  # (keys typed right after it reach the box: see MainScreen)
        ),
        Binding(
            "s",
            "cycle_status",
            "Status",
            id="history.status",
            tooltip="Show only one status (cycles)",
        ),
        Binding("r", "resume", "Resume", id="history.resume", tooltip="Continue this session"),
        Binding("x", "export", "Export", id="history.export", tooltip="Export as Markdown"),
    ]

    def __init__(self, roster: Roster, agent: str = "") -> None:
        super().__init__(id="history-screen")
        self.roster = roster
        self.text_filter = agent
        self.status = "all"
        self.rows: list[SessionRow] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="history-bar"):
            yield Input(
                self.text_filter, placeholder="agent, task, folder or outcome…", id="history-filter"
            )
            yield Static(id="history-status")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "history"
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        store = self.roster.sessions.store
        try:
            everything = store.list_sessions(limit=HISTORY_LIMIT)
            reports = store.outcomes()
        except Exception as exc:  # an unreadable history must not take the app down
            self.notify(f"Cannot read the session history: {exc}", severity="error")
            everything, reports = [], {}
        outcomes = {r.id: outcome_of(r.status, reports.get(r.id)) for r in everything}
        needle = self.text_filter.strip().lower()
        self.rows = [
            r
            for r in everything
            if (self.status == "all" or r.status == self.status)
            and (
                not needle
                or needle in f"{r.definition_name}\n{r.title}\n{r.cwd}\n".lower() + outcomes[r.id]
            )
        ]
        table = self.query_one(DataTable)
        table.clear()
        for r in self.rows:
            table.add_row(*history_cells(r, outcomes[r.id]), height=2, key=r.id)
        shown = f"{len(self.rows):,} of {len(everything):,} · status: {self.status}"
        self.query_one("#history-status", Static).update(shown)

    def selected(self) -> SessionRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(Input.Changed, "#history-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.text_filter = event.value
        self.reload()

    @on(Input.Submitted, "#history-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _open(self) -> None:
        row = self.selected()
        if row is not None:
            self.app.push_screen(SessionReplayScreen(self.roster, row))

    def action_focus_filter(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction()  # in the box a slash is text
        self.set_focus(self.query_one("#history-filter", Input))  # at once: type-ahead lands

    def action_cycle_status(self) -> None:
        self.status = STATUSES[(STATUSES.index(self.status) + 1) % len(STATUSES)]
        self.reload()

    def action_resume(self) -> None:
        row = self.selected()
        if row is not None:
            self.roster.resume_session(row)

    def action_export(self) -> None:
        row = self.selected()
        if row is not None:
            self.notify(export_session(self.roster.sessions, row), timeout=6)


class SessionReplayScreen(Screen[None]):
    """A past session, read-only, exactly as its events tell it."""

    CSS_PATH = SESSIONS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="replay.back", tooltip="Back to history"),
        Binding("r", "resume", "Resume", id="replay.resume", tooltip="Continue this session"),
        Binding("x", "export", "Export", id="replay.export", tooltip="Export as Markdown"),
    ]

    def __init__(self, roster: Roster, row: SessionRow) -> None:
        super().__init__()
        self.roster = roster
        self.row = row

    def compose(self) -> ComposeResult:
        from tui.core.session.transcript import from_events

        transcript = from_events(self.roster.sessions.store.events(self.row.id), self.row.status)
        transcript.model, transcript.mode = self.row.model, self.row.mode
        transcript.demo = self.row.demo
        yield Header(icon="◆")
        yield SessionView(transcript, agent=self.row.definition_name, id="replay-view")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"session {self.row.id} (read-only)"
        self.query_one("#replay-view", SessionView).scroll.focus()

    def action_resume(self) -> None:
        self.roster.resume_session(self.row)

    def action_export(self) -> None:
        self.notify(export_session(self.roster.sessions, self.row), timeout=6)

    @on(ToolView.OpenChild)
    def _open_child(self, event: ToolView.OpenChild) -> None:
        open_child(self, self.roster, event.session_id)


def open_child(screen: Screen[None], roster: Roster, session_id: str) -> None:
    """A delegated session's transcript as stored so far, read-only (Esc: back)."""
    roster.sessions.flush_history()
    row = roster.sessions.store.get_session(session_id)
    if row is None:
        screen.notify(f"No stored session {session_id} yet.", severity="warning")
        return
    screen.app.push_screen(SessionReplayScreen(roster, row))
