"""Delegation benchmarks (issue 14 item 9, the headless part), against the loopback fake API.

    .venv/bin/python tests/bench/bench_delegation.py [--children 8] [--tokens 2000] [--runs 5]

1. parallel children: one orchestrator message with N Agent calls; each child streams `tokens`
   tokens (`--chunk` per text_delta) paced at 2,000 tokens/s by the server. Reported: the time
   from the first child text to the last child's turn end, against the emission time
   (tokens / 2,000 s). Target: <= 1.2x.
2. a 4-level chain (each level calls the next once, the leaf answers): wall time against one
   plain session answering the same way, per added level. Target: <= 50 ms per level beyond
   the API's own time.
The app side (keypress latency and children's text on screen while 8 children stream) is
bench_delegation_app.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fakeapi import FakeAPI, reply, text, tool_use  # noqa: E402
from tests.helpers.delegation import agent, catalog  # noqa: E402
from tui.core.session.engine import AgentSession, SessionConfig  # noqa: E402
from tui.core.session.events import ChildEvent, TextDelta, TurnEnded  # noqa: E402

RATE = 2000.0  # tokens/s per child


def _call(i: int, who: str) -> dict[str, object]:
    args = {"description": f"job {i}", "prompt": f"job {i}", "subagent_type": who}
    return tool_use(f"c{i}", "Agent", args)


async def _run(api: FakeAPI, top, defs, work: Path) -> tuple[float, float]:
    """(whole wall time, first child text -> last child turn end)."""
    config = SessionConfig(base_url=api.url, subagents=catalog(*defs), permission_mode="default")
    session = AgentSession(top, work, config)
    start = time.perf_counter()
    first = last = 0.0
    try:
        async with contextlib.aclosing(session.send("go")) as events:  # type: ignore[type-var]
            async for event in events:
                if isinstance(event, ChildEvent):
                    if isinstance(event.event, TextDelta) and not first:
                        first = time.perf_counter()
                    if isinstance(event.event, TurnEnded):
                        last = time.perf_counter()
    finally:
        await session.aclose()
    return time.perf_counter() - start, (last - first if first else 0.0)


async def parallel(children: int, tokens: int, chunk: int) -> tuple[float, float]:
    top = agent("orch", "ORCH-B")
    worker = agent("worker", "WORKER-B")
    body = "abcd" * tokens  # a token ~ 4 characters; `chunk` tokens per text_delta event
    with FakeAPI() as api:
        api.route(
            "ORCH-B", reply(*(_call(i, "worker") for i in range(children))), reply(text("ok"))
        )
        api.route(
            "WORKER-B",
            *(
                reply(text(body, chunk=4 * chunk), delay_s=chunk / RATE, wait_in_flight=children)
                for _ in range(children)
            ),
        )
        with tempfile.TemporaryDirectory() as tmp:
            _, streaming = await _run(api, top, [worker], Path(tmp))
    return streaming, tokens / RATE


async def plain(requests: int) -> float:
    """One session making `requests` requests (TodoWrite calls, then the answer): the API's
    own time for as many round trips as the chain makes, without any child session."""
    todo = {"todos": [{"content": "a", "status": "pending", "activeForm": "a"}]}
    with FakeAPI() as api:
        api.route(
            "MARK-plain-",
            *(reply(tool_use(f"t{i}", "TodoWrite", todo)) for i in range(requests - 1)),
            reply(text("done")),
        )
        with tempfile.TemporaryDirectory() as tmp:
            return (await _run(api, agent("plain", "MARK-plain-"), [], Path(tmp)))[0]


async def chain(levels: int) -> float:
    names = [f"level{i}" for i in range(levels)]
    defs = [agent(n, f"MARK-{n}-") for n in names]
    with FakeAPI() as api:
        for i, name in enumerate(names):
            if i + 1 < levels:
                api.route(f"MARK-{name}-", reply(_call(i, names[i + 1])), reply(text("done")))
            else:
                api.route(f"MARK-{name}-", reply(text("leaf done")))
        with tempfile.TemporaryDirectory() as tmp:
            return (await _run(api, defs[0], defs[1:], Path(tmp)))[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=1, help="tokens per text_delta event")
    args = parser.parse_args()
    os.environ.setdefault("ANTHROPIC_API_KEY", "bench-key")
    os.environ.setdefault("ROSTER_DATA_DIR", tempfile.mkdtemp())
    walls, emit = [], 0.0
    for _ in range(args.runs):
        wall, emit = asyncio.run(parallel(args.children, args.tokens, args.chunk))
        walls.append(wall)
    # a 4-level chain makes 7 requests (2 per delegating level, 1 for the leaf): the same
    # number of round trips in one plain session is the API's own time
    one = statistics.median(asyncio.run(plain(7)) for _ in range(args.runs))
    four = statistics.median(asyncio.run(chain(4)) for _ in range(args.runs))
    per_level = (four - one) / 3
    ratio = statistics.median(walls) / emit
    what = f"{args.children} children x {args.tokens} tokens, {args.chunk}/event: wall/emit"
    print(f"{'measure':<56} {'value':>10} {'target':>10}")
    print(f"{what:<56} {ratio:>9.2f}x {'<= 1.2x':>10}")
    print(f"{'one session, 7 requests (s)':<56} {one:>10.3f}")
    print(f"{'4-level chain, 7 requests (s)':<56} {four:>10.3f}")
    print(
        f"{'added per level beyond the API time (ms)':<56} {per_level * 1000:>10.1f} {'<= 50':>10}"
    )
    print("(the fake API runs in this process: its threads share the GIL with the client)")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
