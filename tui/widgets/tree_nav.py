"""Where things are in a Textual tree: a node's depth, and where the cursor goes when its node
disappears (the next sibling, else the previous one, else the parent group)."""

from __future__ import annotations

from typing import Any

from textual.widgets.tree import TreeNode


def depth_of(node: TreeNode[Any]) -> int:
    depth = 0
    parent = node.parent
    while parent is not None:
        depth += 1
        parent = parent.parent
    return depth


def neighbours_of(node: TreeNode[Any]) -> list[TreeNode[Any]]:
    """Where the cursor goes if `node` disappears, best first: its next siblings, its previous
    ones (nearest first), then its parent group; when that went too, the parent's siblings the
    same way, then the grandparent, and so on (never the top of the tree for want of a plan)."""
    out: list[TreeNode[Any]] = []
    while node.parent is not None:
        parent = node.parent
        kids = list(parent.children)
        if node in kids:
            at = kids.index(node)
            out.extend(kids[at + 1 :])
            out.extend(reversed(kids[:at]))
        if parent.is_root:
            break
        out.append(parent)
        node = parent
    return out
