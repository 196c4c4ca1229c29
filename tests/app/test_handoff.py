"""Hand-off to Claude Code (issue 16 point 8): `c` runs the user's own `claude` (a fake one on
PATH that records its arguments) with the agent as the main-thread agent, passing the
definition inline when it is not in a folder Claude Code reads; without `claude`, no key."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers.app import SIZE, app_for, bundled_root, settle, wait_for, write_agent
from tui.core.roots import Root, RootKind


@pytest.fixture
def fake_claude(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "argv.json"
    script = bin_dir / "claude"
    script.write_text(
        "#!/usr/bin/env python3\nimport json, os, sys\n"
        f"json.dump({{'argv': sys.argv[1:], 'cwd': os.getcwd()}}, open({str(record)!r}, 'w'))\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return record


async def test_c_hands_a_project_agent_to_claude(tmp_path: Path, fake_claude: Path) -> None:
    folder = tmp_path / "work" / ".claude" / "agents"
    write_agent(folder, "my-api", extra="level: L2\ndomain: backend\n")
    app = app_for(Root(folder, RootKind.PROJECT, 0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await wait_for(pilot, fake_claude.exists, what="claude ran")
        ran = json.loads(fake_claude.read_text())
        assert ran["argv"] == ["--agent", "my-api"]
        assert Path(ran["cwd"]) == tmp_path / "work"
        await wait_for(pilot, lambda: any("Back from" in n.message for n in app._notifications))


async def test_a_library_agent_is_passed_inline(fake_claude: Path) -> None:
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        d = app.catalog.get(app.main_screen.agent_tree.highlighted_path)  # type: ignore[union-attr, arg-type]
        assert d is not None
        await pilot.press("c")
        await wait_for(pilot, fake_claude.exists, what="claude ran")
        argv = json.loads(fake_claude.read_text())["argv"]
        assert argv[0] == "--agents" and argv[-2:] == ["--agent", d.name]
        spec = json.loads(argv[1])[d.name]
        assert spec["prompt"] == d.body and spec["description"] == d.description


async def test_without_claude_on_path_there_is_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no claude here
    app = app_for(bundled_root())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = [w for w in app.screen.query("FooterKey") if getattr(w, "action", "") == "hand_off"]
        assert keys == []
        assert app.main_screen.check_action("hand_off", ()) is False
