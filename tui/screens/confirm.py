"""A small yes/no question. Use it straight-line from a worker (STYLE idiom 14):

if await self.app.push_screen_wait(ConfirmScreen("Discard your edits?", yes="Discard")):
    ...
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.core.sanitize import visible
from tui.widgets.plain_title import plain_title


class ConfirmScreen(ModalScreen[bool]):
    """Returns True for yes, False for no / Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Answer yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Answer no"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 90%;
        border: round $warning; background: $surface; padding: 1 2;
    }
    ConfirmScreen #confirm-message { margin-bottom: 1; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; }
    """

    def __init__(
        self,
        message: str,
        *,
        title: str = "Are you sure?",
        yes: str = "Yes",
        no: str = "Cancel",
        danger: bool = False,
    ) -> None:
        super().__init__()
        self._message = message
        self._title = title
        self._yes = yes
        self._no = no
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = plain_title(self._title)
            yield Static(visible(self._message), id="confirm-message", markup=False)
            with Horizontal():
                yield Button(self._no, id="confirm-no")
                yield Button(
                    self._yes, id="confirm-yes", variant="error" if self._danger else "primary"
                )

    def on_mount(self) -> None:
        self.query_one("#confirm-no" if self._danger else "#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no_pressed(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
