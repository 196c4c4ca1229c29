"""Issue 17 point 6 and issue 16 point 8: the launch dialog takes any model id (aliases and
known ids complete), max turns, shows the tools the session will offer (and the ones Roster
cannot provide), mentions the hand-off to Claude Code when there is no key and `claude` is on
PATH, and stays usable at 80×24."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Button, Input, Static

from tests.fakeapi import FakeAPI, error, reply, text, tool_use
from tests.helpers.app import SIZE, app_for, plain, settle, wait_for, write_agent, writer_agent
from tests.helpers.session import make_definition
from tui.config import Settings
from tui.core.roots import Root
from tui.core.session.errors import NO_KEY_MESSAGE
from tui.screens.launch import LaunchScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.message_box import MessageBox


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


async def open_dialog(pilot: Any, agent: Path) -> LaunchScreen:
    app = pilot.app
    app.main_screen.agent_tree.reveal(agent)
    app.main_screen.agent_tree.focus()
    await pilot.pause()
    await pilot.press("l")
    await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="launch dialog")
    dialog = app.screen
    assert isinstance(dialog, LaunchScreen)
    return dialog


async def test_any_model_id_reaches_the_api_and_a_rejected_one_is_an_error(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    api.script(error(404, "model: claude-house-blend-1 not found"))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_dialog(pilot, agent)
        model = dialog.query_one("#model", Input)
        assert model.value == "sonnet"  # the definition's
        # aliases complete
        model.value = ""
        model.focus()
        await pilot.press("o", "p")
        await wait_for(pilot, lambda: model._suggestion == "opus", what="completion")
        await pilot.press("right")
        assert model.value == "opus"
        assert "→ claude-opus" in plain(dialog.query_one("#model-resolved"))
        # a space cannot be in an id: refused, the field marked
        model.value = "claude sonnet"
        dialog.query_one("#cwd", Input).value = str(work)
        dialog.query_one("#task", MessageBox).value = "go"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and model.has_class("-invalid")
        # any other id goes to the API as typed
        model.value = "claude-house-blend-1"
        await pilot.pause()
        assert plain(dialog.query_one("#model-resolved")) == "→ claude-house-blend-1"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="session")
        live = app.sessions.sessions[-1]
        await wait_for(pilot, lambda: not live.running, what="turn end")
        assert api.requests[0].body["model"] == "claude-house-blend-1"
        assert live.transcript.state == "error"  # said in the session, not a crash
        assert app.is_running


async def test_max_turns_from_the_dialog_stops_the_session(
    api: FakeAPI, tmp_root: Root, work: Path
) -> None:
    (work / "a.txt").write_text("a")
    api.script(
        *(reply(tool_use(f"r{i}", "Read", {"file_path": "a.txt"})) for i in range(3)),
        reply(text("done")),
    )
    agent = write_agent(tmp_root.path, "reader", extra="tools: Read\nmaxTurns: 5\n")
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_dialog(pilot, agent)
        turns = dialog.query_one("#max-turns", Input)
        assert turns.value == "5"  # the file's maxTurns
        dialog.query_one("#cwd", Input).value = str(work)
        dialog.query_one("#task", MessageBox).value = "read a.txt again and again"
        turns.value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and turns.has_class("-invalid")
        assert any("Max turns is a number" in n.message for n in app._notifications)
        turns.value = "2"  # the dialog beats the file
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionsScreen), what="session")
        live = app.sessions.sessions[-1]
        await wait_for(pilot, lambda: not live.running, what="turn end")
        assert len(api.requests) == 2
        assert live.session.status == "max_turns"
        assert live.session.max_turns == 2


async def test_the_tools_the_session_offers_and_the_ones_roster_cannot_provide(
    tmp_root: Root,
) -> None:
    agent = write_agent(
        tmp_root.path,
        "mixed",
        extra="tools: Read, Grep, Bash, mcp__github__issues, NotebookEdit\ndisallowedTools: Grep\n",
    )
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_dialog(pilot, agent)
        tools = dialog.query_one("#launch-tools", Static)
        assert plain(tools) == "Tools offered: Read, Bash, BashOutput, KillShell"
        missing = plain(dialog.query_one("#launch-unsupported"))
        assert "mcp__github__issues, NotebookEdit" in missing
        # a deny rule typed in the dialog narrows the list as it is typed
        deny = dialog.query_one("#deny-rules", Input)
        deny.focus()
        await pilot.press(*"Bash")
        await wait_for(pilot, lambda: plain(tools) == "Tools offered: Read", what="narrowed")


@pytest.mark.parametrize(
    ("key", "claude", "hint"),
    [(False, True, True), (True, True, False), (False, False, False)],
    ids=["no-key-with-claude", "key-with-claude", "no-key-no-claude"],
)
async def test_the_hand_off_hint_only_without_a_key_and_with_claude(
    key: bool,
    claude: bool,
    hint: bool,
    tmp_root: Root,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if claude:
        script = bin_dir / "claude"
        script.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))  # nothing else: no `claude` of the machine's
    monkeypatch.delenv("ANTHROPIC_AUTH_TOKEN", raising=False)
    if key:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    else:
        monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_dialog(pilot, agent)
        shown = dialog.query("#launch-handoff")
        assert bool(shown) is hint
        if hint:
            assert "c on the agent" in plain(shown.first())
            assert "Claude Code" in plain(shown.first())
        assert bool(dialog.query("#launch-problem")) is not key


class Host(App[None]):
    def on_mount(self) -> None:
        definition = make_definition(
            "a-long-agent-name-for-a-small-terminal",
            tools=("Read", "Bash", "mcp__x__y"),
            mode="bypassPermissions",
        )
        self.push_screen(
            LaunchScreen(definition, Settings(), cwd=Path("/tmp"), problem=NO_KEY_MESSAGE)
        )


def inside(region: Any) -> bool:
    return region.width > 0 and region.right <= 80 and region.bottom <= 24


async def test_usable_at_80x24(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = tmp_path / "claude"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LaunchScreen), what="dialog")
        await pilot.pause()
        dialog = app.screen
        for button in dialog.query(Button):
            assert inside(button.region), (button.id, button.region)
        for static_id in ("#launch-problem", "#launch-handoff"):
            assert inside(dialog.query_one(static_id).region), static_id
        # the fields scroll: the last one can be brought into sight
        fields = dialog.query_one("#launch-fields")
        assert fields.max_scroll_y > 0
        last = dialog.query_one("#launch-tools")
        fields.scroll_to_widget(last, animate=False)
        await pilot.pause()
        assert inside(last.region) and last.region.height > 0
