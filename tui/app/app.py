"""The Textual app: RosterApp puts its services together (the catalog + watcher service, the
session service), owns the palette and the keymap, and is the one error funnel for workers.
Screens get the app as a `tui.screens.services.Roster` and never import this module."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.worker import Worker, WorkerState

from tui.app.catalog_service import CatalogService, RootState
from tui.app.paste_guard import PasteGuard
from tui.app.session_manager import SessionManager
from tui.app.sessions import SessionRoutes
from tui.config import Settings
from tui.core import startup_gc
from tui.core.roots import Root
from tui.screens.main import AFTER_FIRST_FRAME_S, MainScreen
from tui.widgets.worker_errors import WorkerFailed

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.driver import Driver
    from textual.screen import Screen

    from tui.core.catalog import Catalog, ChangeKind
    from tui.core.early_scan import EarlyScan
    from tui.screens.editor import EditorScreen
    from tui.screens.services import Roster

log = logging.getLogger("roster")
# what the user is told failed, by worker group
WORKER_TASKS = {
    "scan": "Scan",
    "watcher": "File watcher",
    "preview": "Preview",
    "session": "Session",
    "pump": "Transcript",
    "launch": "Launch dialog",
    "open-sessions": "Sessions screen",
    "main-authoring": "Agent action",
    "quit": "Quit",
}


def _agent_commands() -> type[Provider]:  # palette providers load when the palette opens
    from tui.app.commands import AgentCommands

    return AgentCommands


def _roster_commands() -> type[Provider]:
    from tui.app.commands import RosterCommands

    return RosterCommands


def _trash_commands() -> type[Provider]:
    from tui.app.commands import TrashCommands

    return TrashCommands


class RosterApp(CatalogService, SessionRoutes, PasteGuard):
    TITLE = "Roster"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    COMMANDS: ClassVar = App.COMMANDS | {_agent_commands, _roster_commands, _trash_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, tooltip="Quit Roster"),
        Binding(
            "f1,question_mark",
            "help",
            "Help",
            id="app.help",
            key_display="F1/?",
            tooltip="Keys and what they do",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            id="app.palette",
            show=False,
            priority=True,
            tooltip="Jump to an agent, switch grouping, theme, reload",
        ),
    ]

    def __init__(
        self,
        roots: Iterable[Root],
        settings: Settings | None = None,
        *,
        demo: bool = False,
        watch: bool | None = None,
        scan_workers: int | None = None,
        scan_batch: int | None = None,
        early: EarlyScan | None = None,
    ) -> None:
        super().__init__()
        self.early = early  # the catalog being read in a forked child since `roster` started
        self.roots: list[Root] = sorted(roots, key=lambda r: r.rank)
        self.settings = settings or Settings()
        self.demo = demo
        self.watch_enabled = self.settings.watch if watch is None else watch
        self.scan_workers = scan_workers
        self.scan_batch = scan_batch  # files per progress message (None: a share of the total)
        self.catalog: Catalog | None = None  # set when the first scan lands
        self.loaded = False
        self.scanning = False
        self.main_screen = MainScreen(self.services)
        self._pending: dict[Path, ChangeKind] = {}
        self._armed: dict[Path, RootState] = {}
        self._rescan_next: set[Path] = set()
        self.watcher_ready = False  # True once awatch is running (tests wait for it)
        self.sessions = SessionManager(self, self.settings, demo=demo, freeze_heap=self.freeze_heap)
        self.sessions.catalog_of = lambda: self.catalog
        self._told_waiting: set[str] = set()
        self._asking_to_quit = False
        self._started = False  # the first frame is up (on_ready)
        self._quit_when_started = False

    @property
    def services(self) -> Roster:
        return self  # mypy checks here that the app has everything a screen may ask for

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        from tui.app.lenient_input import make_lenient

        make_lenient(driver)  # a byte that is not UTF-8 is a U+FFFD, not a panic
        return driver

    def get_default_screen(self) -> Screen[Any]:
        return self.main_screen

    def on_mount(self) -> None:
        from tui.app.ui_memory import restore_view

        # the theme and grouping the last run left (the config's theme when none is remembered)
        restore_view(self, self.main_screen.browse, fallback_theme=self.settings.theme)
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
            self.call_after_refresh(self._check_keymap)
        for problem in self.settings.problems:
            self.notify(problem, title="Config", severity="warning", timeout=8)
        if self.demo:  # every screen's header says so
            self.title = "Roster · DEMO"
        self.start_housekeeping()

    def on_ready(self) -> None:
        # The first frame is on screen: now read the disk (the catalog code, YAML and the
        # watcher are imported by the workers, not on the way to the first frame).
        self._started = True
        startup_gc.resume()  # `roster` paused the collector until this first frame
        if self._quit_when_started:
            self.exit()
            return
        self.set_timer(AFTER_FIRST_FRAME_S, self.start_watching)  # (the frame is written first)

    # ---- the error funnel: every worker's unexpected failure is shown and logged ------------
    @on(Worker.StateChanged)
    def _own_worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker)

    @on(WorkerFailed)
    def _forwarded_failure(self, message: WorkerFailed) -> None:
        self.worker_failed(message.worker)

    def worker_failed(self, worker: Worker[Any]) -> None:
        error = worker.error
        what = WORKER_TASKS.get(worker.group, worker.name or worker.group or "A task")
        log.error("%s failed (worker %r)", what, worker.name, exc_info=error)
        self.log.error(f"{what} failed: worker {worker.name!r}: {error!r}")
        if worker.group == "watcher":
            roots_moved = self._root_states() != self._armed
            self.watcher_failed()  # the root check re-arms on its next tick
            if roots_moved and isinstance(error, OSError):
                return  # a watched root went away: expected, and followed by the root check
        if worker.group == "scan":
            self.scanning = False
            self.notify(f"Scan failed: {error}", severity="error", timeout=10)
            return
        self.notify(
            f"{what} failed: {type(error).__name__}: {error}. Roster goes on.",
            title="Internal error",
            severity="error",
            timeout=10,
        )

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:
        """Every notification passes here: text from files (names, paths) is shown with its
        control characters as visible escapes, never read as markup."""
        from tui.core.sanitize import visible
        from tui.widgets.held_notices import holding_dialog

        dialog = holding_dialog(self.screen_stack)
        if dialog is not None:
            dialog.hold(message, title, **kwargs)  # no toast over a dialog: it waits
            return
        kwargs.setdefault("markup", False)  # `p[/]q.md` in a message is a name, not markup
        super().notify(visible(message), title=visible(title, keep_newlines=False), **kwargs)

    # ---- quitting ---------------------------------------------------------------------
    async def action_quit(self) -> None:
        """ctrl+q: quit, but never drop an editor's unsaved edits or stop a running session
        without asking."""
        from tui.screens.editor import EditorScreen

        if not self._started:  # quitting while the screen still mounts races Textual's Header
            self._quit_when_started = True
            return
        dirty = [
            s for s in self.screen_stack if isinstance(s, EditorScreen) and s.has_unsaved_changes
        ]
        running = [live.label for live in self.sessions.sessions if live.running]
        if not dirty and not running:
            self.exit()
        elif not self._asking_to_quit:
            self._ask_to_quit(dirty, running)

    @work(exclusive=True, group="quit")
    async def _ask_to_quit(self, dirty: list[EditorScreen], running: list[str]) -> None:
        from tui.screens.confirm import ConfirmScreen
        from tui.screens.unsaved import UnsavedChoice, UnsavedScreen

        parts: list[str] = []
        if dirty:
            what = ", ".join(s.path.name for s in dirty)
            parts.append(f"{what} {'has' if len(dirty) == 1 else 'have'} unsaved changes.")
        if running:
            n = len(running)
            parts.append(
                f"{n} session{'s are' if n > 1 else ' is'} still running "
                f"({', '.join(running)}): quitting interrupts "
                f"{'them' if n > 1 else 'it'}; the history keeps what was done, and "
                "`r` in the history resumes."
            )
        self._asking_to_quit = True
        try:
            if dirty:
                choice = await self.push_screen_wait(
                    UnsavedScreen(
                        " ".join(parts) + " Save before quitting?",
                        save="Save and quit",
                        discard="Quit without saving",
                        stay="Stay",
                    )
                )
                leave = choice is not UnsavedChoice.STAY
                if choice is UnsavedChoice.SAVE:
                    for editor in dirty:  # each save may ask (conflict, encoding, read-only)
                        if not await editor.save_now():
                            self.notify(f"{editor.path.name} was not saved: Roster stays open.")
                            return
            else:
                leave = await self.push_screen_wait(
                    ConfirmScreen(
                        " ".join(parts) + " Quit anyway?",
                        title="Sessions running",
                        yes="Quit",
                        no="Stay",
                        danger=True,
                    )
                )
        finally:
            self._asking_to_quit = False
        if leave:
            self.exit()

    def _check_keymap(self) -> None:
        from tui.app.keymap import unknown_ids

        unknown = unknown_ids(self.settings.keys)
        if unknown:
            self.notify(
                f"Config [keys]: no binding with id {', '.join(sorted(unknown))} "
                "(F1 lists the ids)",
                title="Config",
                severity="warning",
                timeout=8,
            )

    # ---- actions ----------------------------------------------------------------------
    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, with_inactive

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(with_inactive(self.screen.active_bindings, self.screen, self)))


def make_app(
    *,
    roots: Iterable[Root],
    settings: Settings | None = None,
    demo: bool = False,
    watch: bool | None = None,
    scan_workers: int | None = None,
    scan_batch: int | None = None,
    early: EarlyScan | None = None,
) -> RosterApp:
    """The one way to build the app: the CLI and the tests both call this."""
    return RosterApp(
        roots,
        settings,
        demo=demo,
        watch=watch,
        scan_workers=scan_workers,
        scan_batch=scan_batch,
        early=early,
    )
