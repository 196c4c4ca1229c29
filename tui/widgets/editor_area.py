"""The editor's TextArea: code_editor defaults, fast on multi-megabyte files, and a way to
swap in new text as one small edit (so undo and the cursor survive a reload or a form change).
"""

from __future__ import annotations

from tui.core.editing import changed_span
from tui.widgets.compat import FastTextArea

# Above this many characters syntax highlighting and soft wrapping are switched off:
# tree-sitter re-highlights the whole document on every keystroke, and every width change
# re-wraps every line (each costs seconds on a 5 MB file).
HIGHLIGHT_LIMIT = 256 * 1024


class EditorArea(FastTextArea):
    """TextArea for definition files."""

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
