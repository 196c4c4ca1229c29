"""Every use of a private Textual API, in one place, each with why no public one does.

Textual offers no public hook for these; each is a measured performance fix (see the README's
Performance section). `tests/widgets/test_compat.py` checks that every name used here still
exists with the shape we rely on, so a Textual upgrade that changes one fails there, loudly,
instead of silently slowing or breaking the app. Nothing else in `tui/` may touch a private
Textual name (the same test checks the source).
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.document._wrapped_document import WrappedDocument  # no public export
from textual.strip import Strip
from textual.widgets import TextArea

from tui.core.sanitize import has_controls, pictures
from tui.widgets.compat_tree import TREE_PRIVATE_MEMBERS

# (owner, name) of every private member used below, for the upgrade test
PRIVATE_MEMBERS: tuple[tuple[type[Any], str], ...] = (
    *TREE_PRIVATE_MEMBERS,
    (TextArea, "_render_line"),
    (TextArea, "_rewrap_and_refresh_virtual_size"),
    (TextArea, "_set_document"),
    (TextArea, "_refresh_size"),
    (WrappedDocument, "_offset_to_line_info"),  # an instance attribute: checked on one
)


class CountedWrappedDocument(WrappedDocument):
    """Textual 8.2's `height` sums every line's wrap offsets, and TextArea asks for it once
    per rendered row: O(lines) per row, about a second per keystroke on a 90,000-line file.
    One entry of `_offset_to_line_info` exists per visual row, so its length is the height."""

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)


class FastTextArea(TextArea):
    """TextArea without three O(document) costs on paths that run per row or per resize."""

    _wrap_key: tuple[int, int, int] | None = None

    def _rewrap_and_refresh_virtual_size(self) -> None:
        # Every resize re-wraps the whole document (about a second per 100,000 lines). Edits
        # keep the wrapping current incrementally (`wrap_range`), so a full wrap is only needed
        # when the wrapped document, the wrap width or the tab width changed.
        key = (id(self.wrapped_document), self.wrap_width, self.indent_width)
        if key == self._wrap_key:
            self._line_cache.clear()
            self._refresh_size()
            return
        super()._rewrap_and_refresh_virtual_size()
        self._wrap_key = key

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        # Same object layout, cheaper property (see CountedWrappedDocument). The document is
        # built inside `_set_document`; building a second one would wrap the text twice.
        self.wrapped_document.__class__ = CountedWrappedDocument

    def render_line(self, y: int) -> Strip:
        # The base class evaluates `not self.text` (joins the whole document) for every row
        # before looking at the placeholder; we never use a placeholder.
        strip = super().render_line(y) if self.placeholder else self._render_line(y)
        return visible_strip(strip)


def visible_strip(strip: Strip) -> Strip:
    """`strip` with every control character drawn as a visible picture (␛ for ESC): a
    definition's bytes are edited as they are, but never reach the terminal raw."""
    if not any(has_controls(segment.text) for segment in strip):
        return strip
    return Strip(
        [Segment(pictures(seg.text), seg.style, seg.control) for seg in strip],
        strip.cell_length,
    )
