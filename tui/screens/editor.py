"""Edit one definition: text beside a live preview, live diagnostics and a metadata form.

Nothing the user typed is lost without a choice: the baseline (what was loaded or last saved)
is kept in an `EditSession`; saves are atomic and compare the disk with that baseline; a
different disk opens the conflict view; leaving with unsaved edits asks.

The app calls `external_change(bytes | None)` when its watcher sees this file change, and gets
`EditorScreen.EditorSaved(path, hash)` after each of our own saves (so it can ignore the echo).
ctrl+q is the app's (a priority binding): it asks before quitting while `has_unsaved_changes`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import (
    Header,
    Markdown,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import Worker

from tui.core.definition import AgentDefinition, Diagnostic
from tui.core.edit_copy import read_only_notice, write_problem
from tui.core.editing import (
    EditSession,
    analyse,
    encoding_notice,
)
from tui.core.fm_edit import EditError, set_key
from tui.core.sanitize import visible, visible_line
from tui.core.storage import StorageError
from tui.screens.editor_fixes import QuickFixes, quick_fixes
from tui.screens.editor_save import EditorSaving
from tui.screens.unsaved import UnsavedChoice, UnsavedScreen
from tui.widgets.editor_area import HIGHLIGHT_LIMIT, EditorArea
from tui.widgets.footer import RosterFooter
from tui.widgets.metadata_form import MetadataForm, keys_before
from tui.widgets.worker_errors import forward_failure

DEBOUNCE = 0.25  # seconds between the last keystroke and re-validation
PREVIEW_LIMIT = 20_000  # characters of body rendered in the preview (layout cost grows with it)


class EditorScreen(QuickFixes, EditorSaving):
    """Edit the definition at `path` (inside agents root `root`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="editor.save", tooltip="Save the file atomically"),
        Binding(
            "escape",
            "close",
            "Close",
            id="editor.close",
            tooltip="Close the editor (asks when there are unsaved edits)",
            priority=True,
        ),
        Binding("f2", "show_form", "Form", id="editor.form", tooltip="Edit common keys"),
        Binding("f3", "show_preview", "Preview", id="editor.preview", tooltip="Rendered body"),
        Binding("f4", "focus_problems", "Problems", id="editor.problems", tooltip="Diagnostics"),
        Binding("f5", "focus_text", "Text", id="editor.text", tooltip="Back to the text"),
        Binding("f8", "next_problem", "Next problem", id="editor.next-problem", show=False),
    ]
    DEFAULT_CSS = """
    EditorScreen #editor-banner {
        display: none; height: auto; padding: 0 1; background: $warning 30%; color: $text;
    }
    EditorScreen #editor-banner.-visible { display: block; }
    EditorScreen #editor-banner.-error { background: $error 40%; }
    EditorScreen #editor-main { height: 1fr; }
    EditorScreen #editor-left { width: 3fr; }
    EditorScreen #editor-text { height: 1fr; }
    EditorScreen #editor-problems { height: auto; max-height: 8; border: round $panel; }
    EditorScreen #editor-problems.-empty { display: none; }
    EditorScreen #editor-side { width: 2fr; min-width: 36; }
    EditorScreen #editor-preview-scroll { height: 1fr; }
    """

    @dataclass
    class EditorSaved(Message):
        """We wrote `path`; its content now hashes to `hash` (sha256 hex, storage.digest).
        `copied`: a copy saved in the project or user folder (the folder may be new)."""

        path: Path
        hash: str
        copied: bool = False

    dirty: var[bool] = var(False, bindings=True)
    loaded: var[bool] = var(False, bindings=True)

    def __init__(self, path: Path, root: Path) -> None:
        super().__init__()
        self.path = path
        self.root = root
        self.session: EditSession | None = None
        self.definition: AgentDefinition | None = None
        self.disk_deleted = False  # the watcher (or a save) found the file gone
        self.disk_changed = False  # changed on disk while we had edits: next save conflicts
        self.read_only_reason: str | None = None  # why it cannot be saved in place
        self._timer: Timer | None = None
        self._preview_body: str | None = None
        self._deferred_external: list[bytes | None] = []
        self.fixes = []
        self.title = f"Edit · {visible_line(path.name)}"

    # ---- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="editor-banner", markup=False)
        with Horizontal(id="editor-main"):
            with Vertical(id="editor-left"):
                area = EditorArea.code_editor("", language=None, id="editor-text", soft_wrap=True)
                area.cursor_blink = False
                area.read_only = True
                yield area
                yield OptionList(id="editor-problems", classes="-empty")
            with TabbedContent(id="editor-side", initial="editor-tab-preview"):
                with (
                    TabPane("Preview", id="editor-tab-preview"),
                    VerticalScroll(id="editor-preview-scroll"),
                ):
                    yield Markdown("", id="editor-preview")
                with TabPane("Form", id="editor-tab-form"):
                    yield MetadataForm(id="editor-form")
        yield RosterFooter()

    def _alive(self) -> bool:
        """False once the screen is being taken down (a worker may finish after that)."""
        return self.is_attached and bool(self.query("#editor-problems"))

    @property
    def form(self) -> MetadataForm:
        return self.query_one("#editor-form", MetadataForm)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_failure(self, event)  # to the App's error funnel (StateChanged does not bubble)

    def on_mount(self) -> None:
        self.sub_title = "loading…"
        self.area.loading = True
        self._load()

    # ---- loading ---------------------------------------------------------------------------

    @work(exclusive=True, group="editor-load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            session, _data = await asyncio.to_thread(EditSession.open, self.path, self.root)
            read_only = await asyncio.to_thread(write_problem, self.path)
        except StorageError as exc:
            if not self._alive():
                return
            self.area.loading = False
            self.sub_title = "cannot open"
            self._banner(f"{exc}. Nothing to edit; press Esc to go back.", error=True)
            self.notify(str(exc), title="Cannot open", severity="error")
            return
        if not self._alive():
            return
        area = self.area
        small = len(session.saved_text) <= HIGHLIGHT_LIMIT
        area.language = "markdown" if small else None
        area.soft_wrap = small
        area.load_text(session.saved_text)
        area.loading = False
        area.read_only = False
        if area.text != session.saved_text:
            # The TextArea writes one newline style; the file mixed them.
            session.saved_text = area.text
            self.notify(
                "This file mixes line endings; saving will use one style throughout.",
                severity="warning",
            )
        self.session = session
        self.read_only_reason = read_only
        self.loaded = True
        area.move_cursor((0, 0))
        area.focus()
        notice = encoding_notice(session.encoding)
        if self.read_only_reason is not None:
            notice = read_only_notice(self.path, self.read_only_reason)
        if notice:
            self._banner(notice)
            self.notify(
                notice,
                title="Read-only" if self.read_only_reason else "Encoding",
                severity="warning",
            )
        if area.language is None and len(session.saved_text) > HIGHLIGHT_LIMIT:
            self.notify(
                f"Large file ({len(session.saved_text) // 1024} KB): "
                "highlighting and wrapping are off.",
                severity="information",
            )
        self._update_dirty()
        self._schedule_analysis(0)
        for pending in self._deferred_external:
            self.external_change(pending)
        self._deferred_external.clear()

    # ---- live state ------------------------------------------------------------------------

    @on(EditorArea.Changed, "#editor-text")
    def _text_changed(self) -> None:
        if self.session is None:
            return
        self._update_dirty()
        self._schedule_analysis(DEBOUNCE)

    def _update_dirty(self) -> None:
        if self.session is None:
            return
        self.dirty = self.session.is_dirty(self.area.text)
        parts = ["● modified" if self.dirty else "saved"]
        if self.session.needs_conversion:
            parts.append(self.session.encoding)
        if self.disk_deleted:
            parts.append("deleted on disk")
        elif self.disk_changed:
            parts.append("changed on disk")
        self.sub_title = " · ".join(parts)

    def _schedule_analysis(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(delay, self._analyse) if delay else None
        if not delay:
            self._analyse()

    def _analyse(self) -> None:
        self._timer = None
        if self.session is None:
            return
        self._run_analysis(self.area.text, self.session.encoding)

    @work(exclusive=True, group="editor-analyse", exit_on_error=False)
    async def _run_analysis(self, text: str, encoding: str) -> None:
        defn = await asyncio.to_thread(analyse, text, encoding, self.path, self.root)
        if not self._alive():
            return
        self.definition = defn
        self.fixes = await asyncio.to_thread(quick_fixes, text, self.area.document.newline, defn)
        self.show_problems(defn.diagnostics)
        self.form.sync(defn)
        body = defn.body[:PREVIEW_LIMIT]
        if body != self._preview_body:
            self._preview_body = body
            if len(defn.body) > PREVIEW_LIMIT:
                body += "\n\n---\n\n*(preview shows the first 20,000 characters)*"
            await self.query_one("#editor-preview", Markdown).update(visible(body))

    @on(OptionList.OptionSelected, "#editor-problems")
    def _problem_selected(self, event: OptionList.OptionSelected) -> None:
        if self.definition is None or event.option_id is None:
            return
        self.jump_to(self.definition.diagnostics[int(event.option_id)])

    def jump_to(self, diagnostic: Diagnostic) -> None:
        """Put the cursor on the diagnostic's line and column and focus the text."""
        area = self.area
        lines = area.document.lines
        row = max(0, min(diagnostic.line - 1, len(lines) - 1))
        col = max(0, min(diagnostic.column - 1, len(lines[row])))
        area.move_cursor((row, col), center=True)
        area.focus()

    # ---- form -> text ----------------------------------------------------------------------

    @on(MetadataForm.Changed)
    def _form_changed(self, event: MetadataForm.Changed) -> None:
        if self.session is None:
            return
        area = self.area
        try:
            new_text = set_key(area.text, event.key, event.value, after=keys_before(event.key))
        except EditError as exc:
            self.notify(f"Form change not applied: {exc}", severity="warning")
            return
        area.replace_text(new_text)

    # ---- bindings --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            if not self.loaded or self.saving or self.session is None:
                return False
            return (
                self.dirty
                or self.session.needs_conversion
                or self.disk_deleted
                or self.read_only_reason is not None
            )
        # Esc closes an open dropdown before it closes the editor.
        return not (action == "close" and any(s.expanded for s in self.query(Select)))

    def action_focus_text(self) -> None:
        self.area.focus()

    def action_show_form(self) -> None:
        self.query_one(TabbedContent).active = "editor-tab-form"
        self.form.focus_first()

    def action_show_preview(self) -> None:
        self.query_one(TabbedContent).active = "editor-tab-preview"

    def action_focus_problems(self) -> None:
        if self.problems.option_count:
            self.problems.focus()

    def action_next_problem(self) -> None:
        if self.definition is None or not self.definition.diagnostics:
            return
        row = self.area.cursor_location[0] + 1
        diags = self.definition.diagnostics
        after = [d for d in diags if d.line > row]
        self.jump_to(after[0] if after else diags[0])

    @work(exclusive=True, group="editor-leave", exit_on_error=False)
    async def action_close(self) -> None:
        if await self._may_leave():
            self.dismiss(None)

    async def _may_leave(self) -> bool:
        if self.session is None or not self.session.is_dirty(self.area.text):
            return True
        choice = await self.app.push_screen_wait(
            UnsavedScreen(f"{self.path.name} has unsaved changes. Save them before leaving?")
        )
        if choice is UnsavedChoice.SAVE:
            return await self.save_now()
        return choice is UnsavedChoice.DISCARD

    @property
    def has_unsaved_changes(self) -> bool:
        return self.session is not None and self.session.is_dirty(self.area.text)

    def _post_saved(self, path: Path, new_hash: str, copied: bool) -> None:
        self.post_message(self.EditorSaved(path, new_hash, copied))
