"""The file changed (or vanished) on disk while it had unsaved edits: show both, let the user
choose. Nothing is overwritten or thrown away without one of these choices."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from rich.syntax import Syntax
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from tui.core.editing import decode_for_editing, unified_diff


class ConflictChoice(StrEnum):
    KEEP_MINE = "mine"  # overwrite the disk with the editor's text
    TAKE_DISK = "disk"  # replace the editor's text with the disk's (undo can bring it back)
    SAVE_AS_NEW = "new"  # the file was deleted: write the editor's text as a new file
    BACK = "back"  # close this view, keep editing, save nothing


class ConflictScreen(ModalScreen[ConflictChoice]):
    """`disk` None means the file was deleted (or is no longer a regular file)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "m", "choose('mine')", "Keep mine", id="conflict.mine", tooltip="Overwrite the disk"
        ),
        Binding("t", "choose('disk')", "Take disk's", id="conflict.disk", tooltip="Load the disk"),
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
    ConflictScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ConflictScreen Button { margin-left: 2; }
    """

    def __init__(self, path: Path, disk: bytes | None, mine: str) -> None:
        super().__init__()
        self.path = path
        self.disk = disk
        self.mine = mine
        self.diff_text = ""

    @property
    def deleted(self) -> bool:
        return self.disk is None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            if self.deleted:
                box.border_title = f"{self.path.name} was deleted on disk"
                explain = (
                    f"{self.path} no longer exists (or is no longer a file). Your edits are "
                    "still here. Save them as a new file at the same path, or go back to editing."
                )
            else:
                box.border_title = f"{self.path.name} changed on disk"
                explain = (
                    "Someone else saved this file after you opened it. The diff shows what "
                    "saving your version would change (- disk, + yours). Keep yours (overwrite "
                    "the disk), take the disk's (your text stays reachable with undo), or go "
                    "back to editing."
                )
            yield Static(explain, id="conflict-explain", markup=False)
            with VerticalScroll(id="conflict-diff"):
                yield Static(self._diff(), id="conflict-diff-text")
            with Horizontal():
                yield Button("Back to editing", id="conflict-back")
                if self.deleted:
                    yield Button("Save as new file", id="conflict-new", variant="primary")
                else:
                    yield Button("Take disk's", id="conflict-disk", variant="warning")
                    yield Button("Keep mine", id="conflict-mine", variant="primary")
        yield Footer()

    def _diff(self) -> Syntax:
        disk_text = "" if self.disk is None else decode_for_editing(self.disk).text
        self.diff_text = unified_diff(disk_text, self.mine, self.path)
        return Syntax(self.diff_text, "diff", theme="ansi_dark", word_wrap=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters:
            choice = parameters[0]
            if choice == ConflictChoice.SAVE_AS_NEW:
                return True if self.deleted else None
            if choice in (ConflictChoice.KEEP_MINE, ConflictChoice.TAKE_DISK):
                return None if self.deleted else True
        return True

    def action_choose(self, choice: str) -> None:
        self.dismiss(ConflictChoice(choice))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        ids = {
            "conflict-back": ConflictChoice.BACK,
            "conflict-new": ConflictChoice.SAVE_AS_NEW,
            "conflict-disk": ConflictChoice.TAKE_DISK,
            "conflict-mine": ConflictChoice.KEEP_MINE,
        }
        if event.button.id in ids:
            self.dismiss(ids[event.button.id])
