"""The message a session view posts for the slash commands the app carries out. Its own light
module: the App's handler needs the class at import time, and the commands' module pulls in the
session engine's rules and tools, which the browser's first frame must not import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.core.session.live import LiveSession


class SlashRequested(Message):
    """/clear, /compact or /export for `live`: the app does them."""

    def __init__(self, live: LiveSession, name: str) -> None:
        super().__init__()
        self.live = live
        self.name = name
