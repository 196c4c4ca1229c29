"""The footer with Help (F1) first: keys that do not fit a narrow terminal are cut from the
right, and the one key that explains all the others must never be among them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

FIRST_ACTIONS = ("app.help", "help")


def _is_help(widget: Widget) -> bool:
    return getattr(widget, "action", None) in FIRST_ACTIONS  # a FooterKey (not exported)


class RosterFooter(Footer):
    def compose(self) -> ComposeResult:
        items = list(super().compose())
        yield from (w for w in items if _is_help(w))
        yield from (w for w in items if not _is_help(w))
