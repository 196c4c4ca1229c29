"""The filter box above the tree. `/` focuses it (screen binding), Esc clears it, Enter or Down
hands focus back to the tree."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static


class FilterBar(Horizontal):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear filter", id="filter.clear", tooltip="Clear the filter"),
        Binding("down", "accept", "To list", id="filter.accept", tooltip="Back to the tree"),
    ]
    HELP = "Type to filter: fuzzy on names, words in descriptions, domains, frameworks, tools."

    class Changed(Message):
        def __init__(self, filter_bar: FilterBar, query: str) -> None:
            super().__init__()
            self.filter_bar = filter_bar
            self.query = query

        @property
        def control(self) -> FilterBar:
            return self.filter_bar

        def can_replace(self, message: Message) -> bool:
            # typing faster than the tree refreshes: only the latest query matters
            return isinstance(message, FilterBar.Changed)

    class Done(Message):
        """The user is done typing (Enter, Down, Esc): focus goes back to the list."""

        def __init__(self, filter_bar: FilterBar) -> None:
            super().__init__()
            self.filter_bar = filter_bar

        @property
        def control(self) -> FilterBar:
            return self.filter_bar

    def compose(self) -> ComposeResult:
        yield Static("/", id="filter-icon")
        yield Input(placeholder="filter agents", id="filter-input", compact=True)
        yield Static("", id="filter-count")

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def set_count(self, text: str) -> None:
        self.query_one("#filter-count", Static).update(text)

    def clear(self) -> None:
        self.input.value = ""

    @on(Input.Changed, "#filter-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(self))

    def action_clear(self) -> None:
        self.clear()
        self.post_message(self.Done(self))

    def action_accept(self) -> None:
        self.post_message(self.Done(self))
