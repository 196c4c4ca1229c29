"""The editor's TextArea: code_editor defaults, fast on multi-megabyte files, and a way to
swap in new text as one small edit (so undo and the cursor survive a reload or a form change).
"""

from __future__ import annotations

from textual.document._wrapped_document import WrappedDocument
from textual.strip import Strip
from textual.widgets import TextArea

from tui.core.editing import changed_span

# Above this many characters syntax highlighting and soft wrapping are switched off:
# tree-sitter re-highlights the whole document on every keystroke, and every width change
# re-wraps every line (each costs seconds on a 5 MB file).
HIGHLIGHT_LIMIT = 256 * 1024


class _CountedWrappedDocument(WrappedDocument):
    """Textual 8.2.8's `height` sums every line's wrap offsets, and TextArea asks for it once
    per rendered row: O(lines) per row, about a second per keystroke on a 90,000-line file.
    One entry of `_offset_to_line_info` exists per visual row, so its length is the height."""

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)


class EditorArea(TextArea):
    """TextArea for definition files."""

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
        # Same object layout, cheaper property (see _CountedWrappedDocument).
        self.wrapped_document.__class__ = _CountedWrappedDocument

    def render_line(self, y: int) -> Strip:
        # The base class evaluates `not self.text` (joins the whole document) for every row
        # before looking at the placeholder; we never use a placeholder.
        if self.placeholder:
            return super().render_line(y)
        return self._render_line(y)

    def replace_text(self, new_text: str) -> bool:
        """Make the document `new_text` with one edit over the lines that differ. Returns
        False when nothing changed. Undo brings the old text back; the cursor stays put when
        the change is elsewhere."""
        doc = self.document
        nl = doc.newline
        new_lines = new_text.split(nl) if nl in new_text or "\n" not in new_text else None
        if new_lines is None or any("\r" in line or "\n" in line for line in new_lines):
            # Different line-ending style: no minimal edit can express it.
            if new_text == self.text:
                return False
            row, col = self.cursor_location
            self.replace(new_text, (0, 0), doc.end, maintain_selection_offset=False)
            self._restore_cursor(row, col)
            return True
        old_lines = doc.lines
        first, old_end, new_end = changed_span(old_lines, new_lines)
        if first == old_end == new_end:
            return False
        row, col = self.cursor_location
        middle = nl.join(new_lines[first:new_end])
        if old_end < len(old_lines):
            start, end = (first, 0), (old_end, 0)
            insert = middle + nl if new_end > first else ""
        elif first > 0:
            # Replacing through the last line: start at the end of the previous line so the
            # newline bookkeeping stays simple.
            start = (first - 1, len(old_lines[first - 1]))
            end = doc.end
            insert = nl + middle if new_end > first else ""
        else:
            start, end, insert = (0, 0), doc.end, middle
        self.replace(insert, start, end, maintain_selection_offset=True)
        if row >= first:
            self._restore_cursor(row + (new_end - old_end) if row >= old_end else row, col)
        return True

    def _restore_cursor(self, row: int, col: int) -> None:
        lines = self.document.lines
        row = max(0, min(row, len(lines) - 1))
        col = max(0, min(col, len(lines[row])))
        self.move_cursor((row, col))
