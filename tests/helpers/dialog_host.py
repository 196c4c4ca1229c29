"""A tiny host app that shows one dialog and keeps what it returns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from tests.helpers.app import wait_for


class DialogHost(App[None]):
    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self._dialog = screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self._dialog, self.results.append)


def until(pilot: Pilot[None], cond: Callable[[], object], timeout: float = 5.0) -> Awaitable[None]:
    return wait_for(pilot, cond, timeout=timeout, delay=0.01)
