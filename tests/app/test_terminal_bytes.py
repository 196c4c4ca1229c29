"""Bytes from the terminal that are not UTF-8 (a Latin-1 terminal's "é", a binary paste): the
real app in a real pseudo-terminal must go on, not panic (Textual's input thread decodes them
strictly: one bad byte ended Roster with a UnicodeDecodeError traceback, an editor's unsaved
edits lost with it)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def _read_until(fd: int, wanted: bytes, out: bytearray, deadline: float) -> bool:
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                return wanted in out
            if not chunk:
                return wanted in out
            out += chunk
        if wanted in out:
            return True
    return False


def test_a_byte_that_is_not_utf8_does_not_end_roster(tmp_path: Path) -> None:
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "ok.md").write_text("---\nname: sentinel-agent\ndescription: d\n---\nb\n")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    argv = [sys.executable, "-m", "tui", "--agents-dir", str(agents), "--no-user", "--no-project"]
    child = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=tmp_path)
    os.close(slave)
    out = bytearray()
    try:
        assert _read_until(master, b"sentinel-agent", out, time.monotonic() + 30), bytes(out)
        os.write(master, b"\xe9\xff")  # Latin-1 "é", then a byte no encoding of UTF-8 has
        time.sleep(0.5)  # (let the input thread read them before the quit)
        os.write(master, b"\x11")  # ctrl+q
        deadline = time.monotonic() + 30
        while child.poll() is None and time.monotonic() < deadline:
            _read_until(master, b"\x00never", out, time.monotonic() + 0.2)
        assert child.poll() == 0, bytes(out[-3000:])
        assert b"UnicodeDecodeError" not in out
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)


def _terminal_events(chunks: list[bytes]) -> list[object]:
    """What the app's own driver would make of these reads: its module's decoder (as the app
    sets it up), then Textual's input parser."""
    from textual._xterm_parser import XTermParser

    from tui.app.app import make_app

    app = make_app(roots=[], watch=False)
    decode = sys.modules[app.driver_class.__module__].getincrementaldecoder("utf-8")().decode
    parser = XTermParser()
    events: list[object] = []
    for chunk in chunks:
        text = decode(chunk)
        if text:  # (the driver skips an empty read too)
            events += parser.feed(text)
    return events


def test_an_escape_inside_a_paste_presses_no_keys() -> None:
    """`\\x1bay` in the clipboard, pasted on a permission prompt, pressed `a` and `y` (allow
    once): Textual's parser reissues what follows an ESC inside a bracketed paste as keys."""
    from textual import events

    got = _terminal_events([b"\x1b[200~rm -rf build \x1bay\x1b[201~"])
    assert not [e for e in got if isinstance(e, events.Key)], got
    pastes = [e.text for e in got if isinstance(e, events.Paste)]
    assert len(pastes) == 1 and "\x1b" not in pastes[0] and pastes[0].startswith("rm -rf build")
    # the markers split across reads, a colour code in the text, keys typed after it
    got = _terminal_events([b"\x1b[200~al\x1b[31mpha", b"\x1b[20", b"1~j"])
    assert [(type(e).__name__, getattr(e, "text", getattr(e, "key", None))) for e in got] == [
        ("Paste", "alpha"),
        ("Key", "j"),
    ]
    # outside a paste nothing changes: arrows, Escape, ctrl+q
    keys = [getattr(e, "key", None) for e in _terminal_events([b"\x1b[A", b"\x11"])]
    assert keys == ["up", "ctrl+q"]
