"""Drive the real app at 120x36 and write SVGs to screenshots/.

    .venv/bin/python tests/make_screenshots.py

main.svg      the bundled agents, first agent highlighted
filtered.svg  `/` then "test": the tree narrowed, the best match highlighted
errors.svg    an agent Claude Code would skip, with its diagnostics (a temp root of broken files)
editor.svg    `e` on an agent (a copy of the bundled ones): unsaved edits, a live diagnostic
conflict.svg  the same edits saved after another program changed the file: the conflict view
merge.svg     a body edit saved after another program changed the model line: `g` in the
              conflict view shows the three-way merge as a diff against the disk
              (`python tests/make_screenshots.py merge` draws only this one)
session.svg   a session (scripted loopback API): streamed answer, a Write waiting for permission
report.svg    the same session after "allow once": the completion report card
sessions.svg  two sessions side by side in the list, the tree badge on the agent screen
project.svg   a project's own agents first, the library one collapsed group below them
filter-fields.svg  `/` then "level:L2 tool:Bash": field filters narrowing the tree
problems.svg  `p`: only the agents with problems (✗ or !)
install.svg   `i` on a library agent that the project has a different copy of: the diff
delegation.svg an orchestrator's two Agent calls running at once, one child asking for a Write
              on the parent's screen (labelled with the chain), the children nested in the list
find.svg      Ctrl+F in a session: the find bar, "2/5", the matched blocks and words highlighted
live-bash.svg a Bash command's output streaming into its block while it runs

Only some: `.venv/bin/python tests/make_screenshots.py find live-bash` (names as above).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from tui.app.app import RosterApp, make_app  # noqa: E402
from tui.config import Settings  # noqa: E402
from tui.core.roots import Root, RootKind, bundled_agents_dir  # noqa: E402
from tui.screens.conflict import ConflictScreen  # noqa: E402
from tui.screens.editor import EditorScreen  # noqa: E402
from tui.screens.merge_view import MergeViewScreen  # noqa: E402

OUT = ROOT / "screenshots"
SIZE = (120, 36)

BROKEN = {
    "reviewer.md": "---\nname: reviewer\ndescription: Reviews diffs for bugs and style\n"
    "tools: Read, Grep, Glob\nlevel: L2\ndomain: quality\ncolor: green\n---\n\n# Reviewer\n",
    "release-bot.md": "---\nname: release-bot\n"
    "tools: [Read, MultiEdit, Bash(git *)\nmodel: gpt-4\npermissionMode: yolo\nlevel: L3\n"
    "domain: deployment\ncolor: teal\n---\n\n# Release bot\n\n## Workflows\n\n### Release\n\n"
    "1. Bump the version\n2. Tag\n3. Push the tag\n",
    "notes.md": "# Just notes\n\nThis file has no frontmatter at all.\n",
    "helper.md": "---\ndescription: a helper that forgot its name\n---\n\nbody\n",
}


async def settle(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, RosterApp)
    while not (app.loaded and app.main_screen.catalog is not None):
        await pilot.pause()
    await pilot.pause()
    await app.workers.wait_for_complete()
    for inp in app.query(Input):
        inp.cursor_blink = False
    await pilot.pause()


def build(*roots: Root) -> RosterApp:
    return make_app(roots=list(roots), settings=Settings(), watch=False, scan_workers=1)


async def main() -> None:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    # a fresh data folder: no history of the machine that draws them leaks into the pictures
    os.environ["ROSTER_DATA_DIR"] = tempfile.mkdtemp(prefix="roster-shots-")
    OUT.mkdir(exist_ok=True)
    bundled = bundled_agents_dir()
    assert bundled is not None
    root = Root(bundled, RootKind.BUNDLED, 0)

    app = build(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.save_screenshot("main.svg", str(OUT))

    app = build(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"test")
        await settle(pilot)
        app.save_screenshot("filtered.svg", str(OUT))

    with tempfile.TemporaryDirectory() as tmp:
        broken = Path(tmp) / "agents"
        broken.mkdir()
        for name, text in BROKEN.items():
            (broken / name).write_text(text, encoding="utf-8")
        app = build(Root(broken, RootKind.EXTRA, 0))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.main_screen.agent_tree.reveal(broken / "release-bot.md")
            await settle(pilot)
            app.save_screenshot("errors.svg", str(OUT))
    await browser_shots(root)
    await editor_and_conflict(bundled)
    await merge_view(bundled)
    await sessions()
    await delegation()
    await find_and_live_bash()
    for name in (
        "main.svg",
        "filtered.svg",
        "errors.svg",
        "editor.svg",
        "conflict.svg",
        "merge.svg",
        "session.svg",
        "report.svg",
        "project.svg",
        "filter-fields.svg",
        "problems.svg",
        "install.svg",
        "delegation.svg",
        "find.svg",
        "live-bash.svg",
    ):
        print(OUT / name)


OWN = {
    "api-reviewer.md": "---\nname: api-reviewer\ndescription: Reviews API changes for breaking "
    "changes\ntools: Read, Grep, Bash\nmodel: opus\nlevel: L2\ndomain: backend\ncolor: blue\n"
    "---\n\n# API reviewer\n",
    "release-notes.md": "---\nname: release-notes\ndescription: Drafts release notes from "
    "merged pull requests\ntools: Read, Bash, Raed\nlevel: L3\ndomain: docs\n---\n\n# Notes\n",
    "l2-code-reviewer.md": "---\nname: l2-code-reviewer\ndescription: Our own code reviewer\n"
    "tools: Read, Grep\nlevel: L2\ndomain: quality\ncolor: green\n---\n\n# Ours\n",
}


async def browser_shots(library: Root) -> None:
    """A project of your own beside the library, at fixed paths (the pictures print them)."""
    base = Path(tempfile.gettempdir()) / "roster-screenshots" / "project"
    if base.exists():
        shutil.rmtree(base)
    agents = base / ".claude" / "agents"
    agents.mkdir(parents=True)
    (base / ".git").mkdir()
    for name, text in OWN.items():
        (agents / name).write_text(text, encoding="utf-8")
    home = base.parent / "home"
    home.mkdir(exist_ok=True)
    old_cwd, old_home = Path.cwd(), os.environ.get("HOME")
    os.chdir(base)
    os.environ["HOME"] = str(home)
    try:
        roots = (Root(agents, RootKind.PROJECT, 0), library)
        app = build(*roots)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.save_screenshot("project.svg", str(OUT))
            await pilot.press("p")
            await settle(pilot)
            app.save_screenshot("problems.svg", str(OUT))
        app = build(*roots)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"level:L2 tool:Bash")
            await settle(pilot)
            app.save_screenshot("filter-fields.svg", str(OUT))
        app = build(*roots)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert library.path is not None
            app.main_screen.agent_tree.reveal(library.path / "l2" / "l2-code-reviewer.md")
            await settle(pilot)
            await pilot.press("i")
            await until(pilot, lambda: type(app.screen).__name__ == "InstallScreen")
            await pilot.pause(0.2)  # (its worker waits for the answer: no settle here)
            app.save_screenshot("install.svg", str(OUT))
            await pilot.press("escape")
    finally:
        os.chdir(old_cwd)
        if old_home is not None:
            os.environ["HOME"] = old_home


async def until(pilot: Pilot[None], condition: Callable[[], object]) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {condition}")
        await pilot.pause()


async def editor_and_conflict(bundled: Path) -> None:
    """Edit a copy (at a fixed path, so the pictures do not change run to run)."""
    copy = Path(tempfile.gettempdir()) / "roster-screenshots" / "agents"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(bundled, copy)
    path = copy / "l2" / "l2-backend-specialist.md"
    app = build(Root(copy, RootKind.EXTRA, 0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(path)
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.area.cursor_blink = False
        lines = editor.area.text.splitlines()
        tools = next(i for i, line in enumerate(lines) if line.startswith("tools: "))
        editor.area.move_cursor((tools, len(lines[tools])))
        await pilot.press(*", MultiEdit")
        body = lines.index("# L2 Backend Specialist")
        editor.area.move_cursor((body + 2, 0))
        await pilot.press(*"Always add a migration test for schema changes.", "enter", "enter")
        await until(pilot, lambda: editor.problems.option_count > 0)
        await settle(pilot)
        editor.area.move_cursor((tools, len(lines[tools]) + len(", MultiEdit")))
        await pilot.pause()
        app.save_screenshot("editor.svg", str(OUT))
        # another program changes the file meanwhile; ctrl+s shows both versions
        other = path.read_text(encoding="utf-8").replace(
            "model: sonnet", "model: opus\nmaxTurns: 40"
        )
        path.write_text(other, encoding="utf-8")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        conflict = app.screen
        assert isinstance(conflict, ConflictScreen)
        await until(pilot, lambda: bool(conflict.diff_text))
        for _ in range(5):  # the save worker waits on this view: no wait_for_complete here
            await pilot.pause()
        app.save_screenshot("conflict.svg", str(OUT))


async def merge_view(bundled: Path) -> None:
    """The conflict view's merge: the user's body edit and another program's model change."""
    copy = Path(tempfile.gettempdir()) / "roster-screenshots" / "merge"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(bundled, copy)
    path = copy / "l2" / "l2-backend-specialist.md"
    app = build(Root(copy, RootKind.EXTRA, 0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main_screen.agent_tree.reveal(path)
        await settle(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.loaded)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.area.cursor_blink = False
        lines = editor.area.text.splitlines()
        body = lines.index("# L2 Backend Specialist")
        editor.area.move_cursor((body + 2, 0))
        await pilot.press(*"Always add a migration test for schema changes.", "enter", "enter")
        await settle(pilot)
        other = path.read_text(encoding="utf-8").replace("model: sonnet", "model: opus")
        path.write_text(other, encoding="utf-8")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, MergeViewScreen))
        for _ in range(5):  # the save worker waits on this view: no wait_for_complete here
            await pilot.pause()
        app.save_screenshot("merge.svg", str(OUT))


async def sessions() -> None:
    """The session screen against the scripted fake API used by the snapshot tests."""
    from tests.app import test_session_snapshots as snap
    from tests.fakeapi import FakeAPI
    from tui.screens.launch import LaunchRequest
    from tui.widgets.message_box import MessageBox
    from tui.widgets.report_card import ReportCard

    root, agent, work = snap._setup("screenshots")
    with FakeAPI() as api:
        os.environ["ANTHROPIC_API_KEY"] = "screenshots-no-key"
        os.environ["ANTHROPIC_BASE_URL"] = api.url
        api.script(
            snap.reply(
                snap.thinking("Small change."),
                snap.text(snap.ANSWER),
                snap.tool_use(
                    "w1",
                    "Write",
                    {"file_path": "app.py", "content": "def health():\n    return 200, 'ok'\n"},
                ),
                input_tokens=1200,
                output_tokens=340,
            ),
            snap.reply(snap.text(snap.REPORT), input_tokens=1500, output_tokens=120),
        )
        app = build(root)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            definition = app.catalog.get(agent) if app.catalog else None
            assert definition is not None
            await app.start_session(LaunchRequest(definition, "add a /health endpoint", work))
            live = app.sessions.sessions[-1]
            await until(pilot, lambda: live.waiting)
            for _ in range(5):
                await pilot.pause()
            for box in app.screen.query(Input):
                box.cursor_blink = False
            for area in app.screen.query(MessageBox):
                area.cursor_blink = False
            app.save_screenshot("session.svg", str(OUT))
            await pilot.press("a")
            await until(pilot, lambda: bool(app.screen.query(ReportCard)) and not live.running)
            for _ in range(5):
                await pilot.pause()
            app.save_screenshot("report.svg", str(OUT))


async def delegation() -> None:
    """An orchestrator delegating to two writers (scripted loopback API, routed by prompt)."""
    from tests.fakeapi import FakeAPI, reply, text, tool_use
    from tui.screens.launch import LaunchRequest

    tmp = Path(tempfile.mkdtemp(prefix="roster-shots-"))
    agents, work = tmp / "agents", tmp / "work"
    agents.mkdir()
    work.mkdir()
    head = "---\nname: {0}\ndescription: {1}\ntools: {2}\nlevel: {3}\ndomain: docs\n---\n\n"
    (agents / "docs-lead.md").write_text(
        head.format("docs-lead", "Plans the docs and hands pages to writers", "Read, Agent", "L1")
        + "DOCS-LEAD: plan, delegate, report.\n"
    )
    (agents / "page-writer.md").write_text(
        head.format("page-writer", "Writes one documentation page", "Read, Write", "L2")
        + "PAGE-WRITER: write the page you are given.\n"
    )

    def call(i: str, page: str) -> dict[str, object]:
        args = {"description": f"Write {page}", "prompt": f"write {page}"}
        return tool_use(i, "Agent", {**args, "subagent_type": "page-writer"})

    with FakeAPI() as api:
        os.environ["ANTHROPIC_API_KEY"] = "screenshots-no-key"
        os.environ["ANTHROPIC_BASE_URL"] = api.url
        api.route(
            "DOCS-LEAD",
            reply(
                text("Two pages, no shared files: both writers go out at once."),
                call("c1", "install.md"),
                call("c2", "usage.md"),
                input_tokens=900,
                output_tokens=120,
            ),
        )
        api.route(
            "PAGE-WRITER",
            reply(
                text("Writing the install page."),
                tool_use("w1", "Write", {"file_path": "install.md", "content": "# Install\n"}),
                input_tokens=700,
                output_tokens=80,
            ),
            reply(text("Drafting the usage page: examples first, then options."), stall_after=8),
        )
        app = build(Root(agents, RootKind.EXTRA, 2))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            definition = app.catalog.find("docs-lead") if app.catalog else None
            assert definition is not None
            await app.start_session(LaunchRequest(definition, "document the CLI", work))
            live = app.sessions.sessions[-1]
            await until(pilot, lambda: live.waiting)
            for _ in range(8):
                await pilot.pause()
            for box in app.screen.query(Input):
                box.cursor_blink = False
            app.save_screenshot("delegation.svg", str(OUT))
            live.interrupt()
            api.release()
            await until(pilot, lambda: not live.running)


FIND_ANSWER = (
    "The health check lives in `app.py`; the route table sends `GET /health` to it.\n\n"
    "```python\ndef health():\n    return 200, 'ok'\n```\n\n"
    "The load balancer polls /health every 5 s; a failing health check drains the node."
)
# some lines, then it waits (at most ~20 s) for the scene to create `go`
RUN_TESTS = """#!/bin/sh
for t in ok head slow_db timeout_budget; do echo "tests/test_health.py::test_health_$t PASSED"; done
echo "tests/test_routes.py::test_table PASSED"
for i in $(seq 400); do [ -e go ] && break; sleep 0.05; done
echo "6 passed in 0.41s"
"""


async def find_and_live_bash(only: set[str] | None = None) -> None:
    """find.svg and live-bash.svg: a session with a Bash call running (scripted loopback API)."""
    from tests.fakeapi import FakeAPI, reply, text, tool_use
    from tui.screens.launch import LaunchRequest
    from tui.widgets.message_box import MessageBox

    tmp = Path(tempfile.mkdtemp(prefix="roster-shots-"))
    agents, work = tmp / "agents", tmp / "work"
    agents.mkdir()
    work.mkdir()
    (work / "run-tests.sh").write_text(RUN_TESTS)
    (work / "run-tests.sh").chmod(0o755)
    (agents / "api-builder.md").write_text(
        "---\nname: api-builder\ndescription: Builds HTTP endpoints\ntools: Read, Bash\n"
        "level: L2\ndomain: backend\nmodel: sonnet\n---\n\n# API builder\n"
    )
    with FakeAPI() as api:
        os.environ["ANTHROPIC_API_KEY"] = "screenshots-no-key"
        os.environ["ANTHROPIC_BASE_URL"] = api.url
        api.script(
            reply(text(FIND_ANSWER), input_tokens=900, output_tokens=90),
            reply(
                text("Running the tests."),
                tool_use("b1", "Bash", {"command": "./run-tests.sh"}),
                input_tokens=1100,
                output_tokens=40,
            ),
            reply(text("All green."), input_tokens=1300, output_tokens=10),
        )
        app = build(Root(agents, RootKind.EXTRA, 2))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            definition = app.catalog.find("api-builder") if app.catalog else None
            assert definition is not None
            request = LaunchRequest(
                definition,
                "where is the health check?",
                work,
                allow_rules=("Bash(./run-tests.sh)",),
            )
            await app.start_session(request)
            live = app.sessions.sessions[-1]
            await until(pilot, lambda: not live.running)

            def still() -> None:
                for area in app.screen.query(MessageBox):
                    area.cursor_blink = False
                for box in app.screen.query(Input):
                    box.cursor_blink = False

            if only is None or "find" in only:
                await pilot.press("ctrl+f", *"health", "enter", "enter")
                for _ in range(5):
                    await pilot.pause()
                still()
                app.save_screenshot("find.svg", str(OUT))
                await pilot.press("escape")
                await pilot.pause()
            if only is None or "live-bash" in only:
                app.sessions.send(live, "run the tests")

                def arrived() -> bool:
                    block = live.transcript.tool("b1")
                    return block is not None and "test_table" in block.live

                await until(pilot, arrived)
                for _ in range(5):
                    await pilot.pause()
                still()
                app.save_screenshot("live-bash.svg", str(OUT))
                (work / "go").touch()
                await until(pilot, lambda: not live.running)


async def only_some(names: list[str]) -> None:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    os.environ["ROSTER_DATA_DIR"] = tempfile.mkdtemp(prefix="roster-shots-")
    scenes = {"find", "live-bash"}
    unknown = set(names) - scenes
    if unknown:
        raise SystemExit(f"no such scene: {', '.join(sorted(unknown))} (known: {sorted(scenes)})")
    await find_and_live_bash(set(names))
    for name in names:
        print(OUT / f"{name}.svg")


if __name__ == "__main__":
    if sys.argv[1:] == ["merge"]:
        os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
        os.environ["ROSTER_DATA_DIR"] = tempfile.mkdtemp(prefix="roster-shots-")
        _merge_root = bundled_agents_dir()
        assert _merge_root is not None
        asyncio.run(merge_view(_merge_root))
        raise SystemExit(0)
    asyncio.run(only_some(sys.argv[1:]) if sys.argv[1:] else main())
