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
