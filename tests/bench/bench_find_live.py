"""Find and live Bash figures. Run by hand:  .venv/bin/python tests/bench/bench_find_live.py

1. find over a long transcript (4,000 blocks, ~4.5 MB of text): ms per query (one keystroke)
2. a Bash command that prints ~200 MB as fast as it can, with the live view on: how many
   progress reports (throttled to <= 10/s), the cost of one, and the command's wall time with
   and without the reports
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.core.session import progress  # noqa: E402
from tui.core.session.block_text import find_all  # noqa: E402
from tui.core.session.tools import ALL_TOOLS, ToolContext  # noqa: E402
from tui.core.session.tools.output import OutputBuffer  # noqa: E402
from tui.core.session.transcript import Transcript  # noqa: E402

SPEW = "seq 1 25000000"  # ~200 MB of lines


def bench_find() -> None:
    random.seed(1)
    words = ["alpha", "beta", "gamma", "needle", "delta", "build", "error", "test", "file"]
    t = Transcript()
    for i in range(2000):
        t.apply("user_message", {"content": [{"type": "text", "text": f"question {i}"}]})
        t.apply("text_delta", {"text": " ".join(random.choice(words) for _ in range(400))})
    size = sum(len(getattr(b, "text", "")) for b in t.blocks)
    print(f"find over {len(t.blocks):,} blocks, {size / 1e6:.1f} MB:")
    for query in ("needle", "e", "no-such-word"):
        best = min(_timed(lambda q=query: find_all(t.blocks, q)) for _ in range(5))
        print(f"  {query!r:16} {len(find_all(t.blocks, query)):>6,} matches  {best * 1000:6.1f} ms")


def _timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


async def bench_live() -> None:
    ctx = ToolContext.for_dir(tempfile.mkdtemp(prefix="roster-bench-"))
    bash = ALL_TOOLS["Bash"]
    start = time.perf_counter()
    await bash.run({"command": SPEW}, ctx)
    plain = time.perf_counter() - start
    costs: list[float] = []

    def report(text: str) -> None:
        costs.append(len(text))

    token = progress.CURRENT.set(report)
    try:
        start = time.perf_counter()
        await bash.run({"command": SPEW}, ctx)
        live = time.perf_counter() - start
    finally:
        progress.CURRENT.reset(token)
    buffer = OutputBuffer()  # full head and tail: the most a read decodes
    for _ in range(7000):
        buffer.feed(b"%d\n" % random.randrange(10**12) * 100)
    reads = [_timed(buffer.text) for _ in range(20)]
    await ctx.jobs.close()
    print(f"live Bash, `{SPEW}` (~200 MB):")
    print(f"  without the live view {plain:.2f} s, with it {live:.2f} s")
    print(
        f"  {len(costs)} reports ({len(costs) / live:.1f}/s); one read of the capped output "
        f"{min(reads) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    bench_find()
    asyncio.run(bench_live())
