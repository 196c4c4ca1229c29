"""A session's shell jobs: the foreground command, and what runs in the background.

Every job is tracked until nothing of it is left running (its process group and the processes
tagged with its token); the session's end kills whatever is still tracked. Jobs the model can
see (`run_in_background`, or a foreground command whose `cmd &` children outlived the shell)
get an id (`bash_1`) for BashOutput and KillShell.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from . import procs, reaper
from .output import OutputBuffer

SETTLE_S = 0.25  # after the shell exits, how long its output may take to arrive
POLL_S = 0.05  # how often a shell whose output pipe stays open is checked for its exit
KILL_WAIT_S = 2.0  # a killed job's pipe closes at once unless a stray escaped the kill


class Job:
    def __init__(self, proc: asyncio.subprocess.Process, token: str, command: str) -> None:
        self.proc, self.token, self.command = proc, token, command
        self.pgid = proc.pid
        self.buffer = OutputBuffer()
        self.cursor = 0  # what BashOutput already returned
        self.killed = False
        self.id: str | None = None
        self.on_output: Callable[[], None] | None = None  # told after each chunk (live view)
        self.reader = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        stream = self.proc.stdout
        if stream is None:
            return
        with contextlib.suppress(OSError, ValueError):
            while chunk := await stream.read(65536):
                self.buffer.feed(chunk)
                if self.on_output is not None:
                    self.on_output()

    async def settle(self) -> bool:
        """Wait for the shell to exit, then briefly for its output; True if the pipe closed.

        (asyncio's `Process.wait()` returns only once every pipe is closed, which a
        background child holds open: `cmd &` would block until the child exits.)"""
        while self.proc.returncode is None and not self.reader.done():
            await asyncio.wait({self.reader}, timeout=POLL_S)
        if self.proc.returncode is None:
            await self.proc.wait()  # the pipe is closed: this returns when the shell exits
        done, _ = await asyncio.wait({self.reader}, timeout=SETTLE_S)
        return bool(done)

    @property
    def running(self) -> bool:
        return not self.killed and (self.proc.returncode is None or not self.reader.done())

    def leftovers(self) -> bool:
        """Anything of this job still alive (its group, or a tagged process elsewhere)?"""
        try:
            os.killpg(self.pgid, 0)
            return True
        except ProcessLookupError:
            pass
        except PermissionError:
            return True
        return bool(reaper.tagged_pids(self.token))

    def alive(self) -> bool:
        """The shell, its output, or processes it started still running?"""
        return self.running or (not self.killed and self.leftovers())

    def status(self) -> str:
        if self.killed:
            return "killed"
        if self.running:
            return "running"
        code = self.proc.returncode
        if self.leftovers():
            return f"running (the shell exited with code {code}; what it started still runs)"
        return f"completed (exit code {code})"

    def kill(self) -> None:
        self.killed = self.killed or self.alive()
        procs.kill_job(self.pgid, self.token)
        self.reader.cancel()

    async def wait_killed(self) -> None:
        self.kill()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.reader
        with contextlib.suppress(ProcessLookupError, TimeoutError):
            await asyncio.wait_for(self.proc.wait(), KILL_WAIT_S)
        # a stray that left the group and dropped its tag may still hold the pipe: let go of
        # it now, or the transport's finalizer prints a traceback after the loop has closed
        transport = getattr(self.proc, "_transport", None)
        if transport is not None:
            transport.close()


class JobTable:
    def __init__(self) -> None:
        procs.GUARDIAN.reap_once()  # a session starting is Roster's "next start"
        self._named: dict[str, Job] = {}
        self._tracked: set[Job] = set()
        self._next = 1

    async def start(self, command: str, cwd: Path, env: Mapping[str, str]) -> Job:
        spawn = asyncio.ensure_future(procs.spawn(command, cwd, env))
        try:
            # shielded: a cancel that lands while the process is being set up must still
            # find the process to kill
            proc, token = await asyncio.shield(spawn)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                proc, token = await spawn
                procs.kill_job(proc.pid, token)
                await proc.wait()
            raise
        job = Job(proc, token, command)
        self._tracked.add(job)
        return job

    def name(self, job: Job) -> str:
        """Give the model a handle on the job (`bash_N`)."""
        if job.id is None:
            job.id = f"bash_{self._next}"
            self._next += 1
            self._named[job.id] = job
        return job.id

    def get(self, job_id: str) -> Job | None:
        return self._named.get(job_id)

    def finished(self, job: Job) -> None:
        """Stop tracking a job once nothing of it runs any more."""
        if job.proc.returncode is not None and not job.leftovers():
            procs.GUARDIAN.release(job.pgid)
            self._tracked.discard(job)

    def kill_all(self) -> None:
        for job in list(self._tracked):
            job.kill()
        self._tracked.clear()

    async def close(self) -> None:
        """Kill every job still tracked and wait (briefly) for each to be gone."""
        jobs = list(self._tracked)
        self._tracked.clear()
        await asyncio.gather(*(job.wait_killed() for job in jobs))

    def running(self) -> list[Job]:
        return [job for job in self._named.values() if job.alive()]
