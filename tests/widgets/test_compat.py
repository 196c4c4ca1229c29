"""The private Textual names Roster relies on (all in tui/widgets/compat.py) still exist and
behave as assumed. If this fails after a Textual upgrade, read the comment beside the name in
compat.py: the fix it carries must be redone against the new Textual (or dropped)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from tui.widgets.compat import PRIVATE_MEMBERS, CountedWrappedDocument

TUI = Path(__file__).resolve().parents[2] / "tui"


@pytest.mark.parametrize(
    ("owner", "name"), PRIVATE_MEMBERS, ids=lambda x: getattr(x, "__name__", x)
)
def test_every_private_member_still_exists(owner: type, name: str) -> None:
    if owner is WrappedDocument:  # an instance attribute, set when the document wraps
        doc = WrappedDocument(Document("one\ntwo"), width=10)
        assert isinstance(getattr(doc, name), list), f"WrappedDocument.{name} changed"
        return
    member = getattr(owner, name, None)
    assert callable(member), f"Textual removed {owner.__name__}.{name}"


def test_the_overridden_signatures_are_unchanged() -> None:
    from textual.widgets import TextArea, Tree

    assert list(inspect.signature(Tree._invalidate).parameters) == ["self"]
    assert list(inspect.signature(TextArea._render_line).parameters) == ["self", "y"]
    assert list(inspect.signature(TextArea._set_document).parameters) == [
        "self",
        "text",
        "language",
    ]
    assert list(inspect.signature(TextArea._rewrap_and_refresh_virtual_size).parameters) == ["self"]


def test_the_counted_height_equals_textuals_own() -> None:
    text = "short\n" + "a long line that wraps several times at width ten " * 3 + "\n\nend"
    doc = WrappedDocument(Document(text), width=10)
    expected = doc.height
    doc.__class__ = CountedWrappedDocument
    assert doc.height == expected


def test_no_other_module_touches_private_textual_names() -> None:
    """Private Textual modules (`textual.x._y`) are imported only by compat.py."""
    offenders = []
    for path in TUI.rglob("*.py"):
        if path.name in ("compat.py", "compat_tree.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if module and module.startswith("textual.") and "._" in module:
                offenders.append(f"{path.relative_to(TUI)}: {module}")
    assert not offenders, offenders
