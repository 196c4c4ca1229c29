"""Big prompt benchmark (issue 16 point 3), by hand:

    .venv/bin/python tests/bench/bench_big_prompt.py [--mb 2.1] [--keys 60]

A root with one 2.1 MB definition between two small ones. The 2.1 MB agent is highlighted and
the Prompt tab shown; then arrow keys move off it and back (each return renders it again) and
scroll its prompt (PgDn). Measured: key event posted -> the tree cursor moved or the view
scrolled (p50/p95/max), the event loop's worst lateness meanwhile (a 10 ms ticker), and the
process's peak RSS. Targets: keypress p95 <= 50 ms, RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PARA = "Step {i}: read the module, list its callers, and check each one carefully.\n\n"


def body(size: int) -> str:
    out, total, i = [], 0, 0
    while total < size:
        part = (f"## Section {i}\n\n- item one\n- item `two`\n\n" if i % 20 == 0 else "") + (
            PARA.format(i=i)
        )
        out.append(part)
        total += len(part)
        i += 1
    return "".join(out)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\nname: {name}\ndescription: {name} agent\n---\n\n{text}")
    return path


async def run(mb: float, keys: int) -> None:
    from textual import events

    from tui.app.app import make_app
    from tui.config import Settings
    from tui.core.roots import Root, RootKind
    from tui.widgets.lines_view import LinesView

    folder = Path(tempfile.mkdtemp()) / "agents"
    folder.mkdir()
    write(folder, "a-small", "# Small\n\nShort.\n")
    huge = write(folder, "b-huge", body(int(mb * 1_000_000)))
    write(folder, "c-small", "# Small\n\nShort too.\n")
    app = make_app(roots=[Root(folder, RootKind.EXTRA, 0)], settings=Settings(), watch=False)
    times: list[float] = []
    lag = [0.0]
    async with app.run_test(size=(120, 36)) as pilot:
        while not (app.loaded and app.main_screen.catalog is not None):
            await pilot.pause(0.05)
        await pilot.pause()
        screen = app.main_screen
        tree = screen.agent_tree
        tree.reveal(huge)
        await pilot.pause()
        view = screen.query_one("#prompt-lines", LinesView)
        t_first = time.perf_counter()
        app.post_message(events.Key("right_square_bracket", "]"))  # Prompt tab, 2.1 MB agent
        while view.rendered == 0:
            await asyncio.sleep(0.001)
        first_piece = time.perf_counter() - t_first

        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            lag[0] = max(lag[0], now - last[0] - 0.010)
            last[0] = now

        timer = app.set_interval(0.010, tick)
        script = ["down", "up"] * (keys // 4) + ["pagedown"] * (keys // 2)
        for key in script:
            target = view if key == "pagedown" else tree
            if not target.has_focus:
                target.focus()
                await pilot.pause()
            before = (tree.cursor_line, view.scroll_y)
            t0 = time.perf_counter()
            app.post_message(events.Key(key, None))
            while (tree.cursor_line, view.scroll_y) == before:
                if time.perf_counter() - t0 > 10:
                    raise RuntimeError(f"{key} not handled")
                await asyncio.sleep(0)
            times.append(time.perf_counter() - t0)
            await pilot.pause(0.02)
        timer.stop()
    if "--verbose" in sys.argv:
        print([f"{k}:{t * 1000:.0f}" for k, t in zip(script, times, strict=True)])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    q = statistics.quantiles(times, n=20)
    print(f"| definition | {huge.stat().st_size / 1e6:.1f} MB |")
    print(f"| first piece of the Prompt tab on screen | {first_piece * 1000:.0f} ms |")
    print(
        f"| keypress p50 / p95 / max ({len(times)} keys) | {statistics.median(times) * 1000:.1f}"
        f" / {q[18] * 1000:.1f} / {max(times) * 1000:.1f} ms |"
    )
    print(f"| worst event-loop lateness | {lag[0] * 1000:.0f} ms |")
    print(f"| peak RSS | {rss:.0f} MB |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=2.1)
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    asyncio.run(run(args.mb, args.keys))


if __name__ == "__main__":
    main()
