"""Delegation in the app (issue 14 item 9, the app part): the real App, run headless with
`run_test` (Textual's Pilot driver, no real terminal), an orchestrator whose one message holds
N Agent calls; each child streams `tokens` tokens, `--chunk` tokens per SSE event (default
one: the worst case), paced at 2,000 tokens/s by the loopback fake Messages API.

    .venv/bin/python tests/bench/bench_delegation_app.py [--children 8] [--tokens 2000]
        [--runs 3] [--chunk 1] [--in-process] [--profile FILE]

Measured:
1. keypress latency while the children stream: a key posted to the parent's message box at
   random gaps of 30-130 ms (seeded) -> the box holds it (its handler ran), p50 / p95.
   Target p95 <= 50 ms.
2. all children's text on screen: from the engine starting the first child to the moment every
   Agent block has shown its child's last token (`FIN`, the block's latest line) or its end,
   against the emission time (tokens / 2,000 s). Target <= 1.2x.
The fake API runs in a separate process by default (the real API is not in Roster's process:
in-process, its 16,000 events/s would take the GIL from the UI); `--in-process` keeps it here.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_session_ui import pct, words  # noqa: E402
from tests.fakeapi import FakeAPI, SSEReply, reply, text, tool_use  # noqa: E402

RATE = 2000.0  # tokens/s per child
ORCH, WORKER = "ORCH-APP-BENCH", "WORKER-APP-BENCH"
FIN = "FIN"


def child_reply(n: int, children: int, chunk: int = 1) -> SSEReply:
    """n tokens, `chunk` per text delta, the last one `FIN`; sent once all children asked."""
    template = reply(text("x"), delay_s=chunk / RATE, wait_in_flight=children)
    events = [e for e in template.events if e[0] != "content_block_delta"]
    head, tail = events[:3], events[3:]
    tokens = [*words(n - 1), FIN]
    deltas = [
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": "".join(tokens[i : i + chunk])},
            },
        )
        for i in range(0, len(tokens), chunk)
    ]
    template.events = head + deltas + tail
    return template


def script(api: FakeAPI, children: int, tokens: int, chunk: int = 1) -> None:
    calls = [
        tool_use(
            f"c{i}", "Agent", {"description": f"job {i}", "prompt": "go", "subagent_type": "w"}
        )
        for i in range(children)
    ]
    api.route(ORCH, reply(*calls), reply(text("all done")))
    api.route(WORKER, *(child_reply(tokens, children, chunk) for _ in range(children)))


def serve(children: int, tokens: int, runs: int, chunk: int) -> None:
    """`--serve`: the fake API in its own process; prints its URL, stops when stdin closes."""
    with FakeAPI() as api:
        for _ in range(2 * runs):  # the app's runs, then the engine-only ones
            script(api, children, tokens, chunk)
        print(api.url, flush=True)
        sys.stdin.readline()


def write_agents(folder: Path) -> None:
    folder.mkdir()
    (folder / "orch.md").write_text(
        f"---\nname: orch\ndescription: bench orchestrator\ntools: Agent(w)\n---\n{ORCH}\n"
    )
    (folder / "w.md").write_text(
        f"---\nname: w\ndescription: bench worker\ntools: Read\n---\n{WORKER}\n"
    )


async def one_run(
    agents: Path, work: Path, children: int, tokens: int, profiler: Any = None
) -> dict[str, Any]:
    from textual import events

    from tests.helpers.app import plain
    from tui.app.app import make_app
    from tui.config import Settings
    from tui.core.roots import Root, RootKind
    from tui.core.session.engine import AgentSession
    from tui.screens.launch import LaunchRequest
    from tui.widgets.message_box import MessageBox
    from tui.widgets.session_blocks import ToolView

    app = make_app(
        roots=[Root(agents, RootKind.EXTRA, 0)], settings=Settings(), watch=False, scan_workers=1
    )
    keys: list[float] = []
    started: list[float] = []
    original = AgentSession.started_child

    def started_child(self: AgentSession, *args: Any) -> None:
        started.append(time.perf_counter())
        original(self, *args)

    AgentSession.started_child = started_child  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        while not (app.loaded and app.main_screen.catalog is not None):
            await pilot.pause()
        await pilot.pause(0.3)
        await app.start_session(LaunchRequest(app.catalog.find("orch"), "fan out", work))
        live = app.sessions.sessions[-1]
        view = app.screen.view(live.id)
        box = view.query_one("#prompt", MessageBox)
        box.focus()
        deadline = time.perf_counter() + 60
        while not live.transcript.agent_runs:
            if time.perf_counter() > deadline:
                raise RuntimeError("no child started")
            await asyncio.sleep(0.002)
        # emission starts when the engine starts the children (the screen may see it later)
        t_start, cpu_start = started[0], time.process_time()
        if profiler is not None:  # the streaming only, not the app's start
            profiler.enable()
        shown: dict[int, float] = {}  # Agent block view -> when its last token was on screen
        gaps = random.Random(14)
        next_key = t_start + 0.05
        while len(shown) < children:
            now = time.perf_counter()
            if now - t_start > 120:
                raise RuntimeError(f"only {len(shown)} of {children} children shown")
            for tool_view in view.query(ToolView):
                run = tool_view.block.agent
                if run is None or id(tool_view) in shown:
                    continue
                header = plain(tool_view._header)
                if FIN in header or run.state not in {"running", "waiting for you"}:
                    shown[id(tool_view)] = now
            if live.running and now >= next_key and len(shown) < children:
                before = len(box.value)
                t0 = time.perf_counter()
                app.post_message(events.Key("x", "x"))
                while len(box.value) == before:
                    await asyncio.sleep(0)
                keys.append(time.perf_counter() - t0)
                next_key = time.perf_counter() + gaps.uniform(0.03, 0.13)
            await asyncio.sleep(0.002)
        t_done, cpu_done = max(shown.values()), time.process_time()
        if profiler is not None:
            profiler.disable()
        while live.running:
            await asyncio.sleep(0.01)
        status = live.session.status
        await pilot.pause(0.5)  # (the session's last state messages, before the app exits)
    AgentSession.started_child = original  # type: ignore[method-assign]
    emission = tokens / RATE
    return {
        "ratio": (t_done - t_start) / emission,
        "ui_s": t_done - t_start,
        "key_p50_ms": 1000 * pct(keys, 0.5),
        "key_p95_ms": 1000 * pct(keys, 0.95),
        "keys": len(keys),
        "status": status,
        "cpu_s": cpu_done - cpu_start,
    }


async def headless_run(url: str, children: int, tokens: int) -> dict[str, Any]:
    """The engine alone (no app, history recorded), same server: first child started -> every
    child ended."""
    import contextlib

    from tests.helpers.delegation import agent, catalog
    from tui.core.session.engine import AgentSession, SessionConfig
    from tui.core.session.events import ChildEvent, SubagentStarted, TurnEnded
    from tui.core.session.store import SessionStore

    top = agent("orch", ORCH, tools=("Agent(w)",))
    worker = agent("w", WORKER, tools=("Read",))
    config = SessionConfig(base_url=url, subagents=catalog(worker))
    ended = 0
    first = last = cpu0 = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        store = SessionStore(Path(tmp) / "history.sqlite3")  # recorded, as `roster run` does
        session = AgentSession(top, tmp, config, store)
        try:
            async with contextlib.aclosing(session.send("go")) as events:  # type: ignore[type-var]
                async for event in events:
                    if isinstance(event, SubagentStarted) and not first:
                        first, cpu0 = time.perf_counter(), time.process_time()
                    if not isinstance(event, ChildEvent):
                        continue
                    if isinstance(event.event, TurnEnded):
                        ended += 1
                        last = time.perf_counter()
                        if ended == children:
                            cpu1 = time.process_time()
        finally:
            await session.aclose()
            store.close()
    return {"ratio": (last - first) / (tokens / RATE), "cpu_s": cpu1 - cpu0}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min) / {five:.2f} (5 min) on {os.cpu_count()} cores"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=1, help="tokens per text delta event")
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--profile", help="write a cProfile of the runs to this file")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.children, args.tokens, args.runs, args.chunk)
        return
    os.environ["ANTHROPIC_API_KEY"] = "bench-key"
    server: subprocess.Popen[str] | None = None
    api: FakeAPI | None = None
    if args.in_process:
        api = FakeAPI().start()
        for _ in range(2 * args.runs):
            script(api, args.children, args.tokens, args.chunk)
        url = api.url
    else:
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", *sys.argv[1:]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None
        url = server.stdout.readline().strip()
    print(f"before: {load()}")
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["ANTHROPIC_BASE_URL"] = url
            os.environ["ROSTER_DATA_DIR"] = str(Path(tmp) / "data")
            agents, work = Path(tmp) / "agents", Path(tmp) / "work"
            write_agents(agents)
            work.mkdir()
            profiler = None
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
            for _ in range(args.runs):
                run = await one_run(agents, work, args.children, args.tokens, profiler)
                results.append(run)
            floors = [await headless_run(url, args.children, args.tokens) for _ in range(args.runs)]
            if profiler is not None:
                profiler.dump_stats(args.profile)
    finally:
        if server is not None and server.stdin is not None:
            server.stdin.close()
            server.wait(timeout=10)
        if api is not None:
            api.stop()
    print(f"after:  {load()}")
    where = "in this process" if args.in_process else "in its own process"
    what = (
        f"{args.children} children x {args.tokens:,} tokens @2,000/s each, {args.chunk} per "
        f"event, fake API {where}"
    )
    print(what)
    print(f"{'run':>3} {'keys':>5} {'key p50 ms':>11} {'key p95 ms':>11} {'text/emit':>10} "
          f"{'CPU s':>10} status")  # fmt: skip
    for i, r in enumerate(results, 1):
        print(
            f"{i:>3} {r['keys']:>5} {r['key_p50_ms']:>11.1f} {r['key_p95_ms']:>11.1f} "
            f"{r['ratio']:>9.2f}x {r['cpu_s']:>10.1f} {r['status']}"
        )
    print(f"{'target':>3} {'':>5} {'':>11} {'<= 50':>11} {'<= 1.2x':>10}")
    print("the same streams without the app (engine + history, same server), for comparison:")
    for i, r in enumerate(floors, 1):
        print(f"{i:>3} {'':>5} {'':>11} {'':>11} {r['ratio']:>9.2f}x {r['cpu_s']:>10.1f}")


if __name__ == "__main__":
    asyncio.run(main())
