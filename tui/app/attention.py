"""Telling the user that a session they are not looking at needs them: a permission prompt
waits, or a turn ended and the agent waits for the next message.

A terminal bell (`bell = true` in the config, the default) and, when `desktop_notify = true`,
a desktop notification: `notify-send` if it is on PATH, else the OSC 777 / OSC 9 notification
escapes that many terminals turn into one (others ignore them). The session's name in it is
untrusted text: control characters and the escapes' separators are removed first, and it is
never read as one of notify-send's options (`-u critical`, `--icon=...`).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    from tui.core.session.live import LiveSession

AFTER_S = 0.4  # a session just launched is about to be shown: decide once the screen settled
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f;\u202a-\u202e\u2066-\u2069]")


def safe_words(text: str, limit: int = 120) -> str:
    return _UNSAFE.sub(" ", text)[:limit]


class Attention:
    """Watches the live sessions (`seen` is called on each of their changes); `looking(id)`
    says whether that session is in front of the user right now."""

    def __init__(self, app: App[Any], *, bell: bool = True, desktop: bool = False) -> None:
        self.app = app
        self.bell = bell
        self.desktop = desktop
        self.looking: Callable[[str], bool] = lambda _session_id: False
        self._waiting: set[str] = set()
        self._running: set[str] = set()

    def seen(self, live: LiveSession) -> None:
        """A change of `live`: ring on "now waiting for you" and on "turn over"."""
        if not (self.bell or self.desktop):
            return
        sid = live.id
        if live.waiting and sid not in self._waiting:
            self._waiting.add(sid)
            self._later(sid, f"{live.label} is waiting for your permission")
        elif not live.waiting:
            self._waiting.discard(sid)
        if live.running:
            self._running.add(sid)
        elif sid in self._running:
            self._running.discard(sid)
            self._later(sid, f"{live.label} finished and waits for your message")

    def _later(self, session_id: str, why: str) -> None:
        self.app.set_timer(AFTER_S, lambda: self._ring_unless_seen(session_id, why))

    def _ring_unless_seen(self, session_id: str, why: str) -> None:
        if not self.app.is_running or not self.app.screen_stack:  # (the app is closing)
            return
        if self.looking(session_id):
            return
        if self.bell:
            self.app.bell()
        if self.desktop:
            self._desktop(safe_words(why))

    def _desktop(self, text: str) -> None:
        sender = shutil.which("notify-send")
        if sender is not None:
            with contextlib.suppress(OSError):
                subprocess.Popen(  # (a fixed program; the text is one argument)
                    # ("--": a name that starts with "-" is text, not an option)
                    [sender, "--app-name=Roster", "--", "Roster", text],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            return
        driver = getattr(self.app, "_driver", None)  # as App.copy_to_clipboard writes OSC 52
        if driver is not None:
            driver.write(f"\x1b]777;notify;Roster;{text}\x1b\\\x1b]9;Roster: {text}\x1b\\")
