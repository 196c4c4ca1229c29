"""Cold index benchmark: generate N realistic definition files in nested folders, then time a
full catalog scan against the single-core read+split+YAML ceiling measured in the same run.

Run by hand:  .venv/bin/python tests/bench/bench_catalog.py [N]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.core.catalog import Catalog  # noqa: E402
from tui.core.roots import Root, RootKind  # noqa: E402

DOMAINS = ["backend", "frontend", "testing", "deployment", "data", "security", "docs"]
TOOLS = ["Read", "Write", "Edit", "Glob", "Grep", "Bash", "WebFetch"]


def make_body(rng: random.Random) -> str:
    parts = ["# Agent\n\nYou are a specialist. " + "Explain the approach carefully. " * 20]
    parts.append("\n## Workflows\n")
    for w in range(rng.randint(2, 5)):
        parts.append(f"\n### Workflow {w}\n\n")
        parts.extend(f"{i}. Step {i} of the work, with details.\n" for i in range(1, 7))
    parts.append("\n## Quality Checks\n\n1. Lint\n2. Tests\n")
    parts.append("\n## Completion Report\n\n```\nTASK_COMPLETE: {taskId}\nSTATUS: completed\n```\n")
    parts.append("\nMore prose. " * rng.randint(50, 300))
    return "".join(parts)


def generate(root: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for i in range(n):
        domain = rng.choice(DOMAINS)
        folder = root / f"team-{i % 40:02d}" / domain
        folder.mkdir(parents=True, exist_ok=True)
        level = rng.choice(["L0", "L1", "L2", "L3", None])
        fm = [f"name: agent-{i:05d}", f"description: Agent {i} for {domain} work, use it well"]
        if rng.random() < 0.4:
            fm.append("tools: " + ", ".join(rng.sample(TOOLS, rng.randint(1, 5))))
        if level:
            fm.append(f"level: {level}")
            fm.append(f"domain: {domain}")
        fm.append("model: sonnet")
        text = "---\n" + "\n".join(fm) + "\n---\n\n" + make_body(rng)
        (folder / f"agent-{i:05d}.md").write_text(text, encoding="utf-8")


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) jiffies of the whole machine so far (Linux), to say how loaded it was."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def own_cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def ceiling(paths: list[Path]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for the bare read+split+YAML work."""
    loader = yaml.CSafeLoader
    t0, c0 = time.perf_counter(), time.process_time()
    for p in paths:
        text = p.read_bytes().decode("utf-8")
        _, fm, _body = text.split("---\n", 2)
        yaml.load(fm, Loader=loader)
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, n)
        paths = sorted(root.rglob("*.md"))
        size = sum(p.stat().st_size for p in paths) / len(paths)
        ceiling(paths[:200])  # warm the page cache
        t_ceiling, cpu_ceiling = ceiling(paths)
        rows = []
        cpu_rows = []
        ticks0, own0, wall0 = cpu_ticks(), own_cpu(), time.perf_counter()
        for workers in (1, os.cpu_count() or 1):
            cat = Catalog([Root(root, RootKind.EXTRA, 0)])
            t0, c0 = time.perf_counter(), time.process_time()
            cat.scan(workers=workers)
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            assert len(cat) == n, len(cat)
            rows.append((f"Catalog.scan, {workers} worker(s)", dt))
            if workers == 1:
                cpu_rows.append(("Catalog.scan, 1 process", cpu))
        ticks1, own1, wall1 = cpu_ticks(), own_cpu(), time.perf_counter()
        print(f"{n} files, mean {size / 1024:.1f} KB, {os.cpu_count()} cores")
        if ticks0 and ticks1:
            hz = os.sysconf("SC_CLK_TCK")
            cores = os.cpu_count() or 1
            busy = (ticks1[0] - ticks0[0]) / hz
            others = max(0.0, busy - (own1 - own0)) / (wall1 - wall0)
            print(
                f"while the scans ran: other processes used {others:.2f} of {cores} cores "
                f"(load average {os.getloadavg()[0]:.2f})"
            )
        print(f"{'what':<40} {'seconds':>8} {'files/s':>9} {'vs ceiling':>10}")
        print(
            f"{'ceiling: read+split+CSafeLoader, 1 core':<40} {t_ceiling:>8.3f} "
            f"{n / t_ceiling:>9.0f} {1.0:>10.2f}"
        )
        for label, dt in rows:
            print(f"{label:<40} {dt:>8.3f} {n / dt:>9.0f} {(n / dt) / (n / t_ceiling):>10.2f}")
        # CPU seconds of this process: what one process manages per core-second, whatever
        # else the machine runs meanwhile (wall-clock ratios swing with a shared machine's load)
        print(
            f"{'per CPU-second of this process':<40} {'cpu s':>8} {'files/s':>9} {'vs ceiling':>10}"
        )
        name = "ceiling: read+split+CSafeLoader"
        print(f"{name:<40} {cpu_ceiling:>8.3f} {n / cpu_ceiling:>9.0f} {1.0:>10.2f}")
        for label, cpu in cpu_rows:
            print(f"{label:<40} {cpu:>8.3f} {n / cpu:>9.0f} {cpu_ceiling / cpu:>10.2f}")
        target = 8000
        best = max(n / dt for _, dt in rows)
        print(f"target >= {target} files/s: {'MET' if best >= target else 'NOT MET'} ({best:.0f})")


if __name__ == "__main__":
    main()
