"""Pastes reach the focused widget without terminal escape sequences.

Textual's Input and TextArea draw their text raw, so a pasted `\\x1b]0;...\\x07` (a page that
put it on the clipboard) would retitle the terminal, and `\\x1b[2J` clear it, each time the
field is drawn. The app strips escapes and other control characters (newlines and tabs kept)
from every paste before it forwards it to the focused widget.
"""

from __future__ import annotations

from textual import events
from textual.app import App


class PasteGuard(App[None]):
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste) and not event.is_forwarded:
            # (imported here: the session text helpers are not on the way to the first frame)
            from tui.core.session.block_text import clean_paste

            clean = clean_paste(event.text)
            if clean != event.text:
                event = events.Paste(clean)
        await super().on_event(event)
