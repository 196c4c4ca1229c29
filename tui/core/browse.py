"""What the agent tree shows, as plain Python: the rows (one per definition, with the catalog's
verdicts), the grouping, the filter and its search, which groups start expanded, and the state
of the first scan's progressive fill. The main screen is a thin view over a `Browse`: it hands
in catalog messages and the tree's expansion, and shows the `View` this returns.

Grouping runs once per catalog change or grouping switch (`relayout`); a keystroke in the
filter only drops rows from that layout, searching only the previous matches while the query
grows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.browse_rows import AgentRow, GroupSpec, View, chains_of, depths, filtered, plural
from tui.core.filtering import SearchKey, best_of, search
from tui.core.ordering import natural_key
from tui.core.query import Query, parse_query
from tui.core.tree_model import Group, GroupBy, build_groups

if TYPE_CHECKING:
    from tui.core.catalog import Catalog, CatalogDiff
    from tui.core.definition import AgentDefinition
    from tui.core.roots import Root

__all__ = ["AgentRow", "Browse", "GroupSpec", "View", "depths", "filtered", "plural"]

PROBLEMS_KEY = "problems"
LIBRARY_KEY = "library"
LIBRARY_TITLE = "Library (not read by Claude Code)"
SMALL_CATALOG = 200  # groups start expanded up to this many agents
GROUPINGS = (GroupBy.LEVEL, GroupBy.DOMAIN, GroupBy.ROOT, GroupBy.FOLDER, GroupBy.MODEL)
GROUPING_TITLES = {
    GroupBy.LEVEL: "level → domain",
    GroupBy.DOMAIN: "domain",
    GroupBy.ROOT: "source root",
    GroupBy.FOLDER: "folder",
    GroupBy.MODEL: "model",
}


class Browse:
    """The tree's model. `rows` has one row per definition; `chains` maps a path to the keys of
    the groups it sits in; `visible` counts the rows the filter keeps."""

    def __init__(self, roots: Iterable[Root] = ()) -> None:
        self.kinds: dict[Path, str] = {}  # root path -> kind
        self.library_roots: frozenset[Path] = frozenset()  # roots of the bundled library
        self.set_roots(roots)
        self.problems_only = False
        self.catalog: Catalog | None = None
        self.group_by = GroupBy.LEVEL
        self.query_text = ""
        self.rows: dict[Path, AgentRow] = {}
        self.chains: dict[Path, tuple[str, ...]] = {}
        self.layout: list[GroupSpec] = []  # every group with every row, for this grouping
        self.n_agents = 0
        self.n_library = 0  # of n_agents, in the library
        self.n_broken = 0
        self.visible = 0
        self.saved_expansion: dict[str, bool] | None = None
        self.scanning = True
        self.progress: tuple[int, int] | None = None  # (done, total) while a scan reads
        self.expected = 0  # files the first scan found: the expansion policy sizes by it
        self.partial = False  # the tree shows part of the first scan
        self._keys: dict[Path, SearchKey] = {}
        self._row_of: dict[SearchKey, AgentRow] = {}
        self._narrow: tuple[str, list[SearchKey]] | None = None  # last query and its matches
        self._results: dict[str, tuple[list[SearchKey], SearchKey | None]] = {}
        self._auto_expansion: dict[str, bool] = {}  # groups as filling left them
        self._touched: set[str] = set()  # groups you opened or closed while it filled

    @property
    def query(self) -> str:
        return self.query_text.strip()

    @property
    def filtering(self) -> bool:
        return bool(self.query) or self.problems_only

    def set_roots(self, roots: Iterable[Root]) -> None:
        self.kinds = {r.path: r.kind.value for r in roots}
        self.library_roots = frozenset(p for p, k in self.kinds.items() if k == "bundled")

    # ---- the catalog ------------------------------------------------------------------
    def scan_progress(self, definitions: Iterable[AgentDefinition], done: int, total: int) -> bool:
        """Part of a scan was read. True when the tree should show what arrived (the first
        load); a reload keeps showing the current catalog."""
        self.progress = (done, total)
        if self.catalog is not None:
            return False
        self.expected = total
        for d in definitions:  # no shadowing or duplicates yet: the full load says
            self._remember_row(d, None, False)
        return True

    def load(
        self, catalog: Catalog, diff: CatalogDiff | None, highlighted: Path | None
    ) -> Path | None:
        """The catalog changed (`diff` None: a full scan). Returns where the cursor should
        follow the highlighted file when it was renamed or moved."""
        self.catalog = catalog
        self.scanning = False
        followed = self._renamed_to(diff, highlighted)
        if diff is None:
            self.progress = None
            self.expected = 0
            rows, keys = self.rows, self._keys  # rows that did not change are kept
            self.rows, self._keys, self._row_of = {}, {}, {}
            for d in catalog.definitions():
                self._remember(d, rows, keys)
        else:
            self._fold(diff)
        self._narrow = None
        self._results = {}
        return followed

    def _renamed_to(self, diff: CatalogDiff | None, path: Path | None) -> Path | None:
        """When the highlighted file was renamed or moved (gone, and one file with its name
        appeared in the same batch), the cursor follows it."""
        if diff is None or path is None or path not in diff.removed or not diff.added:
            return None
        old = self.rows.get(path)
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

    @staticmethod
    def preview_outdated(diff: CatalogDiff | None, path: Path | None) -> bool:
        """Whether the preview of `path` must be rebuilt after this change."""
        if path is None:
            return False
        if diff is None:
            return True
        return path in diff.modified or path in diff.restated or path in diff.added

    def _remember(
        self,
        d: AgentDefinition,
        rows: dict[Path, AgentRow] | None = None,
        keys: dict[Path, SearchKey] | None = None,
    ) -> None:
        assert self.catalog is not None
        shadow = self.catalog.shadowed_by(d)
        shadow_kind: str | None = None
        if shadow is not None:  # which file wins: "review/api.md (user)"
            root = self.catalog.root_of(shadow)
            winner = self.catalog.get(shadow)
            where_from = root.kind.value if root is not None else str(shadow.parent)
            file = winner.relative_path if winner is not None else shadow.name
            shadow_kind = f"{file} ({where_from})"
        conflict = bool(self.catalog.conflicts(d))
        kind = self.kinds.get(d.root, "")
        twins = conflict or shadow is not None or (bool(d.name) and self._has_twin(d))
        where = f"{kind or d.root.name} · {d.relative_path}" if twins else None
        old = rows.get(d.path) if rows is not None else None
        key = keys.get(d.path) if keys is not None else None
        if (
            old is not None
            and key is not None
            and old.definition is d
            and old.shadowed_by == shadow_kind
            and old.conflict == conflict
            and old.where == where
            and old.root_kind == kind
        ):
            self._forget(d.path)
            self.rows[d.path] = old
            self._keys[d.path] = key
            self._row_of[key] = old
            return
        self._remember_row(d, shadow_kind, conflict, where)

    def _has_twin(self, d: AgentDefinition) -> bool:
        assert self.catalog is not None and d.name
        return len(self.catalog.same_name(d.name)) > 1

    def _remember_row(
        self, d: AgentDefinition, shadow_kind: str | None, conflict: bool, where: str | None = None
    ) -> None:
        row = AgentRow(d, shadow_kind, conflict, self.kinds.get(d.root, ""), where)
        key = SearchKey.of(d)
        self._forget(d.path)
        self.rows[d.path] = row
        self._keys[d.path] = key
        self._row_of[key] = row

    def _forget(self, path: Path) -> None:
        self.rows.pop(path, None)
        key = self._keys.pop(path, None)
        if key is not None:
            self._row_of.pop(key, None)

    def _fold(self, diff: CatalogDiff) -> None:
        assert self.catalog is not None
        names: set[str] = set()
        for p in diff.removed:
            old = self.rows.get(p)
            if old is not None and old.definition.name:
                names.add(old.definition.name)
            self._forget(p)
        for p in (*diff.added, *diff.modified, *diff.restated):
            d = self.catalog.get(p)
            if d is None:
                self._forget(p)
            else:
                self._remember(d)
                if d.name:
                    names.add(d.name)
        for name in names:  # a twin came or went: the others' "which file" may change
            for d in self.catalog.same_name(name):
                self._remember(d, self.rows, self._keys)

    # ---- the progressive fill of the first scan ---------------------------------------
    def note_touched(self, expanded: dict[str, bool]) -> None:
        """Remember the groups the user opened or closed since the fill last left them."""
        for key, is_open in expanded.items():
            if self._auto_expansion.get(key, is_open) != is_open:
                self._touched.add(key)

    def fill_shown(self, expanded: dict[str, bool]) -> None:
        """A partial tree is on screen, its groups expanded as `expanded`."""
        self._auto_expansion = expanded

    def settle_partial(self, expanded: dict[str, bool]) -> None:
        """The whole catalog replaces a partly filled tree: groups you did not open or close
        while it filled get the expansion a full load gives them."""
        self.partial = False
        self.note_touched(expanded)
        self.relayout()
        if not self.query:
            wanted = dict(expanded)
            for spec in self.layout:
                for depth, group in depths(spec):
                    if group.key not in self._touched:
                        wanted[group.key] = self.expand_policy(group, depth)
            self.saved_expansion = wanted
        self._touched = set()
        self._auto_expansion = {}

    # ---- layout, filter, expansion ----------------------------------------------------
    def _spec(self, group: Group, prefix: str = "") -> GroupSpec:
        spec = GroupSpec(
            key=prefix + group.key,
            title=group.title,
            children=[self._spec(c, prefix) for c in group.children],
            rows=[self.rows[d.path] for d in group.agents],
        )
        spec.count = len(spec.rows) + sum(c.count for c in spec.children)
        return spec

    def relayout(self) -> None:
        """Group every row (once per catalog change or grouping switch)."""
        rows = list(self.rows.values())
        agents = [r.definition for r in rows if r.definition.is_agent]
        library = [d for d in agents if d.root in self.library_roots]
        own = [d for d in agents if d.root not in self.library_roots] if library else agents
        if not own:  # nothing of yours (a first start): the library is the whole tree
            own, library = agents, []
        specs = [self._spec(g) for g in build_groups(own, self.group_by)]
        if library:  # your agents first; the library below, as one group
            lib = [self._spec(g, f"{LIBRARY_KEY}/") for g in build_groups(library, self.group_by)]
            spec = GroupSpec(LIBRARY_KEY, LIBRARY_TITLE, children=lib)
            spec.count = sum(c.count for c in lib)
            specs.append(spec)
        problems = sorted(
            (r for r in rows if not r.definition.is_agent), key=lambda r: natural_key(str(r.path))
        )
        if problems:
            specs.append(
                GroupSpec(
                    PROBLEMS_KEY, "Not agents", rows=problems, problem=True, count=len(problems)
                )
            )
        self.layout = specs
        self.chains = chains_of(specs)
        self.n_agents = len(agents)
        self.n_library = len(library)
        self.n_broken = sum(1 for r in rows if r.problem)

    def matches(self) -> tuple[set[AgentRow] | None, AgentRow | None]:
        """Rows matching the filter (None: no filter) and the best match: free text searched
        fuzzily, field conditions (`level:L3`) and the problems-only switch applied to rows."""
        query = self.query
        if not self.filtering:
            return None, None
        parsed = parse_query(query) if ":" in query else Query(query, (), ())
        plain = not parsed.conditions and not self.problems_only
        cache_key = f"{self.problems_only}\n{query}"
        cached = self._results.get(cache_key)
        if cached is not None:  # e.g. backspace to a query typed a moment ago
            hits, best = cached
        else:
            pool: list[SearchKey]
            if plain and self._narrow is not None and query.startswith(self._narrow[0]):
                pool = self._narrow[1]  # typing on: search only the previous matches
            else:
                pool = list(self._keys.values())
            row_of = self._row_of
            if not plain:
                problems = self.problems_only
                pool = [
                    k
                    for k in pool
                    if parsed.keeps(row_of[k]) and (not problems or row_of[k].problem)
                ]
            hits, best = search(pool, parsed.text)
            if best is None and hits:
                best = best_of(hits, parsed.text)
            if len(self._results) > 64:
                self._results.clear()
            self._results[cache_key] = (hits, best)
        self._narrow = (query, hits) if plain else None
        row_of = self._row_of
        return {row_of[k] for k in hits}, (row_of[best] if best is not None else None)

    def view(self, *, relayout: bool = False) -> View:
        """The catalog through the current filter and grouping."""
        if relayout:
            self.relayout()
        keep, best = self.matches()
        specs = self.layout if keep is None else filtered(self.layout, keep)
        force: bool | None = None
        restore: dict[str, bool] | None = None
        few = keep is not None and len(keep) <= SMALL_CATALOG
        if few:
            force = True  # a short result list: open every group that has a match
        elif keep is not None:
            restore = self.saved_expansion  # many matches: groups as they were before
        elif self.saved_expansion is not None:
            restore, self.saved_expansion = self.saved_expansion, None
        self.visible = len(self.rows) if keep is None else len(keep)
        reveal = best.definition.path if best is not None else None  # at any match count
        return View(specs, force, restore, reveal)

    def expand_policy(self, spec: GroupSpec, depth: int) -> bool:
        """Whether a new group starts expanded. While the first scan fills the tree, the size
        is the number of files found, so groups open as they will for the whole catalog."""
        if spec.problem:
            return spec.count <= 50
        if spec.key == LIBRARY_KEY:
            return False  # your agents first: the library waits until you open it
        small = max(self.n_agents, self.expected) <= SMALL_CATALOG
        return small or (self.group_by is GroupBy.LEVEL and depth == 0)

    def set_query(self, text: str, expanded: Callable[[], dict[str, bool]]) -> bool:
        """The filter changed; True when what it asks for did. `expanded` gives the tree's
        expansion, kept to restore once the filter is cleared."""
        old, was = self.query, self.filtering
        self.query_text = text
        if self.filtering and not was:
            self.saved_expansion = expanded()
        return self.query != old

    def toggle_problems(self, expanded: Callable[[], dict[str, bool]]) -> bool:
        """The problems-only view on or off; returns the new state."""
        if not self.filtering:
            self.saved_expansion = expanded()
        self.problems_only = not self.problems_only
        self._results = {}
        return self.problems_only

    def set_grouping(self, by: GroupBy) -> bool:
        if by is self.group_by:
            return False
        self.group_by = by
        self.saved_expansion = None
        return True

    def next_grouping(self) -> GroupBy:
        return GROUPINGS[(GROUPINGS.index(self.group_by) + 1) % len(GROUPINGS)]

    # ---- what the status line and the filter's counter say ----------------------------
    def status(self) -> str:
        if self.progress is not None:  # a scan is reading: say how far it got
            done, total = self.progress
            return f"Reading {done:,} / {total:,}…"
        if self.filtering and self.visible == 0:
            what = f"“{self.query}”" if self.query else "nothing"
            only = "with problems " if self.problems_only else ""
            return f"No agent {only}matches {what} · Esc clears"
        parts = [plural(self.n_agents, "agent")]
        if self.n_library and self.n_library < self.n_agents:
            parts[0] += f" ({self.n_library:,} in the library)"
        if self.n_broken:
            parts.append(f"{self.n_broken:,} with problems")
        parts.append(f"by {GROUPING_TITLES[self.group_by]}")
        return " · ".join(parts)

    def subtitle(self, roots: int) -> str:
        return f"{plural(self.n_agents, 'agent')} in {plural(roots, 'root')}"

    def count(self) -> str:
        """'12/340' while filtering, else ''."""
        return f"{self.visible:,}/{len(self.rows):,}" if self.filtering else ""

    def taken_names(self) -> frozenset[str]:
        if self.catalog is None:
            return frozenset()
        return frozenset(d.name for d in self.catalog.definitions() if d.name)
