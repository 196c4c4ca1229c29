"""The merge's result, shown before anything is written: what writing it would change on disk
(- disk, + merged). Returns True to write it, False to go back to the conflict's choices."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.syntax import Syntax
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Static

from tui.core.editing import unified_diff
from tui.core.sanitize import visible
from tui.widgets.held_notices import HeldNotices, HoldingModal
from tui.widgets.plain_title import plain_title


class MergeViewScreen(HoldingModal[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w,enter", "answer(True)", "Write merged", id="merge.write", tooltip="Save it"),
        Binding("escape,b", "answer(False)", "Back", id="merge.back", tooltip="Other choices"),
    ]
    DEFAULT_CSS = """
    MergeViewScreen { align: center middle; }
    MergeViewScreen > Vertical {
        width: 95%; height: 90%; border: round $success; background: $surface; padding: 0 1;
    }
    MergeViewScreen #merge-explain { height: auto; margin-bottom: 1; }
    MergeViewScreen #merge-diff { height: 1fr; border: round $panel; }
    MergeViewScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    MergeViewScreen Button { margin-left: 2; }
    """

    def __init__(self, path: Path, disk_text: str, merged: str) -> None:
        super().__init__()
        self.path = path
        self.merged = merged
        self.diff_text = unified_diff(disk_text, merged, path, label="merged")

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = plain_title(f"Merge · {self.path.name}")
            yield Static(
                "Your edits and the changes on disk do not overlap, so both are kept. The diff "
                "shows what writing the merged text changes on disk (- disk, + merged); your "
                "editor then shows the merged text (undo brings your version back).",
                id="merge-explain",
                markup=False,
            )
            with VerticalScroll(id="merge-diff"):
                yield Static(Syntax(visible(self.diff_text), "diff", theme="ansi_dark"))
            yield HeldNotices()
            with Horizontal():
                yield Button("Back", id="merge-back")
                yield Button("Write merged", id="merge-write", variant="success")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#merge-write", Button).focus()

    def action_answer(self, write: bool) -> None:
        self.dismiss(write)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "merge-write")
