"""The editor's saving: ctrl+s and the Save of the unsaved-changes dialogs. Saves are atomic and
compare the disk with the baseline; a different disk opens the conflict view (keep mine, take
the disk's, merge, save as new); a file that cannot be written in place (read-only file or
folder) is saved as a copy where Claude Code reads it, and the editor goes on with the copy.
The note after a save says when Claude Code would skip the saved file, and why."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui.core.definition import AgentDefinition
from tui.core.edit_copy import copy_plans, write_copy, write_problem
from tui.core.editing import EditSession, analyse, encode_for_saving, frontmatter_problem
from tui.core.install import InstallError
from tui.core.sanitize import visible_line
from tui.core.storage import ConflictError, StorageError
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflict import ConflictChoice, ConflictScreen
from tui.screens.editor_disk import DiskFollower


def saved_note(name: str, defn: AgentDefinition) -> tuple[str, bool]:
    """The save notification, and whether it is a warning (Claude Code would skip the file)."""
    if defn.loads_in_claude_code:
        return f"Saved {name}", False
    reason = visible_line(defn.skip_reason or "it does not load")
    return f"Saved {name}, but Claude Code would skip it: {reason}.", True


class EditorSaving(DiskFollower):
    root: Path

    def _alive(self) -> bool:
        raise NotImplementedError

    def _post_saved(self, path: Path, new_hash: str, copied: bool) -> None:
        raise NotImplementedError  # EditorScreen posts its EditorSaved message

    def action_save(self) -> None:
        if not self.saving and self.session is not None:
            self.saving = True  # a second ctrl+s before the worker starts does nothing
            self.run_worker(self.save_now(), group="editor-save", exit_on_error=False)

    async def save_now(self) -> bool:
        """Save (from a worker: the flow may ask). True when the text is on disk."""
        session = self.session
        if session is None:
            return False
        self.saving = True
        try:
            if not (
                session.is_dirty(self.area.text) or session.needs_conversion or self.disk_deleted
            ):
                return True
            return await self._save_flow()
        finally:
            self.saving = False
            if self._alive():
                self._update_dirty()
                deferred, self._deferred_external = self._deferred_external, []
                for data in deferred:
                    self.external_change(data)

    async def _save_flow(self) -> bool:
        session = self.session
        assert session is not None
        text = self.area.text
        problem = await asyncio.to_thread(write_problem, self.path)
        if problem is not None:
            return await self._save_copy(text, problem)
        if session.needs_conversion and not await self.app.push_screen_wait(
            ConfirmScreen(
                f"{self.path.name} is {session.encoding}, not UTF-8. Save it as UTF-8? "
                "(Characters outside ASCII are written as UTF-8 bytes.)",
                title="Convert to UTF-8?",
                yes="Save as UTF-8",
                no="Cancel",
            )
        ):
            self.notify("Not saved.")
            return False
        defn = await asyncio.to_thread(analyse, text, session.encoding, self.path, self.root)
        broken = frontmatter_problem(defn)
        if broken is not None and not await self.app.push_screen_wait(
            ConfirmScreen(
                f"The frontmatter no longer parses (line {broken.line}: {broken.message}). "
                "Claude Code will skip this file. Save anyway?",
                title="Broken frontmatter",
                yes="Save anyway",
                no="Cancel",
                danger=True,
            )
        ):
            self.notify("Not saved.")
            return False
        return await self._write(text)

    async def _write(self, text: str) -> bool:
        session = self.session
        assert session is not None
        over: bytes | None = None
        create = False
        while True:
            try:
                new_hash = await asyncio.to_thread(session.save, text, over=over, create=create)
            except ConflictError as conflict:
                view = ConflictScreen(self.path, conflict.disk, text, base=session.saved_text)
                choice = await self.app.push_screen_wait(view)
                if choice is ConflictChoice.MERGE and view.merged is not None:
                    text, over, create = view.merged, conflict.disk, False
                    continue
                if choice is ConflictChoice.KEEP_MINE and conflict.disk is not None:
                    over, create = conflict.disk, False
                    continue
                if choice is ConflictChoice.SAVE_AS_NEW:
                    over, create = None, True
                    continue
                if choice is ConflictChoice.TAKE_DISK and conflict.disk is not None:
                    self._take_disk(conflict.disk)
                    self.notify("Loaded the version on disk; undo (ctrl+z) brings yours back.")
                    return False
                self.disk_deleted = conflict.disk is None
                self.disk_changed = conflict.disk is not None
                self._banner(self._disk_banner())
                self.notify("Not saved; your edits are still here.")
                return False
            except StorageError as exc:
                self.notify(str(exc), title="Not saved", severity="error", timeout=10)
                return False
            break
        if not self._alive():
            return True
        if text != self.area.text:  # the merge: show what was written (undo brings yours back)
            self.area.replace_text(text)
            session.saved_text = self.area.text
        self.disk_deleted = self.disk_changed = False
        self._banner(None)
        await self._saved(text, new_hash)
        return True

    async def _saved(self, text: str, new_hash: str, *, copied: bool = False) -> None:
        assert self.session is not None
        defn = await asyncio.to_thread(analyse, text, self.session.encoding, self.path, self.root)
        note, warn = saved_note(self.path.name, defn)
        if copied:
            note = f"{note} (a copy: {self.path}; you are editing it now)"
        self.notify(note, severity="warning" if warn else "information", timeout=8 if warn else 3)
        self._post_saved(self.path, new_hash, copied)

    # ---- read-only: save a copy where Claude Code reads it ------------------------------------

    async def _save_copy(self, text: str, problem: str) -> bool:
        from tui.screens.install import InstallScreen

        session = self.session
        assert session is not None
        data = encode_for_saving(text, session.encoding)
        defn = await asyncio.to_thread(analyse, text, session.encoding, self.path, self.root)
        try:
            plans, diffs = await asyncio.to_thread(copy_plans, defn, data, Path.cwd(), Path.home())
        except (InstallError, OSError) as exc:
            self.notify(f"{self.path.name}: {problem}; {exc}", title="Not saved", severity="error")
            return False
        scope = await self.app.push_screen_wait(InstallScreen(plans, diffs, copy=True))
        if scope is None:
            self.notify(f"Not saved ({problem}); your edits are still here.")
            return False
        plan = plans[scope]
        try:
            new_hash = await asyncio.to_thread(write_copy, plan, data)
        except (StorageError, OSError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=10)
            return False
        if not self._alive():
            return True
        encoding = "utf-8-sig" if session.encoding == "utf-8-sig" else "utf-8"
        target = plan.target
        self.session = EditSession(target, target.parent, text, encoding, new_hash)
        self.path, self.root = target, target.parent
        self.title = f"Edit · {visible_line(target.name)}"
        self.disk_deleted = self.disk_changed = False
        self._banner(None)
        await self._saved(text, new_hash, copied=True)
        return True
