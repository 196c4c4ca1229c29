"""Three snapshots, deterministic: fixed root paths (the card prints them), no watcher, no
animations, no cursor blink. Update with `pytest tests/app/test_snapshots.py --snapshot-update`."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.helpers.app import SIZE, app_for, settle, snapshots_match_textual
from tui.core.roots import Root, RootKind, bundled_agents_dir

pytestmark = snapshots_match_textual
FIXED = Path("/tmp/roster-snapshots")

BROKEN = {
    "good-agent.md": "---\nname: good-agent\ndescription: Reviews diffs\ntools: Read, Grep\n"
    "level: L2\ndomain: quality\ncolor: green\n---\n\n# Good\n",
    "broken-agent.md": "---\nname: broken-agent\n"
    "tools: [Read, MultiEdit\nmodel: gpt-4\npermissionMode: yolo\nlevel: L2\ndomain: quality\n"
    "color: teal\n---\n\n# Broken\n\n## Workflows\n\n### Fix it\n\n1. Look\n2. Fix\n",
    "nameless.md": "---\ndescription: a file without a name\n---\n\nbody\n",
}


def _fixed_root(test: str, name: str, files: dict[str, str] | None = None) -> Root:
    """A root at a fixed path (the card prints it), one folder per test (so snapshot tests
    can run in parallel)."""
    target = FIXED / test / name
    if target.exists():
        shutil.rmtree(target)
    if files is None:
        src = bundled_agents_dir()
        assert src is not None
        shutil.copytree(src, target)
    else:
        target.mkdir(parents=True)
        for fname, text in files.items():
            (target / fname).write_text(text, encoding="utf-8")
    return Root(target, RootKind.BUNDLED if files is None else RootKind.EXTRA, 0)


async def _steady(pilot: Pilot[None]) -> None:
    await settle(pilot)
    for inp in pilot.app.query(Input):
        inp.cursor_blink = False
    await pilot.pause()


SnapCompare = Callable[..., bool]


def test_snapshot_main(snap_compare: SnapCompare) -> None:
    app = app_for(_fixed_root("main", "agents"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_steady)


def test_snapshot_filtered(snap_compare: SnapCompare) -> None:
    app = app_for(_fixed_root("filtered", "agents"))

    async def run_before(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        await pilot.press("slash", "t", "e", "s", "t")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_snapshot_agent_with_errors(snap_compare: SnapCompare) -> None:
    app = app_for(_fixed_root("errors", "broken", BROKEN))

    async def run_before(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        path = FIXED / "errors" / "broken" / "broken-agent.md"
        pilot.app.main_screen.agent_tree.reveal(path)  # type: ignore[attr-defined]
        await _steady(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
