"""Starting a shell job so that it cannot outlive Roster.

Each command runs in its own process group (its own session), tagged with ROSTER_JOB=token.
Four things end it:
- the caller (interrupt, timeout, KillShell, session end) via `kill_job`;
- the parent-death signal (prctl PR_SET_PDEATHSIG) on the shell: if Roster dies, the shell gets
  SIGKILL at once, so nothing after the running step of `sleep 4; touch LATE` ever starts;
- the watchdog (reaper.py): a small process holding a pipe from Roster; when Roster dies in any
  way the pipe closes and it kills every group still registered (and tagged strays);
- a pid file per running group in the data dir: a group left over after a crash of both
  (e.g. the whole process tree was SIGKILLed) is reaped the next time Roster starts a job.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from ...dirs import data_dir
from ..locks import pid_alive
from . import reaper

PR_SET_PDEATHSIG = 1
_LINUX = sys.platform.startswith("linux")


def pdeathsig_preexec() -> Callable[[], None] | None:
    if not _LINUX:
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:  # runs in the child between fork and exec: no locks, no imports
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # Roster died before the signal was armed
            os._exit(137)

    return preexec


class _Guardian:
    """The watchdog process and the pid files; one per Roster process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._live: dict[int, str] = {}
        self._files: dict[int, Path] = {}
        self._reaped = False
        self._owner = os.getpid()
        atexit.register(self.kill_all)
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        """In a forked child (the catalog scan): not its jobs, and not its watchdog pipe,
        which would otherwise stay open after Roster died."""
        if self._proc is not None and self._proc.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                # pointed at /dev/null rather than closed: the file object may close it later
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, self._proc.stdin.fileno())
                os.close(null)
        self._proc = None
        self._live, self._files = {}, {}

    def _folder(self) -> Path:
        return data_dir() / "jobs"

    def _send(self, line: str) -> None:
        with self._lock:
            for _ in range(2):
                if self._proc is None or self._proc.poll() is not None:
                    self._proc = self._start_watchdog()
                if self._proc is None or self._proc.stdin is None:
                    return
                try:
                    self._proc.stdin.write(line.encode() + b"\n")
                    self._proc.stdin.flush()
                    return
                except OSError:
                    self._proc = None

    def _start_watchdog(self) -> subprocess.Popen[bytes] | None:
        try:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", reaper.__file__],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in the terminal must not end it
            )
        except OSError:
            return None
        # every group still running goes to the new watchdog too
        assert proc.stdin is not None
        with contextlib.suppress(OSError):
            for pgid, token in self._live.items():
                proc.stdin.write(f"+ {pgid} {token}\n".encode())
            proc.stdin.flush()
        return proc

    def reap_once(self) -> None:
        """Kill what a Roster that died (with its watchdog) left running; once per process."""
        if not self._reaped:
            self._reaped = True
            reap_orphans(self._folder())

    def register(self, pgid: int, token: str) -> None:
        self.reap_once()
        self._live[pgid] = token
        self._send(f"+ {pgid} {token}")
        with contextlib.suppress(OSError):
            folder = self._folder()
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._files[pgid] = folder / f"{pgid}.job"
            self._files[pgid].write_text(f"{os.getpid()} {token}\n", encoding="ascii")

    def release(self, pgid: int) -> None:
        if self._live.pop(pgid, None) is None:
            return
        self._send(f"- {pgid}")
        path = self._files.pop(pgid, None)
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()

    def kill_all(self) -> None:
        if os.getpid() != self._owner:
            return
        for pgid, token in list(self._live.items()):
            reaper.kill_job(pgid, token)
            self.release(pgid)


GUARDIAN = _Guardian()


def reap_orphans(folder: Path) -> int:
    """Kill groups recorded by a Roster process that no longer runs; returns how many."""
    count = 0
    try:
        files = list(folder.glob("*.job"))
    except OSError:
        return 0
    for path in files:
        try:
            owner_raw, token = path.read_text(encoding="ascii").split()
            owner, pgid = int(owner_raw), int(path.stem)
        except (OSError, ValueError):
            continue
        if owner != os.getpid() and pid_alive(owner):
            continue  # another Roster's job
        # only processes that carry the token are ours: a reused pgid is left alone
        tagged = reaper.tagged_pids(token)
        if tagged:
            with contextlib.suppress(OSError):
                if any(os.getpgid(pid) == pgid for pid in tagged):
                    os.killpg(pgid, signal.SIGKILL)
            _kill_tagged(tagged)
            count += 1
        with contextlib.suppress(OSError):
            path.unlink()
    return count


def _kill_tagged(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


async def spawn(
    command: str, cwd: Path, env: Mapping[str, str]
) -> tuple[asyncio.subprocess.Process, str]:
    """`bash -c command` in a new session, guarded; returns the process and its token."""
    token = secrets.token_hex(8)
    proc = await asyncio.create_subprocess_exec(
        "/bin/bash",
        "-c",
        command,
        cwd=cwd,
        env={**env, reaper.TOKEN_VAR: token},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=pdeathsig_preexec(),
    )
    GUARDIAN.register(proc.pid, token)
    return proc, token


def kill_job(pgid: int, token: str) -> None:
    """Kill the group and its tagged strays, and forget it."""
    reaper.kill_job(pgid, token)
    GUARDIAN.release(pgid)
