"""Glob and Grep over a real tree (default: this checkout), best of 5, gitignore honoured.

python tests/bench/bench_search.py [FOLDER]
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from tui.core.session.tools import ALL_TOOLS, ToolContext

CALLS = [
    ("Glob", {"pattern": "**/*.py"}),
    ("Grep", {"pattern": "def "}),
    ("Grep", {"pattern": "def ", "type": "py", "output_mode": "count"}),
    ("Grep", {"pattern": r"class \w+\(.*?\):", "multiline": True, "output_mode": "count"}),
]


async def main(folder: Path) -> None:
    ctx = ToolContext.for_dir(folder)
    for name, args in CALLS:
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            out = await ALL_TOOLS[name].run(dict(args), ctx)
            best = min(best, time.perf_counter() - started)
        lines = len(str(out).splitlines())
        print(f"{name:5} {args}: {best * 1000:.0f} ms ({lines} lines)")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
