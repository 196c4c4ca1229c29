"""Session screen benchmark: the real app (headless) streaming from the loopback fake API.

Run by hand:  .venv/bin/python tests/bench/bench_session_ui.py [TOKENS]

1. stream at 2,000 tokens/s, one token per SSE event: time until the last token is on the
   transcript / the server's emission time (target <= 1.2)
2. keypress while streaming: a key posted to the message box -> the box shows it, p50 / p95
   (target p95 <= 50 ms). Keys come at random gaps of 30-130 ms (seeded): a fixed period
   phase-locks with the UI's 10 Hz updates and then lands always on, or always off, them
3. RSS after a 200,000-token transcript (100 responses, each text + a tool call), with the
   DOM pruned to the newest blocks (target <= 250 MB)
"""

from __future__ import annotations

import ast
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

from tests.bench.bench_session import RATE  # noqa: E402
from tests.fakeapi import FakeAPI, SSEReply, reply, text, tool_use  # noqa: E402

PARAGRAPH = 60  # tokens per paragraph: model text comes in paragraphs, not one endless line


def words(n: int) -> list[str]:
    """n tokens of prose-like text, a blank line every PARAGRAPH tokens."""
    out = []
    for i in range(n):
        end = "\n\n" if (i + 1) % PARAGRAPH == 0 else " "
        out.append(f"w{i % 1000}{end}")
    return out


def tokens(n: int) -> str:
    return "".join(words(n))


def one_token_per_event(n: int, delay_s: float) -> SSEReply:
    """Exactly one token per SSE text delta, paced by the server."""
    template = reply(text("x"), delay_s=delay_s)
    events = [e for e in template.events if e[0] != "content_block_delta"]
    head, tail = events[:3], events[3:]
    deltas = [
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": w}},
        )
        for w in words(n)
    ]
    template.events = head + deltas + tail
    return template


AGENT = "---\nname: bench\ndescription: bench agent\ntools: Read\n---\nYou are a benchmark agent.\n"


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _app_with_session(root: Path, work: Path, prompt: str) -> Any:
    from tui.app.app import make_app
    from tui.config import Settings
    from tui.core.roots import Root, RootKind

    return make_app(
        roots=[Root(root, RootKind.EXTRA, 0)], settings=Settings(), watch=False, scan_workers=1
    )


async def wait_until(pilot: Any, cond: Any, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > deadline:
            raise RuntimeError("timed out")
        await pilot.pause()


async def bench_stream(api: FakeAPI, root: Path, work: Path, n: int) -> dict[str, float]:
    from textual import events

    from tui.screens.launch import LaunchRequest
    from tui.widgets.message_box import MessageBox
    from tui.widgets.session_blocks import ResponseView

    body = tokens(n)
    api.script(one_token_per_event(n, delay_s=1 / RATE))
    app = await _app_with_session(root, work, "stream")
    keys: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.catalog is not None, 30)
        definition = app.catalog.find("bench")
        await app.start_session(LaunchRequest(definition, "stream", work))
        live = app.sessions.sessions[-1]
        screen = app.screen
        view = screen.view(live.id)
        while not api.requests:
            await asyncio.sleep(0.001)
        t_request = time.perf_counter()
        box = view.query_one("#prompt", MessageBox)
        box.focus()
        gaps = random.Random(6)
        next_key = time.perf_counter() + 0.1

        def done() -> bool:
            """Every token is in the transcript and the newest text block is fully on screen
            (older ones may already have left the DOM)."""
            from tui.core.session.transcript import TextBlock

            texts = [b for b in live.transcript.blocks if isinstance(b, TextBlock)]
            if sum(len(b.text) for b in texts) < len(body) or not texts:
                return False
            views = list(view.query(ResponseView))
            return bool(views) and views[-1].source == texts[-1].text

        while not done() or live.running:
            now = time.perf_counter()
            if now - t_request > 120:
                raise RuntimeError("stream did not finish")
            if live.running and now >= next_key:
                before = len(box.value)
                t0 = time.perf_counter()
                app.post_message(events.Key("x", "x"))
                while len(box.value) == before:
                    await asyncio.sleep(0)
                keys.append(time.perf_counter() - t0)
                next_key = time.perf_counter() + gaps.uniform(0.03, 0.13)
            await asyncio.sleep(0.002)
        t_done = time.perf_counter()
    emission = n / RATE
    return {
        "tokens": n,
        "emission_s": emission,
        "ui_s": t_done - t_request,
        "ratio": (t_done - t_request) / emission,
        "key_p50_ms": 1000 * pct(keys, 0.5),
        "key_p95_ms": 1000 * pct(keys, 0.95),
        "keys": len(keys),
    }


async def bench_rss(
    api: FakeAPI, root: Path, work: Path, total: int = 200_000, responses: int = 100
) -> dict[str, float]:
    from tui.screens.launch import LaunchRequest

    per = total // responses
    (work / "seed.txt").write_text("seed\n")
    script = []
    for i in range(responses - 1):
        script.append(
            reply(text(tokens(per), chunk=16), tool_use(f"r{i}", "Read", {"file_path": "seed.txt"}))
        )
    script.append(reply(text(tokens(per), chunk=16)))
    api.script(*script)
    app = await _app_with_session(root, work, "long")
    before = rss_mb()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot, lambda: app.catalog is not None, 30)
        await app.start_session(LaunchRequest(app.catalog.find("bench"), "long", work))
        live = app.sessions.sessions[-1]
        started = time.perf_counter()

        def finished() -> bool:
            # the fake server keeps every request body (the whole conversation, each time):
            # that is the test double's memory, not Roster's, so drop it as we go
            api.requests.clear()
            return live.transcript.state == "done"

        await wait_until(pilot, finished, 600)
        await pilot.pause()
        spent = time.perf_counter() - started
        view = app.screen.view(live.id)
        after = rss_mb()
        in_dom = len(view._widgets)
        blocks = len(live.transcript.blocks)
        out_tokens = live.transcript.stats.output_tokens
    return {
        "rss_before_mb": before,
        "rss_after_mb": after,
        "blocks": blocks,
        "blocks_in_dom": in_dom,
        "seconds": spent,
        "tokens": total,
        "reported_out": out_tokens,
    }


async def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    n = int(numbers[0]) if numbers else 20_000
    os.environ["ANTHROPIC_API_KEY"] = "bench-key"
    with tempfile.TemporaryDirectory() as tmp, FakeAPI() as api:
        os.environ["ANTHROPIC_BASE_URL"] = api.url
        os.environ["ROSTER_DATA_DIR"] = str(Path(tmp) / "data")
        root, work = Path(tmp) / "agents", Path(tmp) / "work"
        root.mkdir()
        work.mkdir()
        (root / "bench.md").write_text(AGENT)
        if "--rss" in sys.argv:  # a fresh process: nothing else has grown the heap
            rss = await bench_rss(api, root, work)
            print(repr(rss))
            return
        stream = await bench_stream(api, root, work, n)
        out = (
            subprocess.run(
                [sys.executable, __file__, "--rss"], capture_output=True, text=True, check=True
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        rss = ast.literal_eval(out)
    print(f"{'what':46} {'measured':>16} {'target':>10}")
    print(
        f"{'stream ' + format(n, ',') + ' tokens @2,000/s: UI / emission':46} "
        f"{stream['ratio']:>15.2f}× {'<= 1.2×':>10}"
    )
    print(f"{'  (emission s / UI s)':46} {stream['emission_s']:>7.2f} / {stream['ui_s']:<6.2f}")
    print(
        f"{'keypress while streaming p50 / p95 (ms)':46} "
        f"{stream['key_p50_ms']:>7.1f} / {stream['key_p95_ms']:<6.1f} {'p95 <= 50':>10}"
    )
    print(f"{'  keys sampled':46} {stream['keys']:>16.0f}")
    print(
        f"{'RSS after 200k-token transcript (MB)':46} {rss['rss_after_mb']:>16.0f} {'<= 250':>10}"
    )
    print(f"{'  RSS before the app started (MB)':46} {rss['rss_before_mb']:>16.0f}")
    in_dom = rss["blocks_in_dom"]
    print(f"{'  blocks in transcript / in DOM':46} {rss['blocks']:>9.0f} / {in_dom:<5.0f}")
    print(f"{'  wall time for 200k tokens unpaced (s)':46} {rss['seconds']:>16.1f}")


if __name__ == "__main__":
    asyncio.run(main())
