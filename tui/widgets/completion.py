"""The list of completions above a message box (slash commands, their arguments, @paths).

It never takes the focus: the box keeps the keyboard and steers it (↑ ↓ move, Tab or Enter
take the highlighted one, Esc closes it)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.sanitize import visible_line
from tui.core.session.completion import Candidate


class CompletionMenu(OptionList):
    DEFAULT_CSS: ClassVar[str] = """
    CompletionMenu {
        display: none;
        height: auto;
        max-height: 8;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    CompletionMenu.-shown { display: block; }
    """
    can_focus = False

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.items: list[Candidate] = []

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def show(self, items: list[Candidate]) -> None:
        self.items = items
        if not items:
            self.hide()
            return
        width = max(len(visible_line(i.label)) for i in items) + 2
        options = []
        for item in items:
            line = Text(visible_line(item.label).ljust(width), style="bold")
            if item.help:
                line.append(visible_line(item.help), style="dim")
            options.append(Option(line))
        self.set_options(options)
        self.highlighted = 0
        self.add_class("-shown")

    def hide(self) -> None:
        self.items = []
        self.remove_class("-shown")

    def move(self, step: int) -> None:
        if self.items:
            self.highlighted = ((self.highlighted or 0) + step) % len(self.items)

    def current(self) -> Candidate | None:
        if not self.items:
            return None
        return self.items[min(self.highlighted or 0, len(self.items) - 1)]
