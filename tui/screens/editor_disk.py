"""The editor screen's side of "the file changed on disk": a quiet reload when there are no
edits, a banner and a warning when there are, and taking the disk's version on request.
`EditorScreen` builds on this class; the app calls `external_change` from its watcher."""

from __future__ import annotations

from pathlib import Path

from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from tui.core.editing import EditSession, encoding_notice
from tui.core.sanitize import visible
from tui.widgets.editor_area import EditorArea


class DiskFollower(Screen[None]):
    saving: var[bool] = var(False, bindings=True)
    session: EditSession | None
    path: Path
    disk_deleted: bool  # the watcher (or a save) found the file gone
    disk_changed: bool  # changed on disk while we had edits: next save conflicts
    _deferred_external: list[bytes | None]

    @property
    def area(self) -> EditorArea:
        return self.query_one("#editor-text", EditorArea)

    def _update_dirty(self) -> None:
        raise NotImplementedError

    def _schedule_analysis(self, delay: float) -> None:
        raise NotImplementedError

    def _take_disk(self, data: bytes) -> None:
        assert self.session is not None
        text = self.session.adopt_disk(data)
        self.area.replace_text(text)
        self.session.saved_text = self.area.text
        self.disk_deleted = self.disk_changed = False
        notice = encoding_notice(self.session.encoding)
        self._banner(notice)
        self._update_dirty()
        self._schedule_analysis(0)

    def external_change(self, new_bytes: bytes | None) -> None:
        """The app's watcher saw this file change: `new_bytes` is its content now, or None when
        it was deleted (or replaced by something that is not a file)."""
        if self.session is None or self.saving:
            self._deferred_external.append(new_bytes)
            return
        session = self.session
        if session.is_own_write(new_bytes):
            return  # our own save, or no real change
        if new_bytes is None:
            if self.disk_deleted:
                return
            self.disk_deleted, self.disk_changed = True, False
            self._banner(self._disk_banner())
            self.notify(
                f"{self.path.name} was deleted on disk. Your text is still here; "
                "ctrl+s offers to save it as a new file.",
                severity="warning",
                timeout=8,
            )
            self._update_dirty()
            return
        if not session.is_dirty(self.area.text):
            self._take_disk(new_bytes)  # quiet reload; cursor kept, undo still works
            return
        if not self.disk_changed:  # say it once, not on every write of a busy writer
            self.notify(
                f"{self.path.name} changed on disk while you were editing. Saving will show "
                "both versions so you can choose.",
                severity="warning",
                timeout=8,
            )
        self.disk_changed, self.disk_deleted = True, False
        self._banner(self._disk_banner())
        self._update_dirty()

    def _disk_banner(self) -> str | None:
        if self.disk_deleted:
            return "⚠ The file was deleted on disk. ctrl+s offers to save your text as a new file."
        if self.disk_changed:
            return (
                "⚠ The file changed on disk since you opened it. ctrl+s shows both versions "
                "and lets you keep yours, take the disk's, or go back."
            )
        return None

    def _banner(self, text: str | None, *, error: bool = False) -> None:
        banner = self.query_one("#editor-banner", Static)
        banner.update(visible(text or ""))  # it names the file: escapes, never raw
        banner.set_class(bool(text), "-visible")
        banner.set_class(error, "-error")
