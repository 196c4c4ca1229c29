"""Session engine benchmark against the loopback fake API. Prints a table.

Run by hand:  .venv/bin/python tests/bench/bench_session.py [TOKENS]

1. headless run at 2,000 tokens/s: engine wall time / server emission time (target <= 1.2)
2. per event: the engine (with and without the SQLite store; it decodes the stream itself,
   `core/session/sse.py`) vs the bare SDK iterating the same unpaced stream, the fake API in
   its own process: wall time and this process's CPU time per event (the CPU figure holds
   steady on a shared machine)
3. SQLite writer: the history's record() per text delta (batched) and the store's per other
   event (its own transaction)
4. `roster run` start -> first token on stdout (subprocess; the server answers at once)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fakeapi import FakeAPI, reply, text  # noqa: E402
from tests.helpers.session import make_definition  # noqa: E402
from tui.core.session.engine import AgentSession, SessionConfig  # noqa: E402
from tui.core.session.events import Retrying, TextDelta  # noqa: E402
from tui.core.session.history import HistoryWriter  # noqa: E402
from tui.core.session.store import SessionStore  # noqa: E402

RATE = 2000  # tokens per second
AGENT = "---\nname: bench\ndescription: bench agent\n---\nYou are a benchmark agent.\n"


def tokens(n: int) -> str:
    return "".join(f"t{i % 1000} " for i in range(n))


def one_token_per_event(n: int, delay_s: float = 0.0):  # type: ignore[no-untyped-def]
    body = tokens(n)
    # each "tN " is one token; emit one token per SSE event (the worst case for overhead)
    reply_ = reply(text(body, chunk=len("t0 ")), delay_s=delay_s)
    # re-chunk exactly on token boundaries
    words = [w + " " for w in body.split(" ") if w]
    events = [e for e in reply_.events if e[0] != "content_block_delta"]
    head, tail = events[:3], events[3:]
    deltas = [
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": w}},
        )
        for w in words
    ]
    reply_.events = head + deltas + tail
    return reply_


async def engine_run(
    api: FakeAPI | str, workdir: Path, store: SessionStore | None
) -> tuple[float, int]:
    url = api if isinstance(api, str) else api.url
    session = AgentSession(make_definition(tools=()), workdir, SessionConfig(base_url=url), store)
    count = 0
    started = time.perf_counter()
    async with contextlib.aclosing(session.send("go")) as events:
        async for event in events:
            if isinstance(event, TextDelta):
                count += 1
    elapsed = time.perf_counter() - started
    await session.aclose()
    return elapsed, count


async def bare_sdk(url: str) -> float:
    import anthropic

    client = anthropic.AsyncAnthropic(base_url=url, max_retries=0)
    started = time.perf_counter()
    stream = await client.messages.create(
        model="claude-sonnet-5-5",
        max_tokens=10,
        messages=[{"role": "user", "content": "go"}],
        stream=True,
    )
    async for _ in stream:
        pass
    elapsed = time.perf_counter() - started
    await client.close()
    return elapsed


async def _timed(run: Any) -> float:
    return float((await run)[0])


@contextlib.contextmanager
def serving(n: int, replies: int) -> Iterator[str]:
    """The fake API in a child process (`--serve`), `replies` unpaced answers of n events."""
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(n), str(replies)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        yield server.stdout.readline().strip()
    finally:
        server.stdin.close()
        server.wait(timeout=10)


def serve(n: int, replies: int) -> None:
    with FakeAPI() as api:
        api.script(*(one_token_per_event(n) for _ in range(replies)))
        print(api.url, flush=True)
        sys.stdin.readline()


async def main(n: int) -> None:
    os.environ.setdefault("ANTHROPIC_API_KEY", "bench-key")
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp, FakeAPI() as api:
        workdir = Path(tmp) / "proj"
        workdir.mkdir()
        store = SessionStore(Path(tmp) / "h.sqlite3")
        # warm up: import anthropic, open a connection
        api.script(one_token_per_event(50))
        await engine_run(api, workdir, store)

        # 1. paced run
        delay = 1 / RATE
        api.script(one_token_per_event(n, delay))
        emission = n * delay
        elapsed, count = await engine_run(api, workdir, store)
        rows.append(
            (
                f"paced run: {count} tokens at {RATE}/s, emission {emission:.2f}s",
                f"{elapsed:.2f}s  ratio {elapsed / emission:.3f} (target <= 1.2)",
            )
        )

        # 2. per event, unpaced, the fake API in its own process: wall and this process's CPU
        big = max(n, 20_000)
        with serving(big, 4) as url:
            await bare_sdk(url)  # warm up: the connection, the SDK's first-use costs
            per = {}
            for label, run in (
                ("bare SDK iterating", lambda: bare_sdk(url)),
                ("engine (no store)", lambda: _timed(engine_run(url, workdir, None))),
                ("engine (SQLite store)", lambda: _timed(engine_run(url, workdir, store))),
            ):
                cpu = time.process_time()
                wall = await run()
                per[label] = (wall / big * 1e6, (time.process_time() - cpu) / big * 1e6)
        for label, (wall_us, cpu_us) in per.items():
            rows.append(
                (f"{label}, {big} events", f"{wall_us:.1f} µs/event wall, {cpu_us:.1f} µs CPU")
            )

        # 3. SQLite writer alone
        sid = store.create_session(
            definition_name="b",
            definition_path="b",
            definition_sha256="0",
            model="m",
            cwd=tmp,
            mode="default",
        )
        delta = TextDelta("tok ")
        history = HistoryWriter(store)  # what the engine records through
        started = time.perf_counter()
        for _ in range(big):
            history.record(sid, delta)
        history.flush()
        writer = (time.perf_counter() - started) / big
        rows.append(("history record, text delta (batched)", f"{writer * 1e6:.1f} µs/event"))
        single = Retrying(1, 0.0, "bench")
        started = time.perf_counter()
        for _ in range(2000):
            store.record(sid, single)
        writer = (time.perf_counter() - started) / 2000
        rows.append(
            ("SQLite record, other events (autocommit, WAL)", f"{writer * 1e6:.1f} µs/event")
        )
        store.close()

        # 4. roster run -> first token (subprocess)
        agents = Path(tmp) / "agents"
        agents.mkdir()
        (agents / "bench.md").write_text(AGENT)
        firsts = []
        for _ in range(3):
            api.script(one_token_per_event(20))
            env = {
                **os.environ,
                "ANTHROPIC_BASE_URL": api.url,
                "ROSTER_DATA_DIR": tmp,
                "PYTHONUNBUFFERED": "1",
            }
            started = time.perf_counter()
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tui",
                    "run",
                    "bench",
                    "hi",
                    "--json",
                    "--cwd",
                    str(workdir),
                    "--agents-dir",
                    str(agents),
                ],
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            assert proc.stdout is not None
            for line in proc.stdout:
                if json.loads(line)["type"] == "text_delta":
                    firsts.append(time.perf_counter() - started)
                    break
            proc.wait()
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import anthropic"], check=True)
        imp = time.perf_counter() - started
        rows.append(("`roster run` start -> first token (best of 3)", f"{min(firsts):.2f}s"))
        rows.append(("  of which `python -c 'import anthropic'` alone", f"{imp:.2f}s"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  result")
    print(f"{'-' * width}  {'-' * 40}")
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(int(sys.argv[2]), int(sys.argv[3]))
    else:
        asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 4000))
