"""The main screen: filter + agent tree on the left, preview on the right. A thin view over
`tui.core.browse.Browse` (what the tree shows); the writing flows are in `main_actions`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Static, Tree
from textual.worker import Worker

from tui.core.browse import GROUPING_TITLES, Browse, plural
from tui.core.tree_model import GroupBy
from tui.screens import main_actions
from tui.screens.main_bindings import MAIN_BINDINGS
from tui.screens.messages import (
    CatalogChanged,
    JumpToAgent,
    ScanProgress,
    ScanStarted,
)
from tui.widgets.agent_tree import AgentData, AgentTree
from tui.widgets.filter_bar import FilterBar
from tui.widgets.footer import RosterFooter
from tui.widgets.roots_warning import RootsWarning
from tui.widgets.worker_errors import forward_failure

if TYPE_CHECKING:
    from tui.core.catalog import Catalog
    from tui.core.definition import AgentDefinition
    from tui.screens.services import Roster
    from tui.widgets.preview import Preview

LOADING_DELAY_S = 0.3
# Work that follows the first frame (the preview's imports, the watcher, the scan worker) waits
# this long: Textual writes a frame from a thread, and while this thread imports and builds, the
# writer waits for the GIL (up to the 5 ms switch interval, more than once for a big frame).
# Measured in tmux: rows on screen 5 ms sooner after the frame was rendered.
AFTER_FIRST_FRAME_S = 0.03
EMPTY_TEXT = "no agents here: n creates one"  # in the tree's place when no root has an agent


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = MAIN_BINDINGS
    AUTO_FOCUS = "#tree"
    HELP = "Find an agent with `/`, read it on the right, edit it anywhere: the tree follows."

    def __init__(self, roster: Roster) -> None:
        super().__init__()
        self.roster = roster
        self.browse = Browse(roster.roots)
        self._partial_queued = False
        self._preview: Preview | None = None
        self._preview_due = False  # the first preview's timer is set

    @property
    def catalog(self) -> Catalog | None:
        return self.browse.catalog

    # ---- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield RootsWarning(id="roots-warning")
                yield FilterBar(id="filter")
                yield Static(EMPTY_TEXT, id="tree-empty", markup=False)
                yield AgentTree(id="tree")
                yield Static("", id="status", markup=False)  # holds the typed filter
            # the preview (tabs, Rich tables, workflow parser) is built after the first frame
            yield Vertical(id="preview-host")
        yield RosterFooter()

    @property
    def agent_tree(self) -> AgentTree:
        return self.query_one("#tree", AgentTree)

    @property
    def preview(self) -> Preview:
        if self._preview is None:
            raise LookupError("the preview is mounted when the first scan lands")
        return self._preview

    async def _mount_preview(self) -> bool:
        """Build the preview in its place (once). False: its place is not mounted (a quit
        landed before the first preview: the screen is going away), nothing was built."""
        if self._preview is not None:
            return True
        host = self.query_one("#preview-host", Vertical)
        if not host.is_attached:
            return False
        from tui.widgets.preview import Preview

        self._preview = Preview(id="preview")
        await host.mount(self._preview)
        return True

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one("#filter", FilterBar)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_failure(self, event)  # to the App's error funnel (StateChanged does not bubble)

    def on_mount(self) -> None:
        self._set_status("Scanning…")
        early = self.roster.take_early_rows()  # read while the app started: in the first frame
        if isinstance(early, ScanProgress):
            if self.browse.scan_progress(early.definitions, early.done, early.total):
                self._show_partial()
        elif early is not None:
            self._show_catalog(CatalogChanged(early, None))

    # ---- catalog ----------------------------------------------------------------------
    @on(ScanStarted)
    def _scan_started(self, message: ScanStarted) -> None:
        self.browse.scanning = True
        self._set_status(f"Scanning {plural(message.roots, 'root')}…")
        if self.catalog is None:
            self.set_timer(LOADING_DELAY_S, self._show_loading)

    def _show_loading(self) -> None:
        """A big catalog takes a moment: show the loading indicator over the tree."""
        if self.browse.scanning and self.catalog is None and not self.browse.partial:
            self.agent_tree.loading = True

    @on(ScanProgress)
    def _scan_progress(self, message: ScanProgress) -> None:
        """Part of a scan was read: say how far it got and, on the first load, show what
        arrived (one tree update for every message already queued)."""
        if not self.browse.scan_progress(message.definitions, message.done, message.total):
            self._update_status()  # a reload: the tree keeps showing the current catalog
            return
        if not self._partial_queued:
            self._partial_queued = True
            self.call_later(self._show_partial)

    def _show_partial(self) -> None:
        self._partial_queued = False
        if self.catalog is not None:
            return  # the whole catalog landed meanwhile
        # No cursor until the whole catalog is in (unless you move it): then it goes where a
        # full load puts it, and a row you chose meanwhile stays highlighted.
        self.browse.note_touched(self.agent_tree.expanded_keys())
        self.browse.partial = True
        self.agent_tree.loading = False
        self.rebuild(relayout=True)
        self.browse.fill_shown(self.agent_tree.expanded_keys())

    @on(CatalogChanged)
    async def _catalog_changed(self, message: CatalogChanged) -> None:
        self._show_catalog(message)

    def _show_catalog(self, message: CatalogChanged) -> None:
        tree = self.agent_tree
        first = self.catalog is None
        if message.diff is None:
            self.browse.set_roots(self.roster.roots)  # an install may have added one
        followed = self.browse.load(message.catalog, message.diff, tree.highlighted_path)
        tree.loading = False
        if message.diff is None:
            self.query_one("#roots-warning", RootsWarning).check(self.roster.roots)
        if message.diff is None and self.browse.partial:  # the first scan filled in steps
            self.browse.settle_partial(tree.expanded_keys())
            first = tree.cursor_node is None and first  # a row chosen meanwhile stays
            self.rebuild()
        else:
            self.rebuild(relayout=True)
        if followed is not None:
            tree.reveal(followed)
        if first:
            node = tree.first_agent()
            if node is not None:
                tree.move_cursor(node)
                tree.call_after_refresh(tree.scroll_home, animate=False)
        force = self.browse.preview_outdated(message.diff, tree.highlighted_path)
        if self._preview is None:  # the rows first; the preview once they are painted
            if not self._preview_due:  # (one timer, however many updates come first)
                self._preview_due = True
                self.set_timer(AFTER_FIRST_FRAME_S, self._first_preview)
        else:
            self._sync_preview(force=force)

    async def _first_preview(self) -> None:
        if await self._mount_preview():
            self._sync_preview(force=True)

    # ---- building the tree -------------------------------------------------------------
    def rebuild(self, *, reveal_best: bool = False, relayout: bool = False) -> None:
        """Show the catalog through the current filter and grouping, changing only what differs."""
        view = self.browse.view(relayout=relayout)
        tree = self.agent_tree
        with self.app.batch_update():
            tree.show(
                view.specs,
                policy=self.browse.expand_policy,
                force_expand=view.force_expand,
                restore=view.restore,
                chains=self.browse.chains,
            )
            if reveal_best and view.best is not None:
                tree.reveal(view.best)
        self._update_status()

    def _update_status(self) -> None:
        self._set_status(self.browse.status())
        empty = self.catalog is not None and self.browse.n_agents == 0
        self.query_one("#tree-empty", Static).display = empty
        self.sub_title = self.browse.subtitle(len(self.roster.roots))
        self.filter_bar.set_count(self.browse.count())

    def _set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    # ---- preview ----------------------------------------------------------------------
    def _sync_preview(self, *, force: bool = False) -> None:
        if self._preview is None:
            return
        from tui.core.group_summary import summarise
        from tui.widgets.preview import GroupInfo, PreviewInfo

        node = self.agent_tree.cursor_node
        preview = self._preview
        if node is None or node.data is None or self.catalog is None:
            if preview.info is not None:
                preview.show(None)
            return
        data = node.data
        if isinstance(data, AgentData):
            row = self.browse.rows.get(data.row.path, data.row)
            current = preview.info
            if force or not isinstance(current, PreviewInfo) or current.row is not row:
                totals = self.roster.sessions.totals(row.definition.display_name)
                preview.show(PreviewInfo.of(row, self.catalog, totals))
            return
        spec = self.agent_tree.spec_of(data.key)
        info = summarise(spec) if spec is not None else GroupInfo(data.key, data.title, data.count)
        if force or preview.info != info:
            preview.show(info)

    @on(AgentTree.AgentHighlighted)
    def _highlighted(self) -> None:
        self._sync_preview()

    @on(Tree.NodeSelected, "#tree")
    def _selected(self, event: Tree.NodeSelected[object]) -> None:
        if isinstance(event.node.data, AgentData):
            self.action_launch()

    # ---- filter -----------------------------------------------------------------------
    @on(FilterBar.Changed)
    def _filter_changed(self, message: FilterBar.Changed) -> None:
        if not self.browse.set_query(message.query, self.agent_tree.expanded_keys):
            return
        self.rebuild(reveal_best=bool(self.browse.query))
        self._sync_preview()
        self.refresh_bindings()

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        self.agent_tree.focus()

    # ---- jumping, grouping, sessions ----------------------------------------------------
    @on(JumpToAgent)
    def _jump(self, message: JumpToAgent) -> None:
        if message.path not in self.browse.rows:
            self.notify(f"{message.path} is no longer in the catalog", severity="warning")
            return
        if message.path not in self.agent_tree.visible_paths():
            self.filter_bar.clear()
            self.browse.query_text = ""
            self.rebuild()
        self.agent_tree.reveal(message.path)
        self.agent_tree.focus()
        self._sync_preview()

    def set_grouping(self, by: GroupBy) -> None:
        if not self.browse.set_grouping(by):
            return
        from tui.config import state_path
        from tui.core.ui_state import remember

        problem = remember(state_path(), grouping=by.value)  # the next start groups the same
        if problem:
            self.notify(problem, severity="warning", timeout=8)
        self.rebuild(relayout=True)
        self._sync_preview()
        self.notify(f"Grouped by {GROUPING_TITLES[by]}", timeout=1.5)

    def show_session_badges(self, counts: dict[Path, tuple[int, int]]) -> None:
        """Mark agents with live sessions in the tree: ▶ running, ◉ waiting for you."""
        for tree in self.query("#tree").results(AgentTree):  # none while shutting down
            tree.set_badges(counts)

    def show_session_totals(self) -> None:
        """A turn ended: the highlighted agent's history totals may have moved."""
        if self.is_mounted and self.query("#tree"):  # (none while the app shuts down)
            self._sync_preview(force=True)

    # ---- actions ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.browse.filtering
        if action == "hand_off":
            from tui.core.handoff import find_claude

            return find_claude() is not None  # the key exists only with `claude` on PATH
        return True

    def action_focus_filter(self) -> None:
        # A priority binding, focusing at once (`focus()` waits for a refresh): "/py" typed fast
        # puts "py" in the box; the keys behind the slash used to reach the tree ("p": problems
        # only). In the box itself a slash is text.
        if isinstance(self.focused, Input):
            raise SkipAction()
        self.set_focus(self.filter_bar.input)

    def action_clear_filter(self) -> None:
        if self.browse.problems_only:
            self.action_problems_only()
        self.filter_bar.clear()
        self.agent_tree.focus()

    def action_problems_only(self) -> None:
        """Show only the rows with problems (✗ or !), with the filter, or everything again."""
        on = self.browse.toggle_problems(self.agent_tree.expanded_keys)
        self.rebuild(reveal_best=on)
        self._sync_preview()
        self.refresh_bindings()
        self.notify("Only agents with problems" if on else "All agents", timeout=1.5)

    def action_cycle_grouping(self) -> None:
        self.set_grouping(self.browse.next_grouping())

    def action_reload(self) -> None:
        self.roster.reload()

    def _highlighted_definition(self) -> AgentDefinition | None:
        path = self.agent_tree.highlighted_path
        if path is None or self.catalog is None:
            return None
        return self.catalog.get(path)

    def action_edit(self) -> None:
        d = self._highlighted_definition()
        if d is None:
            self.notify("Highlight an agent first.", severity="warning")
            return
        if d.root in self.browse.library_roots or not os.access(d.path, os.W_OK):
            self.action_install(copy=True)  # not yours to edit in place: edit a copy
            return
        from tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(d.path, d.root))

    def action_edit_external(self) -> None:
        d = self._highlighted_definition()
        if d is None:
            return
        from tui.screens.external_editor import edit_externally

        error = edit_externally(self.app, d.path)
        if error:
            self.notify(error, severity="error")
        else:
            self.roster.reload()

    # ---- new, duplicate, rename, delete (main_actions; the writing is tui.core's) ------
    @work(exclusive=True, group="main-authoring", exit_on_error=False)
    async def action_new_agent(self) -> None:
        current = self._highlighted_definition()
        await main_actions.new_agent(self.app, self.roster, current, self.browse.taken_names())

    @work(exclusive=True, group="main-authoring", exit_on_error=False)
    async def action_duplicate(self) -> None:
        d = self._highlighted_definition()
        await main_actions.duplicate(self.app, self.roster, d, self.browse.taken_names())

    @work(exclusive=True, group="main-authoring", exit_on_error=False)
    async def action_rename(self) -> None:
        d = self._highlighted_definition()
        await main_actions.rename(self.app, self.roster, d, self.browse.taken_names())

    @work(exclusive=True, group="main-authoring", exit_on_error=False)
    async def action_install(self, copy: bool = False) -> None:
        d = self._highlighted_definition()
        await main_actions.install(self.app, self.roster, self.catalog, d, copy=copy)

    @work(exclusive=True, group="main-authoring", exit_on_error=False)
    async def action_delete(self) -> None:
        await main_actions.delete(self.app, self.roster, self._highlighted_definition())

    def action_hand_off(self) -> None:
        d = self._highlighted_definition()
        reads = d is not None and self.browse.kinds.get(d.root) in ("project", "user")
        main_actions.hand_off(self.app, d, claude_reads=reads)

    def action_next_tab(self) -> None:
        if self._preview is not None:
            self._preview.cycle_tab(1)

    def action_previous_tab(self) -> None:
        if self._preview is not None:
            self._preview.cycle_tab(-1)

    # ---- sessions ---------------------------------------------------------------------
    def action_launch(self) -> None:
        d = self._highlighted_definition()
        if d is None:
            self.notify("Highlight an agent first.", severity="warning")
            return
        if not d.is_agent:
            self.notify(
                f"{d.path.name} is not an agent definition: {d.skip_reason or ''}",
                severity="warning",
            )
            return
        self.roster.launch_dialog(d)

    async def action_sessions(self) -> None:
        if not self.roster.sessions.sessions:
            self.notify("No sessions yet: Enter (or l) on an agent launches one.", timeout=4)
            return
        await self.roster.open_sessions()

    def action_history(self) -> None:
        from tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.roster))
