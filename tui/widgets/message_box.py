"""A multi-line message box: the launch dialog's task and a session's message box.

`Enter` sends (posts `Submitted`); `Ctrl+J` (or `Shift+Enter` where the terminal tells it
apart) adds a newline; a paste keeps every line. `Up` on the first line and `Down` on the last
recall earlier messages (the box's own history, newest last), as a shell does.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = frozenset({"ctrl+j", "shift+enter"})


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
        self, *, placeholder: str = "", id: str | None = None, classes: str | None = None
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
