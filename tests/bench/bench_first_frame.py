"""First frame with content in a real terminal (issue 16 point 7), by hand:

    .venv/bin/python tests/bench/bench_first_frame.py [--runs 15] [--n 10000]

Uses ../shared/tools/first_frame.py: seconds from launching a command in a fresh 120x36 tmux
pane until a text is on screen. Roster (the library alone, then N generated definitions) until
a tree row ("· Specialists") shows, against ../shared/tools/bare_app.py (Header, Tree with 20
leaves, Footer) until its tree shows; runs alternate, medians compared within one session.
Targets: library <= 1.3x the bare app, N definitions <= 1.6x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT.parent / "shared" / "tools"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def once(text: str, command: list[str]) -> float:
    out = subprocess.run(
        [sys.executable, str(TOOLS / "first_frame.py"), text, "30", "--", *command],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        check=True,
    ).stdout.strip()
    if out == "timeout":
        raise RuntimeError(f"{command} never showed {text!r}")
    return float(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    if not (TOOLS / "first_frame.py").exists():
        raise SystemExit(f"needs {TOOLS}/first_frame.py")
    from bench_catalog import generate

    big = Path(tempfile.mkdtemp()) / "agents"
    generate(big, args.n)
    py = str(ROOT / ".venv" / "bin" / "python")
    roster = [str(ROOT / ".venv" / "bin" / "roster"), "--no-user", "--no-project"]
    commands = {
        "bare": ("bare-root-ready", [py, str(TOOLS / "bare_app.py")]),
        "library": ("· Specialists", roster),
        f"{args.n:,} definitions": (
            "· Specialists",
            [*roster, "--agents-dir", str(big), "--no-bundled"],
        ),
    }
    times: dict[str, list[float]] = {k: [] for k in commands}
    load_before = os.getloadavg()[0]
    for _ in range(args.runs):  # alternate, so a busy moment hits every command alike
        for name, (text, command) in commands.items():
            times[name].append(once(text, command))
    bare = statistics.median(times["bare"])
    # a busy second core skews the ratio (the early scan's reader and tmux run there)
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print("| what | median s | runs | vs bare |")
    print("|---|---|---|---|")
    for name, values in times.items():
        med = statistics.median(values)
        spread = f"{min(values):.3f}–{max(values):.3f}"
        print(f"| {name} | {med:.3f} | {spread} | {med / bare:.2f}× |")


if __name__ == "__main__":
    main()
