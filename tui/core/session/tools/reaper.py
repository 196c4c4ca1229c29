"""Ending shell jobs for good, even when Roster itself dies.

Standard library only: this file also runs on its own as the watchdog (`python -I -S
reaper.py`), a small process that outlives Roster. Roster writes `+ PGID TOKEN` when a shell
job starts and `- PGID` when it ends; when the pipe closes (Roster exited, crashed, or was
killed with SIGKILL) the watchdog kills every group still listed.

A job is its process group, plus every process that still carries `ROSTER_JOB=TOKEN` in its
environment (children that left the group with `setsid`, daemons that double-forked).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterable

TOKEN_VAR = "ROSTER_JOB"


def tagged_pids(token: str) -> list[int]:
    """Processes of this user whose environment carries ROSTER_JOB=token (Linux /proc)."""
    needle = f"{TOKEN_VAR}={token}".encode()
    found = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as handle:
                env = handle.read()
        except OSError:
            continue
        if needle in env.split(b"\0"):
            found.append(int(name))
    return found


def kill_job(pgid: int, token: str | None) -> None:
    """SIGKILL the group and every process tagged with the token; never raises."""
    with contextlib.suppress(OSError):
        os.killpg(pgid, signal.SIGKILL)
    if token:
        for pid in tagged_pids(token):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def watch(stream: Iterable[str] | None = None) -> None:
    """Read `+ PGID TOKEN` / `- PGID` lines until EOF, then kill what is still listed."""
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_IGN)
    groups: dict[int, str] = {}
    source = sys.stdin if stream is None else stream
    for line in source:
        parts = line.split()
        with contextlib.suppress(ValueError, IndexError):
            if parts[0] == "+":
                groups[int(parts[1])] = parts[2] if len(parts) > 2 else ""
            elif parts[0] == "-":
                groups.pop(int(parts[1]), None)
    for pgid, token in groups.items():
        kill_job(pgid, token or None)


if __name__ == "__main__":
    watch()
