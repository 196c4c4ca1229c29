"""The find bar over a session's transcript: a query, the match count ("3/12"), keys to step.

It only edits and reports: the session view finds the matches (in every block, also those no
longer in the DOM), scrolls and highlights.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static


class SearchInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,f3", "step(1)", "Next match", id="find.next", tooltip="Next match"),
        Binding(
            "shift+enter,shift+f3",
            "step(-1)",
            "Previous match",
            id="find.previous",
            tooltip="Previous match",
        ),
        Binding("escape", "close", "Close find", id="find.close", tooltip="Close the find bar"),
    ]

    def action_step(self, step: int) -> None:
        self.post_message(SearchBar.Step(step))

    def action_close(self) -> None:
        self.post_message(SearchBar.Closed())


class SearchBar(Horizontal):
    """Hidden until opened; `show_count` says where the user is among the matches."""

    DEFAULT_CSS = """
    SearchBar {
        height: 1;
        margin: 0 1;
        display: none;
        background: $boost;
    }
    SearchBar.-open { display: block; }
    SearchBar > SearchInput { width: 1fr; min-width: 20; height: 1; border: none; }
    SearchBar > .find-count { width: auto; min-width: 12; padding: 0 1; }
    SearchBar > .find-keys { width: auto; padding: 0 1; }
    """

    class Changed(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

        def can_replace(self, message: Message) -> bool:  # only the latest query is searched
            return isinstance(message, SearchBar.Changed)

    class Step(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder="Find in the transcript", id="find-input", compact=True)
        yield Static("", classes="find-count")
        yield Static(
            Text("Enter/F3 next · Shift+Enter previous · Esc close", style="dim"),
            classes="find-keys",
        )

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()
        self.input.select_all()

    def close(self) -> None:
        self.remove_class("-open")

    def show_count(self, current: int | None, total: int, capped: bool = False) -> None:
        count = self.query_one(".find-count", Static)
        if not self.input.value:
            count.update("")
        elif total == 0:
            count.update(Text("no matches", style="bold red"))
        else:
            more = "+" if capped else ""
            at = "–" if current is None else f"{current + 1:,}"
            count.update(Text(f"{at}/{total:,}{more}", style="bold"))

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # (Enter is the next-match binding)
