"""The agent tree: group -> (group ->) agent, updated in place.

`AgentTree.show(specs)` reconciles the existing nodes with the wanted groups instead of clearing
the tree: nodes that stay keep their expansion, the cursor stays on its agent (or moves to the
nearest neighbour when its file went away) and the highlighted row keeps its place on screen.
Leaves are only built for expanded groups (a collapsed domain with 2,000 agents costs one node);
expanding a group fills it from the spec it was last given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.core.browse import PROBLEMS_KEY, AgentRow, GroupSpec
from tui.core.browse_rows import chains_of
from tui.core.definition import AgentDefinition
from tui.core.ordering import keep_in_order
from tui.widgets.compat_tree import BatchedTree
from tui.widgets.tree_labels import agent_label, fit_label, group_label
from tui.widgets.tree_nav import depth_of, neighbours_of

__all__ = ["PROBLEMS_KEY", "AgentData", "AgentRow", "AgentTree", "GroupData", "GroupSpec"]


@dataclass(frozen=True, slots=True)
class GroupData:
    key: str
    title: str
    count: int
    problem: bool


@dataclass(frozen=True, slots=True)
class AgentData:
    row: AgentRow


NodeData = GroupData | AgentData
_EMPTY = GroupSpec("", "")
Node = TreeNode[NodeData]
# (spec, depth) -> should a newly created group start expanded?
ExpandPolicy = Callable[[GroupSpec, int], bool]


def _ident(node: Node) -> tuple[str, str]:
    data = node.data
    if isinstance(data, AgentData):
        return ("a", str(data.row.path))
    assert data is not None
    return ("g", data.key)


class AgentTree(BatchedTree[NodeData]):
    """Groups and agents. Posts `AgentHighlighted` when the cursor lands on a row."""

    HELP = "Arrows move, ← → close and open a group, Enter opens a group or launches an agent."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left",
            "collapse_or_parent",
            "Collapse",
            id="tree.collapse",
            show=False,
            tooltip="Collapse the group, or go to the group holding this row",
        ),
        Binding(
            "right",
            "expand_group",
            "Expand",
            id="tree.expand",
            show=False,
            tooltip="Expand the group",
        ),
    ]

    class AgentHighlighted(Message):
        def __init__(
            self, tree: AgentTree, definition: AgentDefinition | None, group_key: str | None
        ) -> None:
            super().__init__()
            self.tree = tree
            self.definition = definition
            self.group_key = group_key

        @property
        def control(self) -> AgentTree:
            return self.tree

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        self._widths: dict[int, tuple[object, int]] = {}  # node id -> (label, cell width)
        self.badges: dict[Path, tuple[int, int]] = {}  # path -> (live sessions, waiting)
        # a Text label: a str would go through Rich markup, whose emoji table (~2 ms to load) the
        # first frame does not need
        super().__init__(Text("agents"), id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 3
        self._groups: dict[str, Node] = {}
        self._agents: dict[Path, Node] = {}
        self._specs: dict[str, GroupSpec] = {}
        self._chains_cache: dict[Path, tuple[str, ...]] | None = None
        self._shown: list[GroupSpec] = []
        self.updates = 0  # how many times show() ran (tests count tree updates)

    def get_label_width(self, node: Node) -> int:
        # Tree measures every visible line on each rebuild; labels rarely change, so remember
        # the width per label object (set_label installs a new one).
        label = node.label
        cached = self._widths.get(node.id)
        if cached is not None and cached[0] is label:
            return cached[1]
        width = super().get_label_width(node)
        self._widths[node.id] = (label, width)
        return width

    def render_label(self, node: Node, base_style: Style, style: Style) -> Text:
        text = super().render_label(node, base_style, style)
        data = node.data
        if self.badges and isinstance(data, AgentData):
            badge = self.badges.get(data.row.path)
            if badge is not None:
                running, waiting = badge
                if waiting:
                    text.append(f"  ◉ {waiting} waiting", "bold black on yellow")
                else:
                    text.append(f"  ▶ {running}", "bold cyan")
        return self._fit(node, text)

    def _fit(self, node: Node, text: Text) -> Text:
        """Cut a label that does not fit the tree's width (depth 1 has no guides, each deeper
        level `guide_depth` cells of them)."""
        room = self.scrollable_content_region.width - max(0, depth_of(node) - 1) * self.guide_depth
        data = node.data
        tail = len(f"  {data.count}") if isinstance(data, GroupData) else 0
        return fit_label(text, room, tail)

    def set_badges(self, badges: dict[Path, tuple[int, int]]) -> None:
        """Live-session marks on agents; redraws only when they change."""
        if badges == self.badges:
            return
        self.badges = dict(badges)
        self._widths.clear()
        self.invalidate_all()

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and not node.parent.is_root:
            self.move_cursor(node.parent)

    def action_expand_group(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            node.expand()

    # ---- queries ----------------------------------------------------------------------
    @property
    def highlighted_path(self) -> Path | None:
        node = self.cursor_node
        if node is not None and isinstance(node.data, AgentData):
            return node.data.row.path
        return None

    def agent_node(self, path: Path) -> Node | None:
        return self._agents.get(path)

    def group_node(self, key: str) -> Node | None:
        return self._groups.get(key)

    def spec_of(self, key: str) -> GroupSpec | None:
        """The group as the tree shows it now (with the filter's rows only)."""
        return self._specs.get(key)

    def visible_paths(self) -> set[Path]:
        return {r.definition.path for top in self._shown for g in top.walk() for r in g.rows}

    def expanded_keys(self) -> dict[str, bool]:
        return {k: n.is_expanded for k, n in self._groups.items()}

    # ---- updating ---------------------------------------------------------------------
    def show(
        self,
        specs: list[GroupSpec],
        *,
        policy: ExpandPolicy,
        force_expand: bool | None = None,
        restore: dict[str, bool] | None = None,
        chains: dict[Path, tuple[str, ...]] | None = None,
    ) -> None:
        """Make the tree show `specs`, changing only what differs.

        New groups start expanded per `policy`; existing groups keep their state unless
        `force_expand` is given, or `restore` names their key. `chains` (path -> keys of the
        groups holding it, for the unfiltered layout) lets `reveal` find a row without
        walking the specs; without it they are indexed on demand.
        """
        self.updates += 1
        cursor = self.cursor_node
        cursor_ident = _ident(cursor) if cursor is not None else None
        neighbours = neighbours_of(cursor) if cursor is not None else []
        screen_offset = (cursor.line - int(self.scroll_y)) if cursor is not None else None

        self._specs = {}
        self._chains_cache = chains
        self._shown = specs
        for top in specs:
            for s in top.walk():
                self._specs[s.key] = s

        with self.batch_nodes():
            self._reconcile(self.root, specs, [], 0, True, policy, force_expand, restore or {})
        self._restore_cursor(cursor, cursor_ident, neighbours, screen_offset)

    @property
    def _chains(self) -> dict[Path, tuple[str, ...]]:
        """path -> keys of the groups holding it; built on demand (reveal, tests), not on
        every keystroke."""
        if self._chains_cache is None:
            self._chains_cache = chains_of(self._shown)
        return self._chains_cache

    def _forget(self, node: Node) -> None:
        stack = [node]
        while stack:
            n = stack.pop()
            self._widths.pop(n.id, None)
            data = n.data
            if isinstance(data, AgentData):
                if self._agents.get(data.row.path) is n:
                    del self._agents[data.row.path]
            elif isinstance(data, GroupData) and self._groups.get(data.key) is n:
                del self._groups[data.key]
            stack.extend(n.children)

    def _reconcile(
        self,
        parent: Node,
        groups: list[GroupSpec],
        rows: list[AgentRow],
        depth: int,
        with_rows: bool,
        policy: ExpandPolicy,
        force: bool | None,
        restore: dict[str, bool],
    ) -> None:
        wanted: list[tuple[str, str]] = [("g", g.key) for g in groups]
        if with_rows:
            wanted.extend(("a", str(r.path)) for r in rows)
        order = {ident: i for i, ident in enumerate(wanted)}

        survivors: list[Node] = []
        for child in list(parent.children):
            if _ident(child) in order:
                survivors.append(child)
            else:
                self._forget(child)
                child.remove()
        idx = [order[_ident(c)] for c in survivors]
        if any(b <= a for a, b in pairwise(idx)):
            keep = keep_in_order(idx)
            for pos, child in enumerate(survivors):
                if pos not in keep:
                    self._forget(child)
                    child.remove()
            survivors = [c for pos, c in enumerate(survivors) if pos in keep]
        existing = {_ident(c): c for c in survivors}

        prev: Node | None = None
        for g in groups:
            node = existing.get(("g", g.key))
            data = GroupData(g.key, g.title, g.count, g.problem)
            if node is None:
                node = self._insert(
                    parent,
                    prev,
                    group_label(data.title, data.count, data.problem),
                    data,
                    leaf=False,
                )
                self._groups[g.key] = node
                want = restore.get(g.key, policy(g, depth))
            else:
                if node.data != data:
                    node.data = data
                    node.set_label(group_label(data.title, data.count, data.problem))
                want = restore.get(g.key, node.is_expanded if force is None else force)
            if want and not node.is_expanded:
                node.expand()
            elif not want and node.is_expanded:
                node.collapse()
            populate = node.is_expanded  # collapsed groups hold no leaves
            self._reconcile(node, g.children, g.rows, depth + 1, populate, policy, force, restore)
            prev = node
        if not with_rows:
            return
        for row in rows:
            node = existing.get(("a", str(row.path)))
            if node is None:
                node = self._insert(parent, prev, agent_label(row), AgentData(row), leaf=True)
                self._agents[row.path] = node
            else:
                assert isinstance(node.data, AgentData)
                if node.data.row is not row:
                    node.data = AgentData(row)
                    node.set_label(agent_label(row))
            prev = node

    @staticmethod
    def _has_rows(node: Node) -> bool:
        kids = node.children
        return bool(kids) and isinstance(kids[-1].data, AgentData)

    @staticmethod
    def _insert(
        parent: Node, prev: Node | None, label: Text, data: NodeData, *, leaf: bool
    ) -> Node:
        kids = parent.children
        if prev is None:
            where: dict[str, int | Node] = {"before": 0} if kids else {}
        elif kids and kids[-1] is prev:
            where = {}
        else:
            where = {"after": prev}
        if leaf:
            return parent.add_leaf(label, data, **where)
        return parent.add(label, data, allow_expand=True, **where)  # type: ignore[arg-type]

    def _populate(self, node: Node) -> None:
        data = node.data
        if not isinstance(data, GroupData):
            return
        spec = self._specs.get(data.key)
        if spec is None or not spec.rows or self._has_rows(node):
            return

        def keep(_spec: GroupSpec, _depth: int) -> bool:
            return False

        self._reconcile(node, spec.children, spec.rows, 1, True, keep, None, {})

    @on(Tree.NodeExpanded)
    def _fill_on_expand(self, event: Tree.NodeExpanded[NodeData]) -> None:
        if event.node.is_expanded:
            with self.batch_nodes():
                self._populate(event.node)

    @on(Tree.NodeHighlighted)
    def _announce(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        data = event.node.data
        if isinstance(data, AgentData):
            self.post_message(self.AgentHighlighted(self, data.row.definition, None))
        elif isinstance(data, GroupData):
            self.post_message(self.AgentHighlighted(self, None, data.key))

    # ---- cursor -----------------------------------------------------------------------
    def _alive(self, node: Node) -> bool:
        data = node.data
        if isinstance(data, AgentData):
            return self._agents.get(data.row.path) is node
        if isinstance(data, GroupData):
            return self._groups.get(data.key) is node
        return False

    def _restore_cursor(
        self,
        cursor: Node | None,
        ident: tuple[str, str] | None,
        neighbours: list[Node],
        screen_offset: int | None,
    ) -> None:
        _ = self._tree_lines  # rebuild line numbers now
        target: Node | None = None
        if cursor is not None and self._alive(cursor):
            target = cursor
        elif ident is not None and ident[0] == "a":
            target = self.reveal(Path(ident[1]), move=False)
        elif ident is not None and ident[0] == "g":
            target = self._groups.get(ident[1])
        if target is None:
            target = next((n for n in neighbours if self._alive(n)), None)
        if target is None:
            if cursor is not None:
                self.cursor_line = 0 if self._tree_lines else -1
            return
        _ = self._tree_lines
        if target is not cursor or self.cursor_line != target.line:
            self.move_cursor(target)
        height = self.scrollable_content_region.height
        if target is cursor and screen_offset is not None and 0 <= screen_offset < height:
            # keep the highlighted row where it was on screen
            def keep_row() -> None:
                if self._alive(target) and target.line >= 0:
                    self.scroll_to(y=max(0, target.line - screen_offset), animate=False)

            self.call_after_refresh(keep_row)
        else:
            self._scroll_into_view(target)

    def reveal(self, path: Path, *, move: bool = True) -> Node | None:
        """Expand the groups holding `path`, build its row and (optionally) put the cursor on it."""
        chain = self._chains.get(path)
        if chain is None or (
            self._agents.get(path) is None
            and not any(r.definition.path == path for r in self._specs.get(chain[-1], _EMPTY).rows)
        ):
            return None
        with self.batch_nodes():
            for key in chain:
                group = self._groups.get(key)
                if group is None:
                    return None
                if not group.is_expanded:
                    group.expand()
                self._populate(group)
        node = self._agents.get(path)
        if node is not None and move:
            _ = self._tree_lines
            self.move_cursor(node)
            self._scroll_into_view(node)
        return node

    def _scroll_into_view(self, node: Node) -> None:
        # the virtual size only catches up on the next layout: scroll after the refresh
        def scroll() -> None:
            if self._alive(node) and node.line >= 0:
                self.scroll_to_node(node, animate=False)

        self.call_after_refresh(scroll)

    def first_agent(self) -> Node | None:
        for line in self._tree_lines:
            if isinstance(line.node.data, AgentData):
                return line.node
        return None
