"""Dialogs that nothing covers: while one is on top, no toast is drawn over it. A notification
raised meanwhile is shown inside the dialog (one line, `#held-notices`) and waits: it is shown
as a toast once the dialog closes, with its full timeout.

The app routes `notify` here (`hold`) when the active screen is a `HoldingModal`; without that
routing the dialog still hides toasts (they reappear after it closes if still current)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.core.sanitize import visible_line

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class HeldNotice:
    message: str
    title: str
    options: dict[str, Any] = field(default_factory=dict)


class HeldNotices(Static):
    """The dialog's line for notifications raised while it is open."""

    DEFAULT_CSS = """
    HeldNotices { display: none; height: auto; max-height: 3; color: $warning; }
    HeldNotices.-visible { display: block; }
    """

    def __init__(self) -> None:
        super().__init__("", id="held-notices", markup=False)


class HoldingModal(ModalScreen[R]):
    DEFAULT_CSS = """
    HoldingModal #textual-toastrack { visibility: hidden; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.held: list[HeldNotice] = []
        self._parked = 0  # toasts that were up when the dialog opened (first in `held`)

    def on_mount(self) -> None:
        """Toasts already up when the dialog opens would cover it (they are drawn above it):
        they are taken down and shown again, with their full timeout, once it closes."""
        app = self.app
        up = [n for n in app._notifications if not n.has_expired]
        if not up:
            return
        app.clear_notifications()
        for screen in app.screen_stack:
            for rack in screen.query("#textual-toastrack"):
                rack.remove_children()
        self._parked = len(up)
        self.held[:0] = [
            HeldNotice(
                n.message,
                n.title,
                {"severity": n.severity, "timeout": n.timeout, "markup": n.markup},
            )
            for n in up
        ]

    def hold(self, message: str, title: str = "", **options: Any) -> None:
        """Keep a notification for after the dialog; say so inside it."""
        self.held.append(HeldNotice(message, title, options))
        line = visible_line(f"{title}: {message}" if title else message)
        more = len(self.held) - 1 - self._parked
        text = f"Meanwhile: {line}" + (f"  (+{more} more, shown when this closes)" if more else "")
        for widget in self.query(HeldNotices):
            widget.update(text)
            widget.add_class("-visible")

    def on_unmount(self) -> None:
        held, self.held = self.held, []
        for notice in held:
            self.app.notify(notice.message, title=notice.title, **notice.options)


def holding_dialog(stack: Sequence[Screen[Any]]) -> HoldingModal[Any] | None:
    """The dialog on top that holds notifications, if any (only on the UI thread: a
    notification from a worker thread goes the usual way)."""
    if threading.current_thread() is not threading.main_thread() or not stack:
        return None
    top = stack[-1]
    return top if isinstance(top, HoldingModal) else None
