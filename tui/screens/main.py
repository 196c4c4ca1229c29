"""The main screen: filter + agent tree on the left, preview on the right."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree

from tui.core.filtering import SearchKey, search
from tui.core.tree_model import Group, GroupBy, build_groups
from tui.screens.messages import CatalogChanged, JumpToAgent, ScanProgress, ScanStarted, SetGrouping
from tui.widgets.agent_tree import (
    PROBLEMS_KEY,
    AgentData,
    AgentRow,
    AgentTree,
    GroupSpec,
)
from tui.widgets.filter_bar import FilterBar

if TYPE_CHECKING:
    from tui.app.app import RosterApp
    from tui.core.catalog import Catalog, CatalogDiff
    from tui.core.definition import AgentDefinition
    from tui.core.roots import Root
    from tui.widgets.preview import Preview, PreviewInfo

LOADING_DELAY_S = 0.3
SMALL_CATALOG = 200  # groups start expanded up to this many agents
GROUPINGS = (GroupBy.LEVEL, GroupBy.DOMAIN, GroupBy.ROOT, GroupBy.FOLDER, GroupBy.MODEL)
GROUPING_TITLES = {
    GroupBy.LEVEL: "level → domain",
    GroupBy.DOMAIN: "domain",
    GroupBy.ROOT: "source root",
    GroupBy.FOLDER: "folder",
    GroupBy.MODEL: "model",
}


def _depths(spec: GroupSpec, depth: int) -> Iterator[tuple[int, GroupSpec]]:
    yield depth, spec
    for child in spec.children:
        yield from _depths(child, depth + 1)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", id="main.filter", tooltip="Filter agents"),
        Binding(
            "escape",
            "clear_filter",
            "Clear",
            id="main.clear_filter",
            tooltip="Clear the filter",
        ),
        Binding(
            "g", "cycle_grouping", "Group", id="main.group", tooltip="Group by level, domain, ..."
        ),
        Binding("r", "reload", "Reload", id="main.reload", tooltip="Rescan every root"),
        Binding("e", "edit", "Edit", id="main.edit", tooltip="Edit the highlighted agent here"),
        Binding("n", "new_agent", "New", id="main.new", tooltip="Create an agent from a template"),
        Binding(
            "d",
            "duplicate",
            "Duplicate",
            id="main.duplicate",
            tooltip="Copy the highlighted agent under a new name",
            show=False,
        ),
        Binding(
            "R,f2",
            "rename",
            "Rename",
            id="main.rename",
            key_display="R/F2",
            tooltip="Rename the highlighted agent (and its file, if you choose)",
            show=False,
        ),
        Binding(
            "delete,x",
            "delete",
            "Delete",
            id="main.delete",
            key_display="Del/x",
            tooltip="Move the highlighted agent to the trash (restore it from the palette)",
            show=False,
        ),
        Binding(
            "l",
            "launch",
            "Launch",
            id="main.launch",
            key_display="⏎/l",
            tooltip="Start a session with the highlighted agent",
        ),
        Binding(
            "s",
            "sessions",
            "Sessions",
            id="main.sessions",
            tooltip="Running sessions (each keeps streaming in the background)",
        ),
        Binding(
            "H",
            "history",
            "History",
            id="main.history",
            show=False,
            tooltip="Past sessions: reopen, resume, export",
        ),
        Binding(
            "E",
            "edit_external",
            "$EDITOR",
            id="main.edit_external",
            tooltip="Open the highlighted agent in $VISUAL / $EDITOR",
            show=False,
        ),
        Binding(
            "left_square_bracket",
            "previous_tab",
            "Tab",
            id="main.previous_tab",
            tooltip="Previous preview tab",
            show=False,
        ),
        Binding(
            "right_square_bracket",
            "next_tab",
            "Next tab",
            id="main.next_tab",
            tooltip="Next preview tab ([ goes back)",
        ),
    ]
    AUTO_FOCUS = "#tree"
    HELP = "Find an agent with `/`, read it on the right, edit it anywhere: the tree follows."

    def __init__(self) -> None:
        super().__init__()
        self.catalog: Catalog | None = None
        self.group_by = GroupBy.LEVEL
        self.query_text = ""
        self._rows: dict[Path, AgentRow] = {}
        self._keys: dict[Path, SearchKey] = {}
        self._row_of: dict[SearchKey, AgentRow] = {}
        self._chains: dict[Path, tuple[str, ...]] = {}
        self._narrow: tuple[str, list[SearchKey]] | None = None  # last query and its matches
        self._results: dict[str, tuple[list[SearchKey], SearchKey | None]] = {}
        self._layout: list[GroupSpec] = []  # every group with every row, for this grouping
        self._n_agents = 0
        self._n_broken = 0
        self._saved_expansion: dict[str, bool] | None = None
        self._scanning = True
        self._progress: tuple[int, int] | None = None  # (done, total) while a scan reads
        self._expected = 0  # files the first scan found: the tree's policy sizes by it
        self._partial = False  # the tree shows part of the first scan
        self._partial_queued = False
        self._auto_expansion: dict[str, bool] = {}  # groups as filling left them
        self._touched: set[str] = set()  # groups you opened or closed while it filled
        self._visible = 0
        self._preview: Preview | None = None

    # ---- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield FilterBar(id="filter")
                yield AgentTree(id="tree")
                yield Static("", id="status")
            # the preview (tabs, Rich tables, workflow parser) is built after the first frame
            yield Vertical(Static("", id="preview-placeholder"), id="preview-host")
        yield Footer()

    @property
    def roster(self) -> RosterApp:
        from tui.app.app import RosterApp

        app = self.app
        assert isinstance(app, RosterApp)
        return app

    @property
    def agent_tree(self) -> AgentTree:
        return self.query_one("#tree", AgentTree)

    @property
    def preview(self) -> Preview:
        if self._preview is None:
            raise LookupError("the preview is mounted when the first scan lands")
        return self._preview

    async def _mount_preview(self) -> None:
        if self._preview is not None:
            return
        from tui.widgets.preview import Preview

        self._preview = Preview(id="preview")
        host = self.query_one("#preview-host", Vertical)
        await host.query("#preview-placeholder").remove()
        await host.mount(self._preview)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one("#filter", FilterBar)

    def on_mount(self) -> None:
        self._set_status("Scanning…")

    # ---- catalog ----------------------------------------------------------------------
    @on(ScanStarted)
    def _scan_started(self, message: ScanStarted) -> None:
        self._scanning = True
        self._set_status(f"Scanning {_plural(message.roots, 'root')}…")
        if self.catalog is None:
            self.set_timer(LOADING_DELAY_S, self._show_loading)

    def _show_loading(self) -> None:
        """A big catalog takes a moment: show the loading indicator over the tree."""
        if self._scanning and self.catalog is None and not self._partial:
            self.agent_tree.loading = True

    @on(ScanProgress)
    def _scan_progress(self, message: ScanProgress) -> None:
        """Part of a scan was read: say how far it got and, on the first load, show what
        arrived (one tree update for every message already queued)."""
        self._progress = (message.done, message.total)
        if self.catalog is not None:  # a reload: the tree keeps showing the current catalog
            self._update_status()
            return
        self._expected = message.total
        for d in message.definitions:  # no shadowing or duplicates yet: the full load says
            self._remember_row(d, None, False)
        if not self._partial_queued:
            self._partial_queued = True
            self.call_later(self._show_partial)

    def _show_partial(self) -> None:
        self._partial_queued = False
        if self.catalog is not None:
            return  # the whole catalog landed meanwhile
        # No cursor until the whole catalog is in (unless you move it): then it goes where a
        # full load puts it, and a row you chose meanwhile stays highlighted.
        self._note_touched()
        self._partial = True
        self.agent_tree.loading = False
        self.rebuild(relayout=True)
        self._auto_expansion = self.agent_tree.expanded_keys()

    def _note_touched(self) -> None:
        for key, expanded in self.agent_tree.expanded_keys().items():
            if self._auto_expansion.get(key, expanded) != expanded:
                self._touched.add(key)

    def _settle_partial(self) -> bool:
        """The whole catalog replaces a partly filled tree: groups you did not open or close
        while it filled get the expansion a full load gives them. True when the cursor is
        still unset (so it goes where a full load puts it)."""
        tree = self.agent_tree
        self._partial = False
        self._note_touched()
        self._relayout()
        if not self.query_text.strip():
            wanted = tree.expanded_keys()
            for spec in self._layout:
                for depth, group in _depths(spec, 0):
                    if group.key not in self._touched:
                        wanted[group.key] = self._expand_policy(group, depth)
            self._saved_expansion = wanted
        self._touched = set()
        self._auto_expansion = {}
        return tree.cursor_node is None

    @on(CatalogChanged)
    async def _catalog_changed(self, message: CatalogChanged) -> None:
        await self._mount_preview()
        first = self.catalog is None
        self.catalog = message.catalog
        self._scanning = False
        followed = self._renamed_to(message.diff)
        if message.diff is None:
            self._progress = None
            self._expected = 0
            rows, keys = self._rows, self._keys  # rows that did not change are kept
            self._rows = {}
            self._keys = {}
            self._row_of = {}
            for d in self.catalog.definitions():
                self._remember(d, rows, keys)
        else:
            self._fold(message.diff)
        self._narrow = None
        self._results = {}
        self.agent_tree.loading = False
        if message.diff is None and self._partial:  # the first scan filled the tree in steps
            first = self._settle_partial() and first
            self.rebuild()
        else:
            self.rebuild(relayout=True)
        if followed is not None:
            self.agent_tree.reveal(followed)
        if first:
            node = self.agent_tree.first_agent()
            if node is not None:
                self.agent_tree.move_cursor(node)
                self.agent_tree.call_after_refresh(self.agent_tree.scroll_home, animate=False)
        self._sync_preview(force=self._preview_outdated(message.diff))

    def _renamed_to(self, diff: CatalogDiff | None) -> Path | None:
        """When the highlighted file was renamed or moved (gone, and one file with its name
        appeared in the same batch), the cursor follows it."""
        path = self.agent_tree.highlighted_path
        if diff is None or path is None or path not in diff.removed or not diff.added:
            return None
        old = self._rows.get(path)
        assert self.catalog is not None
        same = [
            p
            for p in diff.added
            if old is not None
            and (d := self.catalog.get(p)) is not None
            and d.name == old.definition.name
        ]
        if len(same) == 1:
            return same[0]
        return diff.added[0] if len(diff.added) == 1 else None

    def _remember(
        self,
        d: AgentDefinition,
        rows: dict[Path, AgentRow] | None = None,
        keys: dict[Path, SearchKey] | None = None,
    ) -> None:
        assert self.catalog is not None
        shadow = self.catalog.shadowed_by(d)
        shadow_kind: str | None = None
        if shadow is not None:
            root = self.catalog.root_of(shadow)
            shadow_kind = root.kind.value if root is not None else str(shadow.parent)
        conflict = bool(self.catalog.conflicts(d))
        old = rows.get(d.path) if rows is not None else None
        key = keys.get(d.path) if keys is not None else None
        if (
            old is not None
            and key is not None
            and old.definition is d
            and old.shadowed_by == shadow_kind
            and old.conflict == conflict
        ):
            self._forget(d.path)
            self._rows[d.path] = old
            self._keys[d.path] = key
            self._row_of[key] = old
            return
        self._remember_row(d, shadow_kind, conflict)

    def _remember_row(self, d: AgentDefinition, shadow_kind: str | None, conflict: bool) -> None:
        row = AgentRow(d, shadow_kind, conflict)
        key = SearchKey.of(d)
        self._forget(d.path)
        self._rows[d.path] = row
        self._keys[d.path] = key
        self._row_of[key] = row

    def _forget(self, path: Path) -> None:
        self._rows.pop(path, None)
        key = self._keys.pop(path, None)
        if key is not None:
            self._row_of.pop(key, None)

    def _fold(self, diff: CatalogDiff) -> None:
        assert self.catalog is not None
        for p in diff.removed:
            self._forget(p)
        for p in (*diff.added, *diff.modified, *diff.restated):
            d = self.catalog.get(p)
            if d is None:
                self._forget(p)
            else:
                self._remember(d)

    def _preview_outdated(self, diff: CatalogDiff | None) -> bool:
        path = self.agent_tree.highlighted_path
        if path is None:
            return False
        if diff is None:
            return True
        return path in diff.modified or path in diff.restated or path in diff.added

    # ---- building the tree -------------------------------------------------------------
    def _matches(self) -> tuple[set[AgentRow] | None, AgentRow | None]:
        """Rows matching the filter (None: no filter) and the best match."""
        query = self.query_text.strip()
        if not query:
            return None, None
        cached = self._results.get(query)
        if cached is not None:  # e.g. backspace to a query typed a moment ago
            hits, best = cached
        else:
            pool: list[SearchKey]
            if self._narrow is not None and query.startswith(self._narrow[0]):
                pool = self._narrow[1]  # typing on: search only the previous matches
            else:
                pool = list(self._keys.values())
            hits, best = search(pool, query)
            if len(self._results) > 64:
                self._results.clear()
            self._results[query] = (hits, best)
        self._narrow = (query, hits)
        row_of = self._row_of
        return {row_of[k] for k in hits}, (row_of[best] if best is not None else None)

    def _spec(self, group: Group) -> GroupSpec:
        spec = GroupSpec(
            key=group.key,
            title=group.title,
            children=[self._spec(c) for c in group.children],
            rows=[self._rows[d.path] for d in group.agents],
        )
        spec.count = len(spec.rows) + sum(c.count for c in spec.children)
        return spec

    def _relayout(self) -> None:
        """Group every row once per catalog change or grouping switch; filtering then only
        drops rows from this layout (no sorting per keystroke)."""
        rows = list(self._rows.values())
        agents = [r.definition for r in rows if r.definition.is_agent]
        specs = [self._spec(g) for g in build_groups(agents, self.group_by)]
        problems = sorted((r for r in rows if not r.definition.is_agent), key=lambda r: str(r.path))
        if problems:
            specs.append(
                GroupSpec(
                    PROBLEMS_KEY, "Not agents", rows=problems, problem=True, count=len(problems)
                )
            )
        self._layout = specs
        self._chains = {}

        def index(spec: GroupSpec, chain: tuple[str, ...]) -> None:
            here = (*chain, spec.key)
            for r in spec.rows:
                self._chains[r.definition.path] = here
            for child in spec.children:
                index(child, here)

        for spec in specs:
            index(spec, ())
        self._n_agents = len(agents)
        self._n_broken = sum(1 for r in rows if r.broken)

    @staticmethod
    def _filtered(specs: list[GroupSpec], keep: set[AgentRow]) -> list[GroupSpec]:
        out: list[GroupSpec] = []
        for spec in specs:
            children = MainScreen._filtered(spec.children, keep)
            rows = [r for r in spec.rows if r in keep]
            count = len(rows) + sum(c.count for c in children)
            if count:
                out.append(GroupSpec(spec.key, spec.title, children, rows, spec.problem, count))
        return out

    def rebuild(self, *, reveal_best: bool = False, relayout: bool = False) -> None:
        """Show the catalog through the current filter and grouping, changing only what differs."""
        if relayout:
            self._relayout()
        keep, best = self._matches()
        specs = self._layout if keep is None else self._filtered(self._layout, keep)
        policy = self._expand_policy
        force: bool | None = None
        restore: dict[str, bool] | None = None
        few = keep is not None and len(keep) <= SMALL_CATALOG
        if few:
            force = True  # a short result list: open every group that has a match
        elif keep is not None:
            restore = self._saved_expansion  # many matches: groups as they were before
        elif self._saved_expansion is not None:
            restore, self._saved_expansion = self._saved_expansion, None
        tree = self.agent_tree
        with self.app.batch_update():
            tree.show(
                specs, policy=policy, force_expand=force, restore=restore, chains=self._chains
            )
            if reveal_best and best is not None and few:
                tree.reveal(best.definition.path)
        self._visible = len(self._rows) if keep is None else len(keep)
        self._update_status()

    def _expand_policy(self, spec: GroupSpec, depth: int) -> bool:
        """Whether a new group starts expanded. While the first scan fills the tree, the size
        is the number of files found, so groups open as they will for the whole catalog."""
        if spec.problem:
            return spec.count <= 50
        small = max(self._n_agents, self._expected) <= SMALL_CATALOG
        return small or (self.group_by is GroupBy.LEVEL and depth == 0)

    def _update_status(self) -> None:
        roots = len(self.roster.roots)
        parts = [_plural(self._n_agents, "agent")]
        if self._n_broken:
            parts.append(f"{self._n_broken:,} with problems")
        parts.append(f"by {GROUPING_TITLES[self.group_by]}")
        if self._progress is not None:  # a scan is reading: say how far it got
            done, total = self._progress
            parts = [f"Reading {done:,} / {total:,}…"]
        self._set_status(" · ".join(parts))
        self.sub_title = f"{_plural(self._n_agents, 'agent')} in {_plural(roots, 'root')}"
        query = self.query_text.strip()
        self.filter_bar.set_count(f"{self._visible:,}/{len(self._rows):,}" if query else "")

    def _set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    # ---- preview ----------------------------------------------------------------------
    def _info_for(self, row: AgentRow) -> PreviewInfo:
        from tui.widgets.preview import PreviewInfo

        assert self.catalog is not None
        d = row.definition
        root = self.catalog.root_of(d.path)
        return PreviewInfo(
            row=row,
            root=root.label if root is not None else str(d.root),
            shadow_path=self.catalog.shadowed_by(d),
            conflicts=tuple(self.catalog.conflicts(d)),
            diagnostics=self.catalog.diagnostics_for(d),
            sessions=tuple(sorted((self.roster.sessions.totals(d.display_name) or {}).items())),
        )

    def _sync_preview(self, *, force: bool = False) -> None:
        if self._preview is None:
            return
        from tui.widgets.preview import GroupInfo, PreviewInfo

        node = self.agent_tree.cursor_node
        preview = self._preview
        if node is None or node.data is None or self.catalog is None:
            if preview.info is not None:
                preview.show(None)
            return
        data = node.data
        if isinstance(data, AgentData):
            row = self._rows.get(data.row.path, data.row)
            current = preview.info
            if force or not isinstance(current, PreviewInfo) or current.row is not row:
                preview.show(self._info_for(row))
            return
        spec_count = data.count
        names = tuple(
            c.data.row.definition.display_name
            for c in node.children
            if isinstance(c.data, AgentData)
        ) or tuple(str(c.label) for c in node.children)
        info = GroupInfo(data.key, data.title, spec_count, names)
        if force or preview.info != info:
            preview.show(info)

    @on(AgentTree.AgentHighlighted)
    def _highlighted(self, _message: AgentTree.AgentHighlighted) -> None:
        self._sync_preview()

    @on(Tree.NodeSelected, "#tree")
    def _selected(self, event: Tree.NodeSelected[object]) -> None:
        if isinstance(event.node.data, AgentData):
            self.action_launch()

    # ---- filter -----------------------------------------------------------------------
    @on(FilterBar.Changed)
    def _filter_changed(self, message: FilterBar.Changed) -> None:
        old = self.query_text.strip()
        self.query_text = message.query
        new = self.query_text.strip()
        if new and not old:
            self._saved_expansion = self.agent_tree.expanded_keys()
        if new == old:
            return
        self.rebuild(reveal_best=bool(new))
        self._sync_preview()
        self.refresh_bindings()

    @on(FilterBar.Done)
    def _filter_done(self, _message: FilterBar.Done) -> None:
        self.agent_tree.focus()

    # ---- jumping and grouping ---------------------------------------------------------
    @on(JumpToAgent)
    def _jump(self, message: JumpToAgent) -> None:
        if message.path not in self._rows:
            self.notify(f"{message.path} is no longer in the catalog", severity="warning")
            return
        if message.path not in self.agent_tree.visible_paths():
            self.filter_bar.clear()
            self.query_text = ""
            self.rebuild()
        self.agent_tree.reveal(message.path)
        self.agent_tree.focus()
        self._sync_preview()

    @on(SetGrouping)
    def _set_grouping(self, message: SetGrouping) -> None:
        self.set_grouping(message.group_by)

    def set_grouping(self, by: GroupBy) -> None:
        if by is self.group_by:
            return
        self.group_by = by
        self._saved_expansion = None
        self.rebuild(relayout=True)
        self._sync_preview()
        self.notify(f"Grouped by {GROUPING_TITLES[by]}", timeout=1.5)

    # ---- actions ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.query_text.strip())
        return True

    def action_focus_filter(self) -> None:
        self.filter_bar.input.focus()

    def action_clear_filter(self) -> None:
        self.filter_bar.clear()
        self.agent_tree.focus()

    def action_cycle_grouping(self) -> None:
        at = GROUPINGS.index(self.group_by)
        self.set_grouping(GROUPINGS[(at + 1) % len(GROUPINGS)])

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
        from tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(d.path, d.root))

    def action_edit_external(self) -> None:
        d = self._highlighted_definition()
        if d is None:
            return
        from tui.screens.editor import edit_externally

        error = edit_externally(self.app, d.path)
        if error:
            self.notify(error, severity="error")
        else:
            self.roster.reload()

    # ---- new, duplicate, rename, delete (the writing is tui.core's) --------------------
    def _taken_names(self) -> frozenset[str]:
        if self.catalog is None:
            return frozenset()
        return frozenset(d.name for d in self.catalog.definitions() if d.name)

    def _new_agent_folders(self, current: AgentDefinition | None) -> list[Root]:
        """Where a new agent may go: the highlighted agent's root first, the bundled folder
        (inside the installed package) last."""
        from tui.core.roots import RootKind

        roots = sorted(self.roster.roots, key=lambda r: r.kind is RootKind.BUNDLED)
        if current is not None:
            roots.sort(key=lambda r: r.path != current.root)
        return roots

    @work(exclusive=True, group="main-authoring")
    async def action_new_agent(self) -> None:
        from tui.screens.editor import EditorScreen
        from tui.screens.new_agent import NewAgentScreen, create_agent

        current = self._highlighted_definition()
        roots = self._new_agent_folders(current)
        if not roots:
            self.notify("No agent folder to create in; pass --agents-dir.", severity="error")
            return
        level = current.level if current is not None and not current.level_inferred else None
        domain = current.domain if current is not None and not current.domain_inferred else None
        request = await self.app.push_screen_wait(
            NewAgentScreen(
                [r.path for r in roots],
                taken=self._taken_names(),
                level=level,
                domain=domain,
                write=create_agent,  # errors stay in the form, with what was typed
            )
        )
        if request is None:
            return
        path = request.path
        self.roster.apply_own_changes([path], reveal=path)
        self.notify(f"Created {path.name} in {request.folder}", title="New agent", timeout=3)
        self.app.push_screen(EditorScreen(path, request.folder))

    @work(exclusive=True, group="main-authoring")
    async def action_duplicate(self) -> None:
        from tui.core.editing import duplicate_agent
        from tui.core.storage import StorageError
        from tui.screens.rename import NameScreen

        d = self._highlighted_definition()
        if d is None:
            self.notify("Highlight an agent to duplicate first.", severity="warning")
            return
        current = d.name or d.path.stem
        choice = await self.app.push_screen_wait(
            NameScreen("duplicate", d.path, current, taken=self._taken_names())
        )
        if choice is None:
            return
        try:
            copy = duplicate_agent(d.path, choice.name)
        except StorageError as exc:
            self.notify(str(exc), title="Not duplicated", severity="error", timeout=10)
            return
        self.roster.apply_own_changes([copy], reveal=copy)
        self.notify(f"Duplicated {current} as {choice.name} ({copy.name})", timeout=3)

    @work(exclusive=True, group="main-authoring")
    async def action_rename(self) -> None:
        from tui.core.editing import rename_agent
        from tui.core.storage import StorageError
        from tui.screens.rename import NameScreen

        d = self._highlighted_definition()
        if d is None:
            self.notify("Highlight an agent to rename first.", severity="warning")
            return
        current = d.name or d.path.stem
        choice = await self.app.push_screen_wait(
            NameScreen("rename", d.path, current, taken=self._taken_names())
        )
        if choice is None:
            return
        try:
            moved = rename_agent(d.path, choice.name, rename_file=choice.rename_file)
        except StorageError as exc:
            self.notify(str(exc), title="Not renamed", severity="error", timeout=10)
            return
        self.roster.apply_own_changes([d.path, moved], reveal=moved)
        where = f" ({d.path.name} → {moved.name})" if moved != d.path else ""
        self.notify(f"Renamed {current} to {choice.name}{where}", timeout=3)

    @work(exclusive=True, group="main-authoring")
    async def action_delete(self) -> None:
        from tui.config import data_dir
        from tui.core.storage import StorageError, move_to_trash
        from tui.screens.confirm import ConfirmScreen

        d = self._highlighted_definition()
        if d is None:
            self.notify("Highlight an agent to delete first.", severity="warning")
            return
        confirm = ConfirmScreen(
            f"Move {d.display_name} ({d.path}) to the trash?\n"
            "You can restore it from the palette (ctrl+p, “Restore from trash”).",
            title="Delete agent",
            yes="Move to trash",
            no="Keep it",
            danger=True,
        )
        if not await self.app.push_screen_wait(confirm):
            return
        try:
            move_to_trash(d.path, data_dir())
        except StorageError as exc:
            self.notify(str(exc), title="Not deleted", severity="error", timeout=10)
            return
        self.roster.apply_own_changes([d.path])
        self.notify(
            f"Moved {d.display_name} to the trash. To restore it: ctrl+p, "
            f"“Restore from trash: {d.display_name}”.",
            title="Deleted",
            timeout=6,
        )

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

        self.app.push_screen(HistoryScreen())

    def show_session_badges(self, counts: dict[Path, tuple[int, int]]) -> None:
        """Mark agents with live sessions in the tree: ▶ running, ◉ waiting for you."""
        for tree in self.query("#tree").results(AgentTree):  # none while shutting down
            tree.set_badges(counts)

    def show_session_totals(self) -> None:
        """A turn ended: the highlighted agent's history totals may have moved."""
        if self.is_mounted:
            self._sync_preview(force=True)
