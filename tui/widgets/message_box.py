"""A multi-line message box: the launch dialog's task and a session's message box.

`Enter` sends (posts `Submitted`); `Ctrl+J` (or `Shift+Enter` where the terminal tells it
apart) adds a newline; a paste keeps every line (less terminal escapes: the box would draw
them raw). `Up` on the first line and `Down` on the last
recall earlier messages (the box's own history, newest last), as a shell does.

Given a `completer` (the session's message box), a list above the box offers what can follow
the text up to the cursor — slash commands and their arguments, `@paths` — as you type: ↑ ↓
move in it, Tab or Enter take the highlighted entry (Enter on a whole command runs it), Esc
closes it. A completion that reads a folder runs off the event loop; an answer that arrives
after the text moved on is dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.message import Message
from textual.widget import Widget
from textual.widgets import TextArea

from tui.core.session.block_text import clean_paste
from tui.core.session.completion import Candidate
from tui.widgets.completion import CompletionMenu

# the text up to the cursor -> its candidates (None: nothing to complete); `needs_disk` says
# whether a call may touch the disk (then it runs in a thread)
Completer = Callable[[str], list[Candidate] | None]

NEWLINE_KEYS = frozenset({"ctrl+j", "shift+enter"})
CURSOR_KEYS = frozenset({"left", "right", "home", "end", "ctrl+left", "ctrl+right", "ctrl+home"})


class MessageBox(TextArea):
    DEFAULT_CSS: ClassVar[str] = """
    MessageBox {
        height: auto;
        min-height: 1;
        max-height: 8;
    }
    """

    class Submitted(Message):
        def __init__(self, box: MessageBox, value: str) -> None:
            super().__init__()
            self.box = box
            self.value = value

        @property
        def control(self) -> MessageBox:
            return self.box

    def __init__(
        self,
        *,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
        completer: Completer | None = None,
        needs_disk: Callable[[str], bool] = lambda _text: False,
    ) -> None:
        super().__init__(
            "",
            id=id,
            classes=classes,
            placeholder=placeholder,
            soft_wrap=True,
            compact=True,
            highlight_cursor_line=False,
            tab_behavior="focus",
        )
        self.sent: list[str] = []  # earlier messages, oldest first
        self._recall: int | None = None  # index into `sent` while recalling
        self._draft = ""  # what was typed before recalling
        self.completer = completer
        self._needs_disk = needs_disk
        self.menu: CompletionMenu | None = None
        self._asked = 0  # completion requests so far (a late answer to an older one is dropped)

    def on_mount(self) -> None:
        parent = self.parent
        if self.completer is not None and isinstance(parent, Widget):
            self.menu = CompletionMenu()
            parent.mount(self.menu, before=self)

    def _before_cursor(self) -> str:
        return self.get_text_range((0, 0), self.cursor_location)

    def on_text_area_changed(self, _event: TextArea.Changed) -> None:
        self._complete()  # (the event bubbles on: the session view counts keystrokes by it)

    def _complete(self) -> None:
        if self.completer is None or self.menu is None:
            return
        self._asked += 1
        before = self._before_cursor()
        if not before or ("/" not in before[:1] and "@" not in before):
            self.menu.hide()
            return
        if self._needs_disk(before):
            self.run_worker(self._complete_off_loop(self._asked, before), group="complete")
            return
        self.menu.show(self.completer(before) or [])

    async def _complete_off_loop(self, asked: int, before: str) -> None:
        completer = self.completer
        assert completer is not None
        found = await asyncio.to_thread(completer, before)
        if asked == self._asked and self.menu is not None:
            self.menu.show(found or [])

    def _accept(self, candidate: Candidate) -> None:
        before = self._before_cursor()
        if candidate.start > len(before):
            return
        lines = before[: candidate.start].split("\n")
        start = (len(lines) - 1, len(lines[-1]))
        self.replace(candidate.insert, start, self.cursor_location)

    def _menu_key(self, key: str) -> bool:
        """A key the open completion list takes; True when it did."""
        menu = self.menu
        if menu is None or not menu.shown:
            return False
        if key in CURSOR_KEYS:  # the cursor leaves what was being completed
            menu.hide()
            return False
        if key in {"up", "down"}:
            menu.move(-1 if key == "up" else 1)
            return True
        if key == "escape":
            menu.hide()
            return True
        if key not in {"tab", "enter"}:
            return False
        candidate = menu.current()
        if candidate is None:
            return False
        typed = self._before_cursor()[candidate.start :]
        if key == "enter" and candidate.insert.strip() == typed.strip():
            menu.hide()  # (already typed in full: Enter sends it)
            return False
        self._accept(candidate)
        if key == "enter" and candidate.run:
            menu.hide()
            self.post_message(self.Submitted(self, self.text))
        return True

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)

    def remember(self, text: str) -> None:
        if text and (not self.sent or self.sent[-1] != text):
            self.sent.append(text)
        self._recall = None

    async def _on_key(self, event: events.Key) -> None:
        if self._menu_key(event.key):
            event.stop()
            event.prevent_default()
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.text))
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)

    async def _on_paste(self, event: events.Paste) -> None:
        """A paste less terminal escapes: a TextArea draws its text raw, so a pasted
        `\x1b]0;...` would retitle the terminal (newlines and tabs kept)."""
        event.prevent_default()
        await super()._on_paste(events.Paste(clean_paste(event.text)))

    def action_cursor_up(self, select: bool = False) -> None:
        if select or self.cursor_location[0] > 0 or not self.sent:
            super().action_cursor_up(select)
            return
        if self._recall is None:
            self._draft, self._recall = self.text, len(self.sent)
        if self._recall > 0:
            self._recall -= 1
            self.value = self.sent[self._recall]

    def action_cursor_down(self, select: bool = False) -> None:
        last = self.document.line_count - 1
        if select or self.cursor_location[0] < last or self._recall is None:
            super().action_cursor_down(select)
            return
        self._recall += 1
        if self._recall >= len(self.sent):
            self._recall = None
            self.value = self._draft
        else:
            self.value = self.sent[self._recall]
