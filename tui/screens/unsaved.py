"""Unsaved edits, and the user is leaving (Esc in the editor) or quitting (ctrl+q): Save,
leave without saving, or stay. Used straight-line from a worker:

choice = await self.app.push_screen_wait(UnsavedScreen("a.md has unsaved changes."))
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Static

from tui.core.sanitize import visible
from tui.widgets.held_notices import HeldNotices, HoldingModal
from tui.widgets.plain_title import plain_title


class UnsavedChoice(StrEnum):
    SAVE = "save"  # save, then leave (stays when the save does not happen)
    DISCARD = "discard"  # leave, the edits are dropped
    STAY = "stay"  # back to editing


class UnsavedScreen(HoldingModal[UnsavedChoice]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s,ctrl+s", "choose('save')", "Save", id="unsaved.save", tooltip="Save, then go"),
        Binding("d,y", "choose('discard')", "Don't save", id="unsaved.discard"),
        Binding("n,escape", "choose('stay')", "Stay", id="unsaved.stay", tooltip="Keep editing"),
    ]
    DEFAULT_CSS = """
    UnsavedScreen { align: center middle; }
    UnsavedScreen > Vertical {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        border: round $warning; background: $surface; padding: 1 2;
    }
    UnsavedScreen #unsaved-message { margin-bottom: 1; }
    UnsavedScreen Horizontal { height: auto; align-horizontal: right; }
    UnsavedScreen Button { margin-left: 1; }
    """

    def __init__(
        self,
        message: str,
        *,
        title: str = "Unsaved changes",
        save: str = "Save",
        discard: str = "Discard",
        stay: str = "Keep editing",
    ) -> None:
        super().__init__()
        self.message = message
        self._title = title
        self.labels = {UnsavedChoice.SAVE: save, UnsavedChoice.DISCARD: discard}
        self.labels[UnsavedChoice.STAY] = stay

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = plain_title(self._title)
            yield Static(visible(self.message), id="unsaved-message", markup=False)
            yield HeldNotices()
            with Horizontal():
                yield Button(self.labels[UnsavedChoice.STAY], id="unsaved-stay")
                yield Button(
                    self.labels[UnsavedChoice.DISCARD], id="unsaved-discard", variant="error"
                )
                yield Button(self.labels[UnsavedChoice.SAVE], id="unsaved-save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#unsaved-save", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(UnsavedChoice(choice))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(UnsavedChoice((event.button.id or "unsaved-stay").removeprefix("unsaved-")))
