"""Issue 17 items 1 and 2 in the app (Pilot, the real SDK against the loopback API): slash
commands typed in the session's message box never reach the model, /model and /mode change
what the next request does (never above the launch), /clear and /compact start from a fresh
context, completion offers commands and @paths (honouring .gitignore), and a mention is sent
as a document and shown as a chip."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from tests.fakeapi import FakeAPI, reply, text
from tests.helpers.app import SIZE, app_for, launch, settle, wait_for, writer_agent
from tui.core.roots import Root
from tui.core.session.live import LiveSession
from tui.core.session.transcript import NoticeBlock, TextBlock
from tui.core.session.user_commands import SUMMARY_HEAD
from tui.screens.help import HelpScreen
from tui.screens.sessions import SessionsScreen
from tui.widgets.message_box import MessageBox
from tui.widgets.session_view import SessionView
from tui.widgets.slash_commands import SlashRequested


def notes(live: LiveSession) -> list[str]:
    return [b.text for b in live.transcript.blocks if isinstance(b, NoticeBlock)]


async def type_line(pilot: Pilot[None], box: MessageBox, line: str) -> None:
    box.focus()
    await pilot.press(*line)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def live_of(view: SessionView) -> LiveSession:
    assert view.live is not None
    return view.live


async def test_commands_never_reach_the_model_and_model_changes_the_next_request(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    api.script(reply(text("one")), reply(text("two")), reply(text("three")))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "hello", work)
        live = live_of(view)
        await wait_for(pilot, lambda: not live.running, what="turn 1")
        box = view.query_one("#prompt", MessageBox)
        for line in ("/help", "/cost", "/bogus", "/model opus", "/mode", "/clear now"):
            await type_line(pilot, box, line)
        said = "\n".join(notes(live))
        assert "/compact" in said and "/model NAME" in said  # /help lists the commands
        assert "this session:" in said and "total:" in said  # /cost
        assert "unknown command /bogus — /help lists them" in said
        assert "claude-opus-5-5 (the alias opus), from the next request" in said
        assert "Permission mode: default" in said
        assert "/clear takes no argument" in said
        assert len(api.requests) == 1  # none of them was sent
        # `//` escapes a leading slash; a path-like first word is plain text
        await type_line(pilot, box, "//help is a word")
        await wait_for(pilot, lambda: len(api.requests) == 2 and not live.running, what="two")
        await type_line(pilot, box, "/etc/hosts: what is it")
        await wait_for(pilot, lambda: len(api.requests) == 3 and not live.running, what="3")
        second, third = api.requests[1].body, api.requests[2].body
        assert second["messages"][-1]["content"] == [{"type": "text", "text": "/help is a word"}]
        assert third["messages"][-1]["content"][0]["text"] == "/etc/hosts: what is it"
        assert second["model"] == "claude-opus-5-5"  # /model took effect on the next request
        sent = json.dumps([r.body for r in api.requests])
        for word in ("/bogus", "/cost", "/mode", "/model", "/clear"):
            assert word not in sent
        # help lists the commands and the mention syntax
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(app.screen.query_one("#help-keys", Static).content)
        rendered = console.export_text()
        for needle in ("/compact", "/mode MODE", "/model NAME", "//text", "@path"):
            assert needle in rendered


async def test_mode_cannot_go_above_the_launch(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    api.script(reply(text("one")))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "hello", work)
        live = live_of(view)
        await wait_for(pilot, lambda: not live.running, what="turn 1")
        box = view.query_one("#prompt", MessageBox)
        await type_line(pilot, box, "/mode bypassPermissions")
        await type_line(pilot, box, "/mode dontAsk")
        assert live.session.mode == "default" and live.session.policy.mode == "default"
        refused = [n for n in notes(live) if "refused" in n]
        assert len(refused) == 2 and "launch a new session" in refused[0]
        await type_line(pilot, box, "/mode acceptEdits")  # what Shift+Tab reaches anyway
        assert live.session.mode == "acceptEdits" and live.transcript.mode == "acceptEdits"
        assert len(api.requests) == 1


async def test_clear_starts_a_new_conversation_with_the_same_agent_and_folder(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    api.script(reply(text("one")), reply(text("two")))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "hello", work)
        old = live_of(view)
        await wait_for(pilot, lambda: not old.running, what="turn 1")
        await type_line(pilot, view.query_one("#prompt", MessageBox), "/clear")
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        await wait_for(pilot, lambda: screen.current != old.id, what="the new session")
        assert [s.id for s in app.sessions.sessions] == [screen.current]
        fresh_view = screen.current_view()
        assert fresh_view is not None and screen.view(old.id) is None
        fresh = live_of(fresh_view)
        assert any(old.id in n for n in notes(fresh))
        await type_line(pilot, fresh_view.query_one("#prompt", MessageBox), "again")
        await wait_for(pilot, lambda: len(api.requests) == 2 and not fresh.running, what="2")
        assert api.requests[1].body["messages"] == [
            {"role": "user", "content": [{"type": "text", "text": "again"}]}
        ]
        store = app.sessions.store
        rows = [store.get_session(old.id), store.get_session(fresh.id)]
        assert all(r is not None for r in rows)
        assert {(r.definition_name, r.cwd) for r in rows if r is not None} == {
            ("note-writer", str(work.resolve()))
        }


async def test_compact_in_the_app_keeps_the_summary_and_starts_from_it(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    api.script(reply(text("one")), reply(text("SUMMARY of it all")), reply(text("three")))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "hello", work)
        live = live_of(view)
        await wait_for(pilot, lambda: not live.running, what="turn 1")
        box = view.query_one("#prompt", MessageBox)
        await type_line(pilot, box, "/compact")
        await wait_for(pilot, lambda: any("Compacted" in n for n in notes(live)), what="compact")
        await wait_for(pilot, lambda: not live.running, what="compact done")
        assert len(api.requests) == 2
        shown = [b.text for b in live.transcript.blocks if isinstance(b, TextBlock)]
        assert "SUMMARY of it all" in shown  # visible in the transcript
        await type_line(pilot, box, "next")
        await wait_for(pilot, lambda: len(api.requests) == 3 and not live.running, what="3")
        messages = api.requests[2].body["messages"]
        assert len(messages) == 1
        assert messages[0]["content"][0]["text"] == SUMMARY_HEAD + "SUMMARY of it all"
        await type_line(pilot, box, "/export")
        await wait_for(pilot, lambda: any("Exported to" in n for n in notes(live)), what="export")
        exported = Path(next(n for n in notes(live) if "Exported to" in n).split("Exported to ")[1])
        assert "SUMMARY of it all" in exported.read_text(encoding="utf-8")


async def test_completion_offers_commands_and_paths_honouring_gitignore(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / ".gitignore").write_text("build/\n*.log\n")
    (work / "build").mkdir()
    (work / "src").mkdir()
    (work / "notes.md").write_text("remember the milk\n")
    (work / "run.log").write_text("noise\n")
    (work / "news.txt").write_text("n\n")
    api.script(reply(text("one")), reply(text("two")))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "first read @notes.md", work)
        live = live_of(view)
        await wait_for(pilot, lambda: not live.running, what="turn 1")
        first = api.requests[0].body["messages"][0]["content"]
        assert first[1]["title"] == "notes.md"  # the launch's task attaches it too
        assert first[1]["source"]["data"] == "remember the milk\n"
        box = view.query_one("#prompt", MessageBox)
        menu = box.menu
        assert menu is not None
        box.focus()
        await pilot.press("slash")
        await wait_for(pilot, lambda: menu.shown, what="commands")
        assert [c.label for c in menu.items][:3] == ["/clear", "/compact", "/cost"]
        assert all(c.help for c in menu.items)  # each with its one line of help
        await pilot.press("c", "o", "m", "tab")
        assert box.value == "/compact"
        await pilot.press("escape")  # closes the list, nothing else
        assert not menu.shown and app.screen is view.screen and box.value == "/compact"
        box.value = ""
        await pilot.press(*"look at @")
        await wait_for(pilot, lambda: menu.shown, what="paths")
        labels = [c.label for c in menu.items]
        assert labels == ["src/", "news.txt", "notes.md"]  # no build/, no run.log
        await pilot.press("n", "o")
        await wait_for(pilot, lambda: [c.label for c in menu.items] == ["notes.md"], what="no")
        await pilot.press("tab")
        assert box.value == "look at @notes.md "
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(api.requests) == 2 and not live.running, what="send")
        content = api.requests[1].body["messages"][-1]["content"]
        assert content[1]["type"] == "document" and content[1]["title"] == "notes.md"
        assert content[1]["source"]["data"] == "remember the milk\n"
        assert "@notes.md · text, 18 B" in notes(live)  # the chip, not the content
        assert not any("remember the milk" in n for n in notes(live))


async def test_clear_sent_twice_before_the_first_is_done_makes_one_new_session(
    api: FakeAPI, tmp_root: Root, tmp_path: Path
) -> None:
    """`/clear`, Enter, ↑, Enter: the second request reached a session the first had already
    replaced and raised KeyError (the app closed with a traceback)."""
    work = tmp_path / "work"
    work.mkdir()
    api.script(reply(text("one")))
    agent = writer_agent(tmp_root)
    app = app_for(tmp_root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await launch(pilot, agent, "hello", work)
        old = live_of(view)
        await wait_for(pilot, lambda: not old.running, what="turn 1")
        view.post_message(SlashRequested(old, "clear"))
        view.post_message(SlashRequested(old, "clear"))
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        await wait_for(pilot, lambda: screen.current != old.id, what="the new session")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert len(app.sessions.sessions) == 1 and screen.current == app.sessions.sessions[0].id
