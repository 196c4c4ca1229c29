"""Live Bash and the bell (issue 17.4), through the real app and the loopback API: a running
command's lines are on screen before it ends, Esc keeps what arrived and says it was
interrupted; a session out of sight that needs the user rings the bell (not the one in front,
and not when `bell = false`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Collapsible, Static

from tests.fakeapi import FakeAPI, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, launch, plain, settle, wait_for, writer_agent
from tui.app.app import RosterApp, make_app
from tui.config import Settings
from tui.core.roots import Root
from tui.screens.help import HelpScreen
from tui.widgets.message_box import MessageBox
from tui.widgets.permission_prompt import PermissionPrompt
from tui.widgets.session_blocks import ToolView

SLOW = "for i in 1 2 3; do echo line$i; sleep 0.3; done"
# line1, then (at most ~10 s) wait for the test to create `go`: line2 cannot come before
GATED = "echo line1; for i in $(seq 200); do [ -e go ] && break; sleep 0.05; done; echo line2"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


def count_bells(app: RosterApp) -> list[int]:
    rung = [0]

    def bell() -> None:
        rung[0] += 1

    app.bell = bell  # type: ignore[method-assign]
    return rung


def help_text(app: RosterApp) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#help-keys", Static).content)
    return console.export_text()


def shown_output(tool: ToolView) -> str:
    return plain(tool.query_one(".tool-result"))


async def test_bash_output_streams_into_its_block(api: FakeAPI, tmp_root: Root, work: Path) -> None:
    agent = writer_agent(tmp_root)
    api.script(
        reply(tool_use("b1", "Bash", {"command": GATED}), stall_after=1), reply(text("done"))
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        rung = count_bells(app)
        await settle(pilot)
        view = await launch(pilot, agent, "count", work)
        await pilot.pause()
        api.release()  # the prompt comes once the session is in front of the user
        await wait_for(pilot, lambda: view.query(PermissionPrompt), what="prompt")
        await wait_for(pilot, lambda: view.query_one(PermissionPrompt).has_focus, what="focus")
        await pilot.press("y")
        tool = view.query_one(ToolView)
        await wait_for(pilot, lambda: "line1" in shown_output(tool), sleep=0.02, what="line1")
        assert tool.block.output is None  # the command still runs
        assert "line2" not in shown_output(tool)
        assert "Output so far" in str(tool.query_one(".tool-output").title)
        assert rung[0] == 0  # the prompt was in front of the user: no bell
        await pilot.press("f1")  # help lists the find and copy keys
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        keys = help_text(app)
        for said in ("Find in the transcript", "last answer", "code block", "focused block"):
            assert said in keys
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), what="help closed")
        (work / "go").touch()
        await wait_for(pilot, lambda: tool.block.output is not None, what="the result")
        await pilot.pause()
        assert shown_output(tool) == "line1\nline2"
        assert "exit 0" in str(tool.query_one(".tool-output").title)
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: not live.running, what="turn end")
        box = view.query_one(MessageBox)
        box.focus()
        await pilot.press("alt+a")  # the copy keys work from the message box, typing nothing
        assert app.clipboard == "done" and box.value == ""


async def test_escape_keeps_what_arrived(api: FakeAPI, tmp_root: Root, work: Path) -> None:
    agent = writer_agent(tmp_root)
    api.script(
        reply(tool_use("b1", "Bash", {"command": "echo line1; echo line2; sleep 30; echo late"})),
        reply(text("ok")),
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "wait", work)
        await wait_for(pilot, lambda: view.query(PermissionPrompt), what="prompt")
        await wait_for(pilot, lambda: view.query_one(PermissionPrompt).has_focus, what="focus")
        await pilot.press("y")
        tool = view.query_one(ToolView)
        await wait_for(pilot, lambda: "line2" in shown_output(tool), sleep=0.02, what="line2")
        await pilot.press("escape")
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: not live.running, what="interrupted")
        await wait_for(pilot, lambda: "Interrupted" in shown_output(tool), what="result")
        shown = shown_output(tool)
        assert shown.startswith("line1\nline2") and "late" not in shown
        assert "Interrupted by the user" in shown


async def _background_prompt(api: FakeAPI, root: Root, work: Path, app: RosterApp) -> int:
    """Launch a session, leave it for the agents, then let it ask: how often it rang."""
    agent = writer_agent(root)
    api.script(
        reply(tool_use("b1", "Bash", {"command": "echo hi"}), stall_after=1), reply(text("ok"))
    )
    async with app.run_test(size=SIZE) as pilot:
        rung = count_bells(app)
        await settle(pilot)
        view = await launch(pilot, agent, "go", work)
        await pilot.press("ctrl+o")  # back to the agents: the session is out of sight
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="agents")
        api.release()
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: live.waiting, what="the prompt")

        def told() -> bool:  # the app's own toast, timed after the bell's decision
            return any("is waiting for you" in n.message for n in app._notifications)

        await wait_for(pilot, told, what="the waiting toast", sleep=0.05)
        await pilot.pause()
        return rung[0]


async def test_a_background_prompt_rings_the_bell(api: FakeAPI, tmp_root: Root, work: Path) -> None:
    assert await _background_prompt(api, tmp_root, work, app_for(tmp_root)) == 1


async def test_no_bell_when_it_is_off(api: FakeAPI, tmp_root: Root, work: Path) -> None:
    app = make_app(roots=[tmp_root], settings=Settings(bell=False), watch=False, scan_workers=1)
    assert await _background_prompt(api, tmp_root, work, app) == 0


async def test_a_background_turn_ending_rings_the_bell(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    agent = writer_agent(tmp_root)
    api.script(reply(text("all done"), stall_after=1))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        rung = count_bells(app)
        await settle(pilot)
        view = await launch(pilot, agent, "go", work)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen is app.main_screen, what="agents")
        api.release()
        live = view.live
        assert live is not None
        await wait_for(pilot, lambda: not live.running, what="turn end")
        await wait_for(pilot, lambda: rung[0] == 1, what="bell", sleep=0.05)


async def test_desktop_notification_names_the_session_safely(
    api: FakeAPI, tmp_root: Root, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without notify-send on PATH the OSC 777 / 9 escapes go to the terminal, with the
    session's label stripped of anything that could end or extend them."""
    monkeypatch.setenv("PATH", str(work))  # (bash is run by its full path)
    settings = Settings(bell=False, desktop_notify=True)
    app = make_app(roots=[tmp_root], settings=settings, watch=False, scan_workers=1)
    written: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        driver = app._driver
        assert driver is not None
        monkeypatch.setattr(driver, "write", written.append)
        app.sessions.attention._ring_unless_seen("s1", "evil\x07\x1b]0;pwned;x is waiting")
        await pilot.pause()
    sent = "".join(written)
    assert "\x1b]777;notify;Roster;evil  ]0 pwned x is waiting\x1b\\" in sent
    assert "\x1b]9;Roster: evil  ]0 pwned x is waiting\x1b\\" in sent


async def test_a_session_named_like_an_option_is_notify_sends_text(
    tmp_root: Root, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """notify-send reads `--help is waiting…` as an option (it printed "Unknown option" and
    showed nothing; `-u …`, `--icon=…` changed the notification): the text comes after `--`."""
    bin_dir = work / "bin"
    bin_dir.mkdir()
    seen = work / "argv.txt"
    fake = bin_dir / "notify-send"  # a stand-in that records its arguments, one a line
    fake.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > "{seen}.part" && mv "{seen}.part" "{seen}"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    settings = Settings(bell=False, desktop_notify=True)
    app = make_app(roots=[tmp_root], settings=settings, watch=False, scan_workers=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.sessions.attention._ring_unless_seen("s1", "--help is waiting for your permission")
        await wait_for(pilot, seen.exists, what="notify-send ran", sleep=0.05)
    argv = seen.read_text().splitlines()
    assert argv[-1] == "--help is waiting for your permission"
    assert "--" in argv[:-1]  # every argument after it is text
    assert argv.index("--") < argv.index("Roster")


async def test_a_progress_bar_shows_and_copies_as_its_last_state(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    """`\\r` rewrites were shown as `0%\\x0d50%\\x0d100%` and copied as `0%50%100%`: the block
    shows, finds and copies what a terminal would show."""
    command = "echo start; for i in 0 50 100; do printf '%s%%\\r' $i; done; echo; echo done"
    agent = writer_agent(tmp_root)
    api.script(reply(tool_use("b1", "Bash", {"command": command})), reply(text("ok")))
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "progress", work)
        await wait_for(pilot, lambda: view.query(PermissionPrompt), what="prompt")
        await wait_for(pilot, lambda: view.query_one(PermissionPrompt).has_focus, what="focus")
        await pilot.press("y")
        tool = view.query_one(ToolView)
        await wait_for(pilot, lambda: tool.block.output is not None, what="the result")
        await pilot.pause()
        assert shown_output(tool) == "start\n100%\ndone"
        tool.query(Collapsible).first().query_one("CollapsibleTitle").focus()
        await pilot.pause()
        await pilot.press("alt+c")  # the focused block: its output
        assert app.clipboard == "start\n100%\ndone"
