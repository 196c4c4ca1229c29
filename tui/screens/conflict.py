"""The file changed (or vanished) on disk while it had unsaved edits: show both, let the user
choose. Nothing is overwritten or thrown away without one of these choices.

Merge: when the user's edits and the disk's changes (both against what the editor loaded) do
not overlap, `g` shows the merged text as a diff against the disk and writes it on a yes. When
they overlap, merge is disabled and the dialog says which lines both changed: a definition file
never gets conflict markers (Claude Code would load them as part of the prompt)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from rich.syntax import Syntax
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Static

from tui.core.editing import decode_for_editing, unified_diff
from tui.core.merge3 import MergeResult, merge_definition
from tui.core.sanitize import visible, visible_line
from tui.screens.merge_view import MergeViewScreen
from tui.widgets.held_notices import HeldNotices, HoldingModal
from tui.widgets.plain_title import plain_title


class ConflictChoice(StrEnum):
    KEEP_MINE = "mine"  # overwrite the disk with the editor's text
    TAKE_DISK = "disk"  # replace the editor's text with the disk's (undo can bring it back)
    MERGE = "merge"  # write the three-way merge of both (shown first); see `ConflictScreen.merged`
    SAVE_AS_NEW = "new"  # the file was deleted: write the editor's text as a new file
    BACK = "back"  # close this view, keep editing, save nothing


class ConflictScreen(HoldingModal[ConflictChoice]):
    """`disk` None means the file was deleted (or is no longer a regular file). `base`: the text
    the editor loaded (or last saved), for the merge; None offers no merge."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "m", "choose('mine')", "Keep mine", id="conflict.mine", tooltip="Overwrite the disk"
        ),
        Binding("t", "choose('disk')", "Take disk's", id="conflict.disk", tooltip="Load the disk"),
        Binding("g", "merge", "Merge", id="conflict.merge", tooltip="Combine both, shown first"),
        Binding(
            "s", "choose('new')", "Save as new", id="conflict.new", tooltip="Recreate the file"
        ),
        Binding("escape,b", "choose('back')", "Back", id="conflict.back", tooltip="Keep editing"),
    ]
    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical {
        width: 95%; height: 90%; border: round $error; background: $surface; padding: 0 1;
    }
    ConflictScreen #conflict-explain { height: auto; margin-bottom: 1; }
    ConflictScreen #conflict-diff { height: 1fr; border: round $panel; }
    ConflictScreen #conflict-merge-state { height: auto; color: $text-muted; }
    ConflictScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ConflictScreen Button { margin-left: 2; }
    """

    def __init__(self, path: Path, disk: bytes | None, mine: str, base: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.disk = disk
        self.mine = mine
        self.diff_text = ""
        self.disk_text = "" if disk is None else decode_for_editing(disk).text
        self.merge: MergeResult | None = None
        if disk is not None and base is not None:
            self.merge = merge_definition(base, mine, self.disk_text)

    @property
    def merged(self) -> str | None:
        """The merged text when a merge is possible."""
        return self.merge.text if self.merge is not None else None

    @property
    def deleted(self) -> bool:
        return self.disk is None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            if self.deleted:
                box.border_title = plain_title(f"{self.path.name} was deleted on disk")
                explain = (
                    f"{visible_line(str(self.path))} no longer exists (or is no longer a file). "
                    "Your edits are still here. Save them as a new file at the same path, or go "
                    "back to editing."
                )
            else:
                box.border_title = plain_title(f"{self.path.name} changed on disk")
                explain = (
                    "Someone else saved this file after you opened it. The diff shows what "
                    "saving your version would change (- disk, + yours). Keep yours (overwrite "
                    "the disk), take the disk's (your text stays reachable with undo), or go "
                    "back to editing."
                )
            yield Static(explain, id="conflict-explain", markup=False)
            with VerticalScroll(id="conflict-diff"):
                yield Static(self._diff(), id="conflict-diff-text")
            if self.merge is not None:
                yield Static(self.merge_state, id="conflict-merge-state", markup=False)
            yield HeldNotices()
            with Horizontal():
                yield Button("Back to editing", id="conflict-back")
                if self.deleted:
                    yield Button("Save as new file", id="conflict-new", variant="primary")
                else:
                    yield Button("Take disk's", id="conflict-disk", variant="warning")
                    if self.merge is not None:
                        yield Button(
                            "Merge…",
                            id="conflict-merge",
                            variant="success",
                            disabled=not self.merge.clean,
                            tooltip=None if self.merge.clean else self.merge_state,
                        )
                    yield Button("Keep mine", id="conflict-mine", variant="primary")
        yield Footer()

    @property
    def merge_state(self) -> str:
        if self.merge is None:
            return ""
        if self.merge.clean:
            return "Merge (g): the two changes do not overlap; both can be kept."
        return f"Merge is not possible: {self.merge.reason}. Keep one version, or go back."

    def _diff(self) -> Syntax:
        self.diff_text = unified_diff(self.disk_text, self.mine, self.path)
        return Syntax(visible(self.diff_text), "diff", theme="ansi_dark", word_wrap=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The footer shows the keys of this variant only; merge is dimmed when it overlaps.
        if action == "merge":
            if self.merge is None:
                return False
            return True if self.merge.clean else None
        if action == "choose" and parameters:
            choice = parameters[0]
            if choice == ConflictChoice.SAVE_AS_NEW:
                return self.deleted
            if choice in (ConflictChoice.KEEP_MINE, ConflictChoice.TAKE_DISK):
                return not self.deleted
        return True

    def action_choose(self, choice: str) -> None:
        self.dismiss(ConflictChoice(choice))

    def action_merge(self) -> None:
        merged = self.merged
        if merged is None:
            return

        def written(write: bool | None) -> None:
            if write:
                self.dismiss(ConflictChoice.MERGE)

        self.app.push_screen(MergeViewScreen(self.path, self.disk_text, merged), written)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "conflict-merge":
            self.action_merge()
            return
        ids = {
            "conflict-back": ConflictChoice.BACK,
            "conflict-new": ConflictChoice.SAVE_AS_NEW,
            "conflict-disk": ConflictChoice.TAKE_DISK,
            "conflict-mine": ConflictChoice.KEEP_MINE,
        }
        if event.button.id in ids:
            self.dismiss(ids[event.button.id])
