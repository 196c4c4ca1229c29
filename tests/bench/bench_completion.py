"""By hand: how long @path completion and mention attachment take on a huge folder.

    .venv/bin/python tests/bench/bench_completion.py [entries]

Completion reads at most MAX_SCAN entries of one folder level (and runs off the event loop),
so a folder of 100,000 files answers about as fast as one of 5,000."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from tui.core.session import completion, mentions
from tui.core.session.tools.base import ToolContext


def main(entries: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".gitignore").write_text("*.log\nbuild/\n")
        for i in range(entries):
            (root / f"file-{i:06}.txt").touch()
        (root / "notes.md").write_text("x" * (mentions.MAX_TEXT_BYTES - 10))
        sources = completion.Sources(root)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            completion.candidates("see @file-0", sources)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{entries:,} entries: @ completion median {statistics.median(times):.1f} ms")
        ctx = ToolContext.for_dir(root)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            found = mentions.resolve("@notes.md @./", ctx, lambda _raw, _path: None)
            times.append((time.perf_counter() - start) * 1000)
        assert len(found.attached) == 2
        median = statistics.median(times)
        print(f"attach a 256 KB file + the folder's listing: median {median:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
